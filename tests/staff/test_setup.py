"""Setup links and the `flask staff` commands: one-time, 24 hours, password and TOTP enrolment."""

import base64
import re

from sqlalchemy import select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.staff.models import StaffSession, StaffSetupToken, StaffUser
from tests.helpers.pages import Page
from tests.helpers.staff import code_at, code_step, hidden_fields, password_step, sign_in

NEW_PASSWORD = "жёлтый автобус едет на Северо-Запад"


def create(runner, username="vera"):
    result = runner.invoke(args=["staff", "create", username])
    assert result.exit_code == 0, result.output
    links = re.findall(r"http://localhost/staff/setup\?t=\S+", result.output)
    assert len(links) == 1, result.output
    return links[0].removeprefix("http://localhost")


def enrol_page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    page = Page(response).check_invariants()
    secret = page.soup.select_one(".secret-key code").get_text().replace(" ", "")
    return response, page, secret


def finish_setup(client, path, secret, clock, password=NEW_PASSWORD, confirm=None, code=None):
    response = client.get(path)
    data = hidden_fields(response, "/staff/setup")
    data.update(
        password=password,
        confirm=password if confirm is None else confirm,
        code=code or code_at(secret, clock()),
    )
    return client.post("/staff/setup", data=data)


def test_create_prints_a_one_time_link_and_makes_an_account_without_a_password(app, runner):
    path = create(runner)
    with app.app_context():
        user = db.session.execute(select(StaffUser).filter_by(username="vera")).scalar_one()
        assert user.password_hash is None and user.totp_secret is None and user.is_active
        token = db.session.execute(select(StaffSetupToken)).scalar_one()
        assert token.token_hash not in path  # only the hash is stored
        hours = (token.expires_at - user.created_at).total_seconds() / 3600
        assert 23.9 < hours <= 24.01


def test_create_refuses_a_duplicate_and_a_bad_username(runner):
    create(runner)
    duplicate = runner.invoke(args=["staff", "create", "vera"])
    assert duplicate.exit_code == 1 and "уже есть" in duplicate.output
    for bad in ["A", "Вера", "ve ra", "_vera", "x" * 41]:
        result = runner.invoke(args=["staff", "create", bad])
        assert result.exit_code == 1, bad


def test_the_setup_page_draws_the_qr_code_on_the_server(app, runner):
    client = app.test_client()
    path = create(runner)
    response, page, secret = enrol_page(client, path)
    image = page.soup.select_one(".qr img")
    assert image["src"].startswith("data:image/svg+xml;base64,") and image["alt"]
    svg = base64.b64decode(image["src"].split(",", 1)[1]).decode()
    assert svg.startswith("<svg") and "<script" not in svg
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    # The same browser sees the same secret until it confirms a code.
    assert enrol_page(client, path)[2] == secret


def test_setup_sets_an_argon2id_password_and_the_second_factor_then_sign_in_works(app, runner, clock):
    from types import SimpleNamespace

    client = app.test_client()
    path = create(runner)
    _response, _page, secret = enrol_page(client, path)
    response = finish_setup(client, path, secret, clock)
    assert response.status_code == 303 and response.location == "/staff/login"
    with app.app_context():
        user = db.session.execute(select(StaffUser).filter_by(username="vera")).scalar_one()
        assert user.password_hash.startswith("$argon2id$") and user.totp_secret == secret
        assert db.session.execute(select(AuditEvent).filter_by(action="staff_setup_done")).scalar_one()
    vera = SimpleNamespace(username="vera", password=NEW_PASSWORD, secret=secret)
    # The code typed at setup cannot be replayed to sign in ...
    assert password_step(client, vera).status_code == 303
    assert code_step(client, code_at(secret, clock())).status_code == 200
    # ... the next one can.
    clock.advance(seconds=30)
    assert code_step(client, code_at(secret, clock())).status_code == 303
    assert client.get("/staff/").status_code == 200


