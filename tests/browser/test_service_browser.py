"""Issue 17 in a real browser at 360 px: a request goes from the form to the desk, is taken into work and
closed, the dashboard shows the response figures; an officer sends two referrals in a row. axe finds no
violation on every new page (the confirmation, the referral form with errors, the referral received, the
referrals on the desk, the dashboard)."""
import itertools
from urllib.parse import urlsplit

import pyotp
import pytest

from portal.extensions import db
from portal.staff.models import StaffUser
from tests.helpers.browser import PHONE, PageVisit, sign_in_by_form
from tests.helpers.staff import password_hash

pytestmark = pytest.mark.browser
_usernames = itertools.count()


def assert_clean(visit, screenshots, name):
    count, report = visit.axe_violations()
    assert count == 0, f"{name}:\n{report}"
    assert not visit.has_horizontal_scroll(), f"{name} scrolls sideways at 360 px"
    assert visit.foreign_requests() == [], f"{name} asked another host"
    visit.screenshot(screenshots, f"service-{name}-phone")


def test_request_to_desk_to_figures_and_referrals_in_a_row(browser, live_server, live_app, screenshots):
    context = browser.new_context(**PHONE)
    try:
        visit = PageVisit(context, live_server, "/zayavka")
        page = visit.page
        page.fill("#name", "Сергей")
        page.fill("#contact_value", "8 912 345-67-89")
        page.check("input[name=help_needed][value=job]")
        page.check("#consent")
        page.click("main form button[type=submit]")
        page.wait_for_url("**/zayavka/prinyata/**")
        reference = page.locator(".reference strong").inner_text()
        assert "Специалист свяжется с вами до" in page.inner_text("main")
        assert_clean(visit, screenshots, "apply-done")

        page.goto(live_server + "/zayavka/napravlenie")
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
        assert page.locator(".error-message").count() >= 5
        assert_clean(visit, screenshots, "referral-errors")
        for person in ("Анна", "Олег"):
            page.fill("#person_name", person)
            page.fill("#release_date", "15.03.2027")
            page.select_option("#institution", "ik8")
            page.check("input[name=reach_via][value=inspection]")
            page.check("input[name=help_needed][value=documents]")
            if person == "Анна":
                page.fill("#referrer_name", "Иванова Мария, инспектор")
                page.fill("#referrer_phone", "8 351 123-45-67")
            else:  # the second referral: the officer's own fields are already there
                assert page.input_value("#referrer_name") == "Иванова Мария, инспектор"
            page.check("#consent")
            page.click("main form button[type=submit]")
            page.wait_for_url("**/zayavka/napravlenie/prinyato/**")
        assert_clean(visit, screenshots, "referral-sent")

        username = f"service-{next(_usernames)}"
        with live_app.app_context():
            user = StaffUser(username=username, password_hash=password_hash(), totp_secret=pyotp.random_base32())
            db.session.add(user)
            db.session.commit()
            secret = user.totp_secret
        sign_in_by_form(page, live_server, username, secret)
        page.click(f"text=Заявка {reference}")
        page.wait_for_url("**/staff/zayavki/**")
        for status in ("in_progress", "done"):
            page.select_option("#status", status)
            page.click("form[action$='/status'] button[type=submit]")
            page.wait_for_load_state()
        assert "Готово" in page.inner_text("main") or "Выполнена" in page.inner_text("main")
        # Closing the request offers the survey link once; the person answers it on their own phone.
        survey_path = urlsplit(page.locator(".survey-offer .qr-url strong").inner_text()).path
        assert survey_path.startswith("/opros/")
        assert_clean(visit, screenshots, "survey-offer")
        person = browser.new_context(**PHONE)
        try:
            answer = PageVisit(person, live_server, survey_path)
            assert_clean(answer, screenshots, "survey")
            answer.page.check("input[name=score][value='9']")
            answer.page.click("main form button[type=submit]")
            answer.page.wait_for_load_state()
            assert "Спасибо" in answer.page.inner_text("main")
            assert person.cookies() == []
            answer.page.goto(live_server + survey_path)
            assert "уже использована" in answer.page.inner_text("main")
        finally:
            person.close()

        page.goto(live_server + "/staff/?kind=referral")
        assert page.locator(".desk-item").count() >= 2
        assert "Освобождение: 15 марта 2027" in page.inner_text("main")
        assert_clean(visit, screenshots, "desk-referrals")

        page.goto(live_server + "/staff/dashboard/")
        speed = page.inner_text("section[aria-labelledby=speed-heading]")
        assert "Звонок или СМС" in speed and "Не дозвонились: 0 из" in speed
        assert page.locator("section[aria-labelledby=speed-heading] svg").count() == 2
        assert "Мало ответов" in page.inner_text("main")  # the survey answer counts, NPS waits for 20
        assert_clean(visit, screenshots, "dashboard")
    finally:
        context.close()
