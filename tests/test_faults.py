"""Faults tell the truth (issue 12; security review F-6, F-16): a deleted or replaced database file, a write
lock — the form answers 503 with the input kept and nothing acknowledged, the desk and the widgets never 500,
and /readyz says so."""
import os
import shutil
import sqlite3

from portal.apply.models import Application
from portal.extensions import db
from tests.helpers.app import make_app
from tests.helpers.apply import send_form
from tests.helpers.staff import make_staff, sign_in
from tests.helpers.survey import make_invitation

SAME_ORIGIN = {"Sec-Fetch-Site": "same-origin"}


def stored_names(path):
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM application ORDER BY id")]
    finally:
        connection.close()


def remove_database(path):
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")


def test_with_the_database_file_deleted_nothing_is_acknowledged(tmp_path):
    app = make_app(tmp_path)
    path = tmp_path / "portal.sqlite3"
    client = app.test_client()
    assert send_form(client, name="Первый").status_code == 303
    remove_database(path)
    response = send_form(client, name="Второй")
    assert response.status_code == 503
    assert "Второй" in response.get_data(as_text=True)  # the input is kept
    assert client.get("/readyz").status_code == 503


def test_a_backup_put_back_in_place_receives_the_next_request(tmp_path):
    app = make_app(tmp_path)
    path = tmp_path / "portal.sqlite3"
    client = app.test_client()
    assert send_form(client, name="Первый").status_code == 303
    backup = tmp_path / "backup.sqlite3"
    source, target = sqlite3.connect(path), sqlite3.connect(backup)
    source.backup(target)
    source.close(), target.close()
    remove_database(path)
    shutil.copy(backup, tmp_path / "restored.sqlite3")
    os.replace(tmp_path / "restored.sqlite3", path)  # a new file (inode) where the old one was
    assert send_form(client, name="Второй").status_code == 303
    assert stored_names(path) == ["Первый", "Второй"]
    assert client.get("/readyz").status_code == 200


def hold_write_lock(path):
    blocker = sqlite3.connect(path)
    blocker.execute("BEGIN EXCLUSIVE")
    return blocker


def test_under_a_write_lock_the_desk_reads_and_the_widgets_answer_503(tmp_path, clock):
    app = make_app(tmp_path, SQLITE_BUSY_TIMEOUT=0.2)
    user = make_staff(app)
    desk = app.test_client()
    assert sign_in(desk, user, clock).status_code == 303
    token = make_invitation(app)
    blocker = hold_write_lock(tmp_path / "portal.sqlite3")
    try:
        assert desk.get("/staff/").status_code == 200
        visitor = app.test_client()
        vote = visitor.post("/otzyv", data={"page": "/posobie/kto-poluchaet", "answer": "yes"}, headers=SAME_ORIGIN)
        share = visitor.post("/share", data={"page": "/posobie/kto-poluchaet", "channel": "vk"}, headers=SAME_ORIGIN)
        survey = visitor.post(f"/opros/{token}", data={"score": "9"}, headers=SAME_ORIGIN)
        assert (vote.status_code, share.status_code, survey.status_code) == (503, 503, 503)
        assert "Traceback" not in vote.get_data(as_text=True)
        assert visitor.get("/readyz").status_code == 503
    finally:
        blocker.rollback()
        blocker.close()
    assert visitor.get("/readyz").status_code == 200


def test_healthz_answers_while_the_database_is_gone(tmp_path):
    app = make_app(tmp_path)
    remove_database(tmp_path / "portal.sqlite3")
    response = app.test_client().get("/healthz")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers


def test_readyz_names_a_broken_search_index(tmp_path):
    app = make_app(tmp_path)
    shutil.rmtree(tmp_path / "search_index")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503 and "search_index" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.execute(db.select(Application)).first() is None


def test_a_lost_postgresql_connection_is_never_an_acknowledged_loss(tmp_path, postgres_url):
    import sqlalchemy

    app = make_app(tmp_path, DATABASE_URL=postgres_url)
    client = app.test_client()
    assert send_form(client, name="Первый").status_code == 303
    name = sqlalchemy.engine.make_url(postgres_url).database
    admin = sqlalchemy.create_engine(postgres_url.rsplit("/", 1)[0] + "/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:  # the server drops every connection of the app (a restart, a network cut)
        connection.execute(sqlalchemy.text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                           "WHERE datname = :name AND pid <> pg_backend_pid()"), {"name": name})
    admin.dispose()
    response = send_form(client, name="Второй")
    assert response.status_code in (303, 503)
    with app.app_context():
        stored = [a.name for a in db.session.execute(db.select(Application).order_by(Application.id)).scalars()]
        db.session.remove()  # its read lock would make the DROP below wait for ever
        db.drop_all()  # the PostgreSQL database is shared by the session (tests/test_migrations.py upgrades it)
        db.engine.dispose()
    assert stored == (["Первый", "Второй"] if response.status_code == 303 else ["Первый"])
