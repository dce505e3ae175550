"""Helpers shared by the search tests."""
from bs4 import BeautifulSoup


def result_keys(response):
    """Guide keys ("section/slug") of the results on a search page, in order."""
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return [a["href"].strip("/").removeprefix("en/") for a in soup.select("ol.search-results a.guide-link")]


def page_text(response):
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    return " ".join(soup.get_text(" ").split())
