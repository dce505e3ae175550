"""The staff desk in Debian's Chromium at a 360×740 phone viewport: axe-core, no sideways scroll, no other
hosts, screenshots; and signing in with the keyboard alone."""

from datetime import UTC, datetime, timedelta

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe

from portal.extensions import db
from portal.staff.auth import issue_setup_token
from portal.staff.models import StaffUser
from tests.helpers.browser import AXE_OPTIONS, DESKTOP, PHONE, PageVisit, sign_in_by_form
from tests.helpers.staff import PASSWORD, add_application, password_hash

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def desk_people(live_app):
    """Two ready staff members (a TOTP code works once per person, so each test signs in as its own) and
    a setup link for a third; three requests on the desk, one with markup in it."""
    people = {}
    with live_app.app_context():
        for username in ("browser-desk", "browser-keys"):
            user = StaffUser(
                username=username, password_hash=password_hash(), totp_secret=pyotp.random_base32()
            )
            db.session.add(user)
            db.session.commit()
            people[username] = user.totp_secret
        newcomer = StaffUser(username="browser-new")
        db.session.add(newcomer)
        db.session.flush()
        people["setup_path"] = "/staff/setup?t=" + issue_setup_token(newcomer)
        db.session.commit()
    now = datetime.now(UTC).replace(tzinfo=None)
    people["request_id"] = add_application(
        live_app,
        help_needed="job,housing,documents",
        comment="Очень длинный комментарий без пробелов: " + "а" * 120 + " <script>alert(1)</script>",
        created_at=now,
    )
    add_application(live_app, status="in_progress", created_at=now - timedelta(days=1))
    add_application(live_app, status="done", closed_at=now, created_at=now - timedelta(days=2))
    return people


def check(visit, screenshots, name):
    assert visit.response.status == 200, name
    assert not visit.has_horizontal_scroll(), f"{name} scrolls sideways"
    count, report = visit.axe_violations()
    assert count == 0, report
    assert visit.foreign_requests() == []
    visit.screenshot(screenshots, name)


def test_sign_in_and_setup_pages_pass_axe_on_a_phone(browser, live_server, screenshots, desk_people):
    context = browser.new_context(**PHONE)
    try:
        for name, path in (
            ("staff-login-phone", "/staff/login"),
            ("staff-setup-phone", desk_people["setup_path"]),
        ):
            visit = PageVisit(context, live_server, path)
            check(visit, screenshots, name)
            visit.close()
        # The one generic error after a wrong password is announced and passes axe too.
        visit = PageVisit(context, live_server, "/staff/login")
        visit.page.fill("#username", "browser-desk")
        visit.page.fill("#password", "это не тот пароль, совсем не тот")
        visit.page.click("main button[type=submit]")
        assert visit.page.locator("[role=alert]").count() == 1
        assert not visit.has_horizontal_scroll()
        count, report = visit.axe_violations()
        assert count == 0, report
        visit.screenshot(screenshots, "staff-login-error-phone")
        visit.close()
    finally:
        context.close()


def test_the_desk_and_a_request_pass_axe_on_a_phone(browser, live_server, screenshots, desk_people):
    context = browser.new_context(**PHONE)
    try:
        page = context.new_page()

        def code_page_passes_axe():
            results = Axe().run(page, options=AXE_OPTIONS)
            assert results.violations_count == 0, results.generate_report()
            assert not page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
            page.screenshot(path=str(screenshots / "staff-code-phone.png"), full_page=True)

        sign_in_by_form(page, live_server, "browser-desk", desk_people["browser-desk"], code_page_passes_axe)
        page.close()
        for name, path in (
            ("staff-desk-phone", "/staff/"),
            ("staff-request-phone", f"/staff/zayavki/{desk_people['request_id']}"),
        ):
            visit = PageVisit(context, live_server, path)
            check(visit, screenshots, name)
            visit.close()
    finally:
        context.close()


def test_sign_in_works_with_the_keyboard_alone(browser, live_server, desk_people):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    try:
        page.goto(live_server + "/staff/login")

        def tab_to(element_id):
            for _ in range(15):
                page.keyboard.press("Tab")
                if page.evaluate("document.activeElement.id") == element_id:
                    return
            raise AssertionError(f"Tab never reached #{element_id}")

        tab_to("username")
        page.keyboard.type("browser-keys")
        tab_to("password")
        page.keyboard.type(PASSWORD)
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/login/code")
        tab_to("code")
        page.keyboard.type(pyotp.TOTP(desk_people["browser-keys"]).now())
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/")
        assert page.locator("h1").inner_text() == "Заявки"
        # The sign-out button is reachable by keyboard too.
        for _ in range(40):  # forward from the top: the header menu grows as areas are added
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.closest('form.logout-form') !== null"):
                break
        else:
            raise AssertionError("the sign-out button is not reachable with Tab")
        page.keyboard.press("Enter")
        page.wait_for_url("**/staff/login?out=1")
        assert "/staff/login?next=" in page.goto(live_server + "/staff/").url
    finally:
        context.close()
