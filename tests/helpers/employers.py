"""The employers tests' helpers: a valid sign-up, sending it as a browser does, cards and sign-ups in the database."""
import re
from datetime import date

from bs4 import BeautifulSoup

from portal.employers.models import Employer, EmployerSignup
from portal.extensions import db

# A valid sign-up; 7707083893 is Sberbank's published INN, so its checksum is known to be right.
VALID_SIGNUP = {
    "company": 'ООО "Ромашка-Строй"',
    "inn": "7707083893",
    "contact_name": "Анна Петровна",
    "phone": "8 (351) 123-45-67",
    "email": "hr@romashka.example",
    "district": "traktorozavodsky",
    "industry": "construction",
    "kinds_of_work": "Бетонщики и подсобные рабочие на стройке.",
    "schedule": "shifts",
    "pay_range": "от 45 000 ₽",
    "offers": ["housing", "training", "no_experience"],
    "cannot_accept": "",
    "asks_about_record_at": "after_interview",
    "how_to_apply": "centre",
    "apply_contact": "",
    "consent": "y",
    "publish": "y",
}


TODAY = date(2026, 12, 2)  # after the guides' «updated» dates: the content check refuses future ones


def hidden_fields(html, action=None):
    soup = BeautifulSoup(html, "html.parser")
    form = soup.find("form", action=action) if action else soup.find("main").find("form", method="post")
    return {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}


def send_signup(client, url="/rabotodateli/stat-partnerom", **fields):
    """GET the sign-up form, then POST it with its hidden fields plus `fields` (VALID_SIGNUP by default)."""
    page = client.get(url)
    data = {**hidden_fields(page.get_data(as_text=True), url), **VALID_SIGNUP, **fields}
    return client.post(url, data={k: v for k, v in data.items() if v is not None})


def error_messages(html):
    return [
        re.sub(r"\s+", " ", BeautifulSoup(m, "html.parser").get_text()).replace("Ошибка:", "").strip()
        for m in re.findall(r'<p class="error-message"[^>]*>(.*?)</p>', html, re.S)
    ]


def csrf_of(client, url):
    soup = BeautifulSoup(client.get(url).get_data(as_text=True), "html.parser")
    return soup.find("input", attrs={"name": "csrf_token"})["value"]


def staff_post(client, url, page_url, **data):
    """A staff POST with the CSRF token of the page the button is on."""
    return client.post(url, data={"csrf_token": csrf_of(client, page_url), **data})


def add_card(app, **fields):
    """Insert one card directly; returns its id."""
    values = {
        "name": 'ООО "Тест-Карточка"',
        "district": "sovetsky",
        "industry": "warehouse",
        "kinds_of_work": "Грузчики на складе.",
        "schedule": "day",
        "asks_about_record_at": "never",
        "how_to_apply": "centre",
        "status": "confirmed",
        "confirmed_at": TODAY,
    }
    values.update(fields)
    with app.app_context():
        card = Employer(**values)
        db.session.add(card)
        db.session.commit()
        return card.id


def cards(app):
    with app.app_context():
        return db.session.execute(db.select(Employer).order_by(Employer.id)).scalars().all()


def signups(app):
    with app.app_context():
        return db.session.execute(db.select(EmployerSignup)).scalars().all()


def card_ids_on(html):
    """The ids of the cards a directory page shows."""
    return [int(m) for m in re.findall(r'id="employer-(\d+)"', html)]
