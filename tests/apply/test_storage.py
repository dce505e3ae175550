"""Nothing lost: a real SQLite file and a real PostgreSQL server, concurrent senders, a locked or read-only
database, CSRF, the rate limit and fuzzed input."""
import http.cookiejar
import sqlite3
import threading
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.serving import make_server

from portal.apply.models import Application
from portal.extensions import db
from tests.helpers.app import make_app
from tests.helpers.apply import VALID, hidden_fields, send_form


def count(app):
    with app.app_context():
        return db.session.execute(db.select(db.func.count(Application.id))).scalar_one()


def db_file(app):
    return Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///"))


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def send_over_http(base_url, n, results):
    """One visitor: a cookie jar, GET the form, POST it; repeated n times over real HTTP."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
    for i in range(n):
        html = opener.open(base_url + "/zayavka").read().decode()
        data = {**hidden_fields(html), **VALID, "name": f"Тест {chr(1072 + i % 30)}"}
        body = urllib.parse.urlencode(data, doseq=True).encode()
        try:
            response = opener.open(urllib.request.Request(base_url + "/zayavka", data=body))
            results.append((response.status, None))
        except urllib.error.HTTPError as error:
            results.append((error.code, error.headers.get("Location")))


def hammer(app, threads=20, per_thread=25):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    runner = threading.Thread(target=server.serve_forever, daemon=True)
    runner.start()
    results = []
    workers = [threading.Thread(target=send_over_http, args=(f"http://127.0.0.1:{server.server_port}",
                                                            per_thread, results)) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    server.shutdown()
    return results


def assert_every_acknowledged_request_stored_once(app, results, expected):
    statuses = Counter(status for status, _ in results)
    assert statuses == {303: expected}, statuses
    locations = [location for _, location in results]
    assert len(set(locations)) == expected  # every acknowledgement names a different request
    assert count(app) == expected
    with app.app_context():
        keys = db.session.execute(db.select(Application.idempotency_key)).scalars().all()
    assert len(set(keys)) == expected


def test_500_requests_from_20_threads_are_all_stored_in_sqlite(tmp_path):
    app = make_app(tmp_path, APPLY_RATE_LIMIT="10000 per hour", APPLY_GLOBAL_RATE_LIMIT="10000 per hour")
    assert_every_acknowledged_request_stored_once(app, hammer(app), 500)


def test_500_requests_from_20_threads_are_all_stored_in_postgresql(tmp_path, postgres_url):
    app = make_app(tmp_path, DATABASE_URL=postgres_url, APPLY_RATE_LIMIT="10000 per hour",
                   APPLY_GLOBAL_RATE_LIMIT="10000 per hour",
                   SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "pool_size": 25, "max_overflow": 5})
    try:
        assert_every_acknowledged_request_stored_once(app, hammer(app), 500)
    finally:
        with app.app_context():
            db.drop_all()
            db.engine.dispose()


def test_sqlite_runs_in_wal_mode_with_full_sync(app):
    with app.app_context():
        connection = db.engine.raw_connection()
        try:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert connection.execute("PRAGMA synchronous").fetchone()[0] == 2
            assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        finally:
            connection.close()


def test_locked_database_gives_503_with_the_input_intact(tmp_path):
    app = make_app(tmp_path, SQLALCHEMY_ENGINE_OPTIONS={"connect_args": {"timeout": 0.2}})
    client = app.test_client()
    holder = sqlite3.connect(db_file(app), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        response = send_form(client, name="Анна", comment="Мой текст про работу")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    html = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "Заявка не отправлена" in html
    assert 'value="Анна"' in html and "Мой текст про работу" in html
    assert count(app) == 0
    assert send_form(client).status_code == 303  # and it works again once the lock is gone


def test_read_only_database_gives_503_not_500(tmp_path):
    path = db_file(make_app(tmp_path))
    # SQLite's own read-only mode: file permissions would not stop root, which CI runs as.
    app = make_app(tmp_path, DATABASE_URL=f"sqlite:///file:{path}?mode=ro&uri=true")
    response = send_form(app.test_client(), name="Анна")
    assert response.status_code == 503
    assert 'value="Анна"' in response.get_data(as_text=True)


def test_full_disk_is_not_acknowledged_and_the_database_stays_intact(app, client):
    codes = []
    with app.app_context():
        connection = db.engine.raw_connection()
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.close()
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    import sqlalchemy

    @sqlalchemy.event.listens_for(sqlalchemy.engine.Engine, "connect")
    def cap_size(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count={pages + 2}")

    try:
        with app.app_context():
            db.engine.dispose()
        for _ in range(15):
            codes.append(send_form(client, comment="ж" * 1000).status_code)
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine, "connect", cap_size)
    assert 503 in codes
    assert count(app) == codes.count(303)
    with sqlite3.connect(db_file(app)) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_post_without_csrf_token_is_refused_but_the_input_comes_back(app, client):
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/zayavka", data={**VALID, "name": "Анна"})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert "Отправьте форму ещё раз" in html and 'value="Анна"' in html
    assert count(app) == 0


def test_same_origin_https_post_with_referer_passes_the_csrf_check(tmp_path):
    app = make_app(tmp_path, ENV="production", SECRET_KEY="p" * 48, OPERATOR_ADDRESS="г. Челябинск",
                   OPERATOR_EMAIL="a@b.ru", OPERATOR_PHONE="1", SITE_URL="https://localhost",
                   CENTRE_PHONE="+7 000 000-00-00", CENTRE_ADDRESS="г. Челябинск (тестовый адрес)")
    client = app.test_client()
    page = client.get("/zayavka", base_url="https://localhost")
    data = {**hidden_fields(page.get_data(as_text=True)), **VALID}
    response = client.post("/zayavka", data=data, base_url="https://localhost",
                           headers={"Referer": "https://localhost/zayavka"})
    assert response.status_code == 303
    assert count(app) == 1


def test_rate_limit_stops_a_flood_with_a_friendly_message_and_keeps_input(tmp_path):
    app = make_app(tmp_path, APPLY_RATE_LIMIT="2 per hour")
    client = app.test_client()
    codes = [send_form(client).status_code for _ in range(2)]
    blocked = send_form(client, name="Анна")
    assert codes == [303, 303]
    assert blocked.status_code == 429
    html = blocked.get_data(as_text=True)
    assert "Слишком много заявок" in html and 'value="Анна"' in html
    assert count(app) == 2


def test_rate_limit_storage_never_holds_an_ip_address(tmp_path):
    app = make_app(tmp_path, APPLY_RATE_LIMIT="2 per hour")
    client = app.test_client()
    send_form(client)
    from portal.extensions import limiter
    keys = " ".join(str(k) for k in limiter.storage.storage)  # memory storage in tests
    assert "127.0.0.1" not in keys and "localhost" not in keys


@pytest.fixture
def unlimited_client(tmp_path):
    app = make_app(tmp_path, APPLY_RATE_LIMIT="100000 per hour", APPLY_GLOBAL_RATE_LIMIT="100000 per hour")
    return app, app.test_client()


FIELD_TEXT = st.text(max_size=300) | st.text(alphabet=st.characters(codec="utf-8"), max_size=3000)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=FIELD_TEXT, contact=FIELD_TEXT, comment=FIELD_TEXT, date=FIELD_TEXT,
       method=st.sampled_from(["phone", "telegram", "vk", "max", "whatsapp", "in_person", "x", ""]),
       helps=st.lists(st.sampled_from(["benefit", "job", "other", "", "zzz"]), max_size=4),
       consent=st.sampled_from(["y", "", None]), district=st.sampled_from(["", "sovetsky", "moon"]))
def test_fuzzed_form_never_errors_and_nothing_is_stored_without_consent(unlimited_client, name, contact, comment,
                                                                        date, method, helps, consent, district):
    app, client = unlimited_client
    before = count(app)
    response = send_form(client, name=name, contact_value=contact, comment=comment, contact_from=date,
                         contact_method=method, help_needed=helps, consent=consent, district=district)
    assert response.status_code in (303, 422, 413)
    after = count(app)
    assert after - before == (1 if response.status_code == 303 else 0)
    if consent != "y":
        assert after == before


def test_oversized_post_is_rejected_with_413(client):
    assert client.post("/zayavka", data={"comment": "x" * 100_000}).status_code == 413
