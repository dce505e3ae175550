"""The `page` helper: a parsed page that has passed the invariants every page keeps, for GETs, POST
answers and signed-in pages alike (`checked_page`), and the security headers every response carries."""
import re

from bs4 import BeautifulSoup


class Page:
    """A parsed HTML page that has passed the invariants every page must keep."""

    def __init__(self, response):
        self.response = response
        self.html = response.get_data(as_text=True)
        self.soup = BeautifulSoup(self.html, "html.parser")

    def text(self):
        return re.sub(r"\s+", " ", self.soup.get_text(" ")).strip()

    def check_invariants(self):
        soup = self.soup
        assert soup.html.get("lang") in ("ru", "en"), "<html lang> missing"
        h1s = soup.find_all("h1")
        assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
        title = soup.title.get_text().strip()
        h1 = re.sub(r"\s+", " ", h1s[0].get_text()).strip()
        assert title.startswith(h1), f"title {title!r} does not start with h1 {h1!r}"
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
        for form in soup.find_all("form"):
            assert form.get("action"), "a form without an action"
        for tag in soup.find_all(["script", "img", "link", "iframe", "source"]):
            url = tag.get("src") or tag.get("href") or ""
            assert not re.match(r"^(https?:)?//", url) or tag.name == "link" and tag.get("rel") == ["canonical"], \
                f"asset from another host: {tag}"
        assert not soup.find("script", src=False), "inline script breaks the CSP"
        assert not soup.find(style=True), "inline style breaks the CSP"
        for link in soup.find_all("a", href=re.compile(r"^(https?:)?//")):
            assert "noreferrer" in (link.get("rel") or []), f"external link without noreferrer: {link}"
        return self


def checked_page(response, status=200, what="the page"):
    """Any HTML response (a GET, the answer to a POST, a signed-in page) as a Page, after checking its
    status and every page invariant."""
    assert response.status_code == status, f"{what}: {response.status_code}"
    return Page(response).check_invariants()


class PageGetter:
    """page(url, status=200) and page.post(url, data, status=200) -> a checked Page."""

    def __init__(self, client):
        self.client = client

    def __call__(self, url, status=200, **kwargs):
        return checked_page(self.client.get(url, **kwargs), status, url)

    def post(self, url, data=None, status=200, **kwargs):
        return checked_page(self.client.post(url, data=data or {}, **kwargs), status, f"POST {url}")


def page_getter(client):
    return PageGetter(client)




EXPECTED = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                               "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                               "frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
}
