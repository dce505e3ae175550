"""Signing in: two real steps, one generic error, single-use codes, rate limits, revocable sessions,
timeouts."""

import re

from argon2 import PasswordHasher, extract_parameters
from sqlalchemy import select

from portal.audit import AuditEvent
from portal.extensions import db
from portal.staff import auth as staff_auth
from portal.staff import credentials as staff_credentials
from portal.staff.models import StaffSession, StaffUser
from tests.helpers.app import make_app
from tests.helpers.staff import PASSWORD, code_at, code_step, csrf_token, logout, make_staff, password_step, sign_in


def test_a_full_sign_in_reaches_the_desk_and_is_audited(app, staff, clock):
    client = app.test_client()
    response = sign_in(client, staff, clock)
    assert response.status_code == 303 and response.location == "/staff/"
    assert client.get("/staff/").status_code == 200
    with app.app_context():
        events = db.session.execute(select(AuditEvent).filter_by(action="login")).scalars().all()
        assert [(e.actor, e.action) for e in events] == [("anna", "login")]


def test_password_only_cannot_reach_the_desk(app, staff, clock):
    client = app.test_client()
    assert password_step(client, staff).status_code == 303
    response = client.get("/staff/")
    assert response.status_code == 302 and response.location.startswith("/staff/login")
    assert client.get("/staff/export.csv").status_code == 302


def test_a_code_works_only_once(app, staff, clock):
    client = app.test_client()
    code = code_at(staff.secret, clock())
    assert password_step(client, staff).status_code == 303
    assert code_step(client, code).status_code == 303
    logout(client)
    assert password_step(client, staff).status_code == 303
    response = code_step(client, code)
    assert response.status_code == 200
    assert "only once" in response.get_data(as_text=True) or "один раз" in response.get_data(as_text=True)
    assert client.get("/staff/").status_code == 302
    clock.advance(seconds=30)
    assert code_step(client, code_at(staff.secret, clock())).status_code == 303


def test_codes_one_step_early_or_late_pass_and_two_steps_do_not(app, staff, clock):
    with app.test_request_context():
        now = clock()
        assert staff_credentials.match_totp(staff.secret, code_at(staff.secret, now, steps=-1)) is not None
        assert staff_credentials.match_totp(staff.secret, code_at(staff.secret, now, steps=1)) is not None
        assert staff_credentials.match_totp(staff.secret, code_at(staff.secret, now, steps=-2)) is None
        assert staff_credentials.match_totp(staff.secret, code_at(staff.secret, now, steps=2)) is None
        spaced = code_at(staff.secret, now)
        assert staff_credentials.match_totp(staff.secret, f"{spaced[:3]} {spaced[3:]}") is not None
        for junk in ["", "12345", "1234567", "abcdef", "١٢٣٤٥٦", None]:
            assert staff_credentials.match_totp(staff.secret, junk) is None


def _normalised(response, username):
    html = response.get_data(as_text=True)
    html = re.sub(r'name="csrf_token" value="[^"]*"', 'name="csrf_token" value=""', html)
    return html.replace(f'value="{username}"', 'value=""')


def test_wrong_password_and_unknown_user_get_the_same_page(app, staff):
    client = app.test_client()
    wrong_password = password_step(client, staff, password="совсем не тот пароль, увы")
    unknown_user = password_step(client, staff, username="nobody", password="совсем не тот пароль, увы")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert _normalised(wrong_password, staff.username) == _normalised(unknown_user, "nobody")
    assert (
        "did not work" in wrong_password.get_data(as_text=True)
        or "не получилось" in wrong_password.get_data(as_text=True).lower()
    )


def test_a_disabled_account_with_the_right_password_gets_the_same_page(app, staff):
    client = app.test_client()
    wrong = password_step(client, staff, password="совсем не тот пароль, увы")
    with app.app_context():
        db.session.get(StaffUser, staff.id).is_active = False
        db.session.commit()
    disabled = password_step(client, staff)
    assert disabled.status_code == 200
    assert _normalised(disabled, staff.username) == _normalised(wrong, staff.username)