def test_a_setup_link_works_only_once(app, runner, clock):
    client = app.test_client()
    path = create(runner)
    secret = enrol_page(client, path)[2]
    assert finish_setup(client, path, secret, clock).status_code == 303
    again = app.test_client().get(path)
    assert again.status_code == 404
    assert "no longer works" in again.get_data(as_text=True) or "больше не работает" in again.get_data(
        as_text=True
    )


def test_a_setup_link_expires_after_24_hours(app, runner, clock):
    path = create(runner)
    clock.advance(hours=23, minutes=59)
    assert app.test_client().get(path).status_code == 200
    clock.advance(minutes=2)
    assert app.test_client().get(path).status_code == 404


def test_a_weak_password_or_a_wrong_code_keeps_you_on_the_page_with_a_message(app, runner, clock):
    client = app.test_client()
    path = create(runner)
    secret = enrol_page(client, path)[2]
    weak = finish_setup(client, path, secret, clock, password="Челябинск2025!")
    assert weak.status_code == 422 and 'class="error-message"' in weak.get_data(as_text=True)
    different = finish_setup(client, path, secret, clock, confirm=NEW_PASSWORD + "!")
    assert different.status_code == 422
    wrong_code = finish_setup(
        client, path, secret, clock, code="000000" if code_at(secret, clock()) != "000000" else "111111"
    )
    assert wrong_code.status_code == 422
    Page(wrong_code).check_invariants()
    with app.app_context():
        assert (
            db.session.execute(select(StaffUser).filter_by(username="vera")).scalar_one().password_hash
            is None
        )


def test_reset_password_ends_sessions_clears_both_factors_and_gives_a_new_link(
    app, runner, staff, clock, signed_in
):
    assert signed_in.get("/staff/").status_code == 200
    result = runner.invoke(args=["staff", "reset-password", "anna"])
    assert result.exit_code == 0 and "/staff/setup?t=" in result.output
    assert signed_in.get("/staff/").status_code == 302
    with app.app_context():
        user = db.session.get(StaffUser, staff.id)
        assert user.password_hash is None and user.totp_secret is None
        assert db.session.execute(select(StaffSession)).scalars().all() == []
    # The old password no longer opens anything.
    assert password_step(app.test_client(), staff).status_code == 200


def test_a_new_link_replaces_the_old_one(app, runner):
    first = create(runner)
    second = runner.invoke(args=["staff", "reset-password", "vera"]).output
    assert app.test_client().get(first).status_code == 404
    new_path = re.search(r"http://localhost(/staff/setup\?t=\S+)", second).group(1)
    assert app.test_client().get(new_path).status_code == 200


def test_disable_blocks_sign_in_and_setup_links_and_enable_undoes_it(app, runner, staff, clock):
    path = create(runner)
    assert runner.invoke(args=["staff", "disable", "vera"]).exit_code == 0
    assert app.test_client().get(path).status_code == 404
    assert runner.invoke(args=["staff", "disable", "anna"]).exit_code == 0
    assert password_step(app.test_client(), staff).status_code == 200
    assert runner.invoke(args=["staff", "enable", "anna"]).exit_code == 0
    assert sign_in(app.test_client(), staff, clock).status_code == 303


def test_commands_on_a_missing_account_fail_plainly(runner):
    for command in ["reset-password", "disable", "enable"]:
        result = runner.invoke(args=["staff", command, "ghost"])
        assert result.exit_code == 1 and "нет" in result.output


def test_staff_list_shows_accounts_and_their_state(runner, staff):
    create(runner)
    output = runner.invoke(args=["staff", "list"]).output
    assert "anna\tвключена\tнастроена" in output and "vera\tвключена\tждёт настройки" in output


def test_a_fresh_database_has_no_staff_accounts(app):
    with app.app_context():
        assert db.session.execute(select(StaffUser)).first() is None


def test_the_enrolment_secret_never_travels_in_the_cookie(app, runner):
    client = app.test_client()
    path = create(runner)
    response, _page, secret = enrol_page(client, path)
    cookies = " ".join(response.headers.getlist("Set-Cookie"))
    payload = cookies.split("=", 1)[1].split(".", 1)[0] if "=" in cookies else ""
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)) if payload else b""
    assert secret.encode() not in decoded and b"enrol" not in decoded
