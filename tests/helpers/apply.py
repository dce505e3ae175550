"""Fill and send the real application form the way a browser does: GET it, keep the hidden fields, POST."""
import re

from bs4 import BeautifulSoup

VALID = {
    "applicant": "self", "name": "Сергей", "contact_method": "phone", "contact_value": "8 (912) 345-67-89",
    "convenient_time": "any", "help_needed": ["benefit", "job"], "contact_from": "", "district": "",
    "comment": "", "consent": "y",
}


def hidden_fields(html):
    soup = BeautifulSoup(html, "html.parser")
    return {field["name"]: field.get("value", "") for field in soup.select("form input[type=hidden]")}


def send_form(client, url="/zayavka", **fields):
    """GET the form, then POST it with the page's own hidden fields plus `fields` (VALID by default)."""
    page = client.get(url)
    data = {**hidden_fields(page.get_data(as_text=True)), **VALID, **fields}
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def error_messages(html):
    return [re.sub(r"\s+", " ", BeautifulSoup(m, "html.parser").get_text()).replace("Ошибка:", "").strip()
            for m in re.findall(r'<p class="error-message"[^>]*>(.*?)</p>', html, re.S)]