def test_an_unknown_user_still_costs_one_argon2_verification(app, monkeypatch):
    calls = []

    class CountingHasher:
        def verify(self, stored, password):
            calls.append(stored)
            return real.verify(stored, password)

        def __getattr__(self, name):
            return getattr(real, name)

    real = staff_credentials.hasher
    monkeypatch.setattr(staff_credentials, "hasher", CountingHasher())
    client = app.test_client()
    from types import SimpleNamespace

    password_step(client, SimpleNamespace(username="nobody", password="какой-то длинный пароль"))
    assert len(calls) == 1 and calls[0].startswith("$argon2id$")


def test_the_fourth_wrong_password_in_a_minute_gets_a_friendly_429(app, staff):
    client = app.test_client()
    statuses = [
        password_step(client, staff, password=f"неверный пароль номер {i}").status_code for i in range(4)
    ]
    assert statuses == [200] * 3 + [429]
    response = password_step(client, staff)
    text = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Слишком много попыток" in text and "Traceback" not in text
    assert 0 < int(response.headers["Retry-After"]) <= 60  # the first step of a delay that grows


def test_the_sixth_sign_in_from_one_address_in_a_minute_is_refused_whatever_the_name(app, staff):
    client = app.test_client()
    statuses = [password_step(client, staff, username=f"user{i}", password="неверный пароль").status_code
                for i in range(6)]
    assert statuses == [200] * 5 + [429]


def test_code_posts_are_rate_limited_too(app, staff, clock):
    client = app.test_client()
    assert password_step(client, staff).status_code == 303
    statuses = [code_step(client, "000000").status_code for _ in range(4)]
    assert statuses == [200] * 3 + [429]


def _attempt_from(app, staff, address, **fields):
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    return password_step(client, staff, **fields)


def test_ten_wrong_passwords_from_one_address_do_not_lock_the_owner_out_from_another(tmp_path, limit_storage):
    app = make_app(tmp_path, **limit_storage)
    staff = make_staff(app)
    statuses = [_attempt_from(app, staff, "10.0.0.1", password=f"неверный пароль {i}").status_code
                for i in range(10)]
    assert statuses[:3] == [200] * 3 and set(statuses[3:]) == {429}
    assert _attempt_from(app, staff, "10.0.0.2").status_code == 303  # the owner, at the office


def test_a_correct_password_does_not_count_as_a_failure(app, staff):
    statuses = [_attempt_from(app, staff, "10.0.0.3").status_code for _ in range(4)]
    assert statuses == [303] * 4


def test_flask_staff_unlock_lets_the_person_in_at_once(app, staff, runner):
    for i in range(3):
        _attempt_from(app, staff, "10.0.0.4", password=f"неверный пароль {i}")
    assert _attempt_from(app, staff, "10.0.0.4").status_code == 429
    result = runner.invoke(args=["staff", "unlock", staff.username])
    assert result.exit_code == 0, result.output
    assert _attempt_from(app, staff, "10.0.0.4").status_code == 303
    with app.app_context():
        assert db.session.execute(select(AuditEvent).filter_by(action="staff_unlocked")).scalar_one().actor == "cli"


def test_failed_sign_ins_are_logged_without_the_name_or_the_password(app, staff, caplog):
    caplog.set_level("INFO")
    _attempt_from(app, staff, "10.0.0.5", password="неверный-пароль-канарейка")
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    assert any('"event": "staff_login_failed"' in line and '"step": "password"' in line for line in lines)
    everything = "\n".join(r.getMessage() for r in caplog.records)
    assert "канарейка" not in everything and staff.username not in everything


def test_a_copied_cookie_stops_working_after_logout(app, staff, clock):
    owner = app.test_client()
    assert sign_in(owner, staff, clock).status_code == 303
    stolen = owner.get_cookie("session").value
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/staff/").status_code == 200  # the copy works while the session lives
    logout(owner)
    replay = app.test_client()
    replay.set_cookie("session", stolen)
    response = replay.get("/staff/")
    assert response.status_code == 302 and response.location.startswith("/staff/login")
    with app.app_context():
        assert db.session.execute(select(StaffSession)).scalars().all() == []


def test_disabling_an_account_ends_its_active_session(app, staff, clock, runner):
    client = app.test_client()
    assert sign_in(client, staff, clock).status_code == 303
    assert client.get("/staff/").status_code == 200
    result = runner.invoke(args=["staff", "disable", "anna"])
    assert result.exit_code == 0, result.output
    assert client.get("/staff/").status_code == 302


def test_thirty_one_idle_minutes_send_you_back_to_sign_in(app, staff, clock):
    client = app.test_client()
    sign_in(client, staff, clock)
    clock.advance(minutes=29)
    assert client.get("/staff/").status_code == 200
    clock.advance(minutes=31)
    response = client.get("/staff/")
    assert response.status_code == 302 and response.location.startswith("/staff/login")
    notice = client.get(response.location).get_data(as_text=True)
    assert "долго не работали" in notice


def test_twelve_hours_of_activity_end_the_session_after_12_h_1_min(app, staff, clock):
    client = app.test_client()
    sign_in(client, staff, clock)
    for _ in range(36):  # a request every 20 minutes keeps the idle timer fresh for 12 hours
        clock.advance(minutes=20)
        assert client.get("/staff/").status_code == 200
    clock.advance(minutes=1)
    assert client.get("/staff/").status_code == 302


def test_sign_in_rotates_the_session_cookie(app, staff, clock):
    client = app.test_client()
    client.get("/staff/login")
    before = client.get_cookie("session").value
    assert password_step(client, staff).status_code == 303
    half_way = client.get_cookie("session").value
    code_step(client, code_at(staff.secret, clock()))
    after = client.get_cookie("session").value
    assert len({before, half_way, after}) == 3
    for old in (before, half_way):
        other = app.test_client()
        other.set_cookie("session", old)
        assert other.get("/staff/").status_code == 302


def test_each_sign_in_gets_a_new_server_session(app, staff, clock):
    first, second = app.test_client(), app.test_client()
    sign_in(first, staff, clock)
    clock.advance(seconds=30)
    sign_in(second, staff, clock)
    with app.app_context():
        assert len(db.session.execute(select(StaffSession)).scalars().all()) == 2
    assert first.get_cookie("session").value != second.get_cookie("session").value


def test_next_goes_only_to_pages_of_the_desk(app, staff, clock):
    for index, (wanted, expected) in enumerate(
        [
            ("https://evil.example/", "/staff/"),
            ("//evil.example", "/staff/"),
            ("/\\evil.example", "/staff/"),
            ("javascript:alert(1)", "/staff/"),
            ("/", "/staff/"),
            ("/staff/export.csv?status=new", "/staff/export.csv?status=new"),
        ]
    ):
        clock.advance(seconds=30)
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"10.1.0.{index}"  # stay under the per-address limit
        response = sign_in(client, staff, clock, next_url=wanted)
        assert response.status_code == 303
        assert response.location == expected, wanted


def test_an_anonymous_visit_to_a_desk_page_comes_back_after_sign_in(app, staff, clock):
    client = app.test_client()
    response = client.get("/staff/?status=done")
    assert response.status_code == 302
    login_page = client.get(response.location)
    assert 'value="/staff/?status=done"' in login_page.get_data(as_text=True)
    assert password_step(client, staff, next_url="/staff/?status=done").status_code == 303
    assert code_step(client, code_at(staff.secret, clock())).location == "/staff/?status=done"


def test_safe_next_table():
    accepted = ["/staff/", "/staff", "/staff/zayavki/3", "/staff/dashboard?x=1"]
    refused = [
        None,
        "",
        "https://evil.example",
        "//evil.example",
        "///evil.example",
        "/\\evil.example",
        "/staff/\r\nSet-Cookie: x",
        "http:/staff/",
        "/",
        "/zayavka",
        "/staffer",
        " /staff/",
        "/staff/" + "a" * 600,
    ]
    assert [staff_auth.safe_next(v) for v in accepted] == accepted
    assert [staff_auth.safe_next(v) for v in refused] == [None] * len(refused)


def test_the_code_step_expires_after_five_minutes(app, staff, clock):
    client = app.test_client()
    assert password_step(client, staff).status_code == 303
    clock.advance(minutes=6)
    response = client.get("/staff/login/code")
    assert response.status_code == 302 and response.location == "/staff/login"


def test_password_hashes_are_argon2id_with_the_asvs_parameters(app, staff):
    with app.app_context():
        stored = db.session.get(StaffUser, staff.id).password_hash
    parameters = extract_parameters(stored)
    assert (parameters.type.name, parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        "ID",
        3,
        65536,
        4,
    )
    assert stored.startswith("$argon2id$")


def test_a_weaker_hash_is_upgraded_at_sign_in(app, clock):
    weak = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    user = make_staff(app, username="boris", password_hash_value=weak)
    client = app.test_client()
    assert password_step(client, user).status_code == 303
    with app.app_context():
        stored = db.session.get(StaffUser, user.id).password_hash
    parameters = extract_parameters(stored)
    assert stored != weak and (parameters.time_cost, parameters.memory_cost, parameters.parallelism) == (
        3,
        65536,
        4,
    )


def test_the_login_form_has_no_remember_me_and_sets_no_lasting_cookie(app, staff, clock):
    client = app.test_client()
    page = client.get("/staff/login").get_data(as_text=True).lower()
    assert "remember" not in page and "запомнить" not in page
    response = sign_in(client, staff, clock)
    cookies = response.headers.getlist("Set-Cookie")
    assert cookies and all("expires" not in c.lower() and "max-age" not in c.lower() for c in cookies)
    assert all("httponly" in c.lower() and "samesite=lax" in c.lower() for c in cookies)


def test_the_production_staff_cookie_is_host_only_and_secure(tmp_path):
    from tests.helpers.app import make_app

    app = make_app(
        tmp_path,
        ENV="production",
        SITE_URL="https://rabota.example",
        OPERATOR_ADDRESS="г. Челябинск",
        OPERATOR_EMAIL="cz@example.org",
        OPERATOR_PHONE="+7 351 000-00-00",
        CENTRE_PHONE="+7 000 000-00-00",
        CENTRE_ADDRESS="г. Челябинск (тестовый адрес)",
    )
    response = app.test_client().get("/staff/login", base_url="https://localhost")
    cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("__Host-session=") and "Secure" in cookie and "HttpOnly" in cookie
    assert "Path=/" in cookie and "Domain" not in cookie


def test_a_csrf_failure_on_the_login_form_gives_a_fresh_form_not_a_bare_400(app, staff):
    client = app.test_client()
    client.get("/staff/login")
    response = client.post(
        "/staff/login", data={"username": "anna", "password": PASSWORD, "csrf_token": "bad"}
    )
    assert response.status_code == 303 and response.location == "/staff/login"
    page = client.get("/staff/login")
    assert csrf_token(page)
    assert "too long" in page.get_data(as_text=True) or "долго" in page.get_data(as_text=True)


def test_two_requests_racing_with_one_code_let_only_one_in(app, staff, clock, monkeypatch):
    first, second = app.test_client(), app.test_client()
    assert password_step(first, staff).status_code == 303
    assert password_step(second, staff).status_code == 303
    code = code_at(staff.secret, clock())
    # Both requests read totp_last_step before either wrote it: the check in match_totp sees nothing used.
    real_match = staff_auth.match_totp
    monkeypatch.setattr(staff_auth, "match_totp", lambda secret, c, last_step=None: real_match(secret, c))
    assert code_step(first, code).status_code == 303
    assert code_step(second, code).status_code == 200
    assert second.get("/staff/").status_code == 302
