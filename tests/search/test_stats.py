"""Anonymous search statistics (security item 45 as overridden by the project): a count per normalised query
per day and whether it found anything; nothing that identifies anyone; nothing in any log."""
import os
import sqlite3
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from portal.clock import today_local
from portal.extensions import db
from portal.search import stats as search_stats
from portal.search.stats import SearchQueryDay
from tests.helpers.app import ROOT

CANARY = "канарейка-запрос"


def _rows(app):
    with app.app_context():
        return [(r.query, r.count, r.found) for r in db.session.execute(sa.select(SearchQueryDay)).scalars()]


def test_the_table_holds_only_query_day_count_and_found(app):
    assert set(SearchQueryDay.__table__.columns.keys()) == {"query", "day", "count", "found"}
    with app.app_context():
        columns = {c["name"] for c in sa.inspect(db.engine).get_columns("search_query_day")}
    assert columns == {"query", "day", "count", "found"}


def test_a_search_is_counted_under_its_normalised_query(app, client):
    for q in ("Пособие по безработице", "пособие  по безработице!", "ПОСОБИЕ по БЕЗРАБОТИЦЕ"):
        client.get("/search", query_string={"q": q})
    assert _rows(app) == [("пособие по безработице", 3, True)]


def test_a_query_that_found_nothing_is_counted_as_such(app, client):
    client.get("/search?q=квазиматериал")
    assert _rows(app) == [("квазиматериал", 1, False)]


def test_a_layout_repaired_query_is_counted_as_what_was_meant(app, client):
    client.get("/search?q=gjcj,bt")
    assert _rows(app) == [("пособие", 1, True)]


def test_empty_queries_and_further_pages_are_not_counted(app, client):
    client.get("/search?q=")
    client.get("/search?q=   ")
    client.get("/search?q=работа&page=2")
    assert _rows(app) == []


@pytest.mark.parametrize("q", [
    "пособие 2026", "позвоните 89991234567", "+7 999 123-45-67", "ivan.petrov@mail.ru", "@canary_tg",
    "https://example.org/x", "http://пособие.рф", "www.gosuslugi", "gosuslugi.ru справка", "сайт.рф",
    "статья 228", "дело №5",
])
def test_queries_with_digits_at_signs_or_links_are_never_stored(app, client, q):
    response = client.get("/search", query_string={"q": q})
    assert response.status_code == 200
    assert _rows(app) == []


def search_on_days(client, clock, query, days, times=1):
    """Search `query` `times` times on each of `days` consecutive Chelyabinsk days from 1 December 2026."""
    for offset in range(days):
        clock.set_local(date(2026, 12, 1) + timedelta(days=offset))
        for _ in range(times):
            client.get("/search", query_string={"q": query})


def test_staff_see_a_query_only_once_it_was_searched_on_three_different_days(app, client, clock):
    search_on_days(client, clock, "редкий запрос", days=2)
    search_on_days(client, clock, "справка о судимости", days=3)
    with app.app_context():
        assert search_stats.visible_queries() == [("справка о судимости", 3)]
    search_on_days(client, clock, "редкий запрос", days=3)
    with app.app_context():
        assert search_stats.visible_queries() == [("редкий запрос", 5), ("справка о судимости", 3)]


def test_one_visitor_repeating_a_search_on_one_day_never_reaches_staff(app, client, clock):
    search_on_days(client, clock, "справка о судимости", days=1, times=5)  # 2nd–5th from the page cache
    with app.app_context():
        assert search_stats.visible_queries() == []


def test_a_query_with_a_personal_name_is_never_stored(app, client, clock):
    search_on_days(client, clock, "канарейкин пётр семёнович освободился", days=4)
    search_on_days(client, clock, "сергей иванов пособие", days=4)
    with app.app_context():
        assert db.session.execute(sa.select(SearchQueryDay)).scalars().all() == []
    assert search_stats.storable("справка о судимости") and not search_stats.storable("мария петровна")


def test_counts_add_up_over_days_for_the_threshold(app):
    with app.app_context():
        today = today_local()
        db.session.add_all([SearchQueryDay(query="ночлег", day=today - timedelta(days=d), count=1, found=True)
                            for d in range(3)])
        db.session.commit()
        assert search_stats.visible_queries() == [("ночлег", 3)]


def test_rows_older_than_90_days_are_purged(app):
    with app.app_context():
        today = today_local()
        db.session.add_all([
            SearchQueryDay(query="старый", day=today - timedelta(days=91), count=5, found=True),
            SearchQueryDay(query="граница", day=today - timedelta(days=90), count=5, found=True),
            SearchQueryDay(query="свежий", day=today - timedelta(days=89), count=5, found=True),
        ])
        db.session.commit()
        assert search_stats.purge_old() == 1
        db.session.commit()
        kept = {r.query for r in db.session.execute(sa.select(SearchQueryDay)).scalars()}
    assert kept == {"граница", "свежий"}


def test_recording_purges_old_rows_once_a_day(app, client, monkeypatch):
    monkeypatch.setattr(search_stats, "_last_purge", None)
    with app.app_context():
        db.session.add(SearchQueryDay(query="старый", day=today_local() - timedelta(days=200),
                                      count=9, found=False))
        db.session.commit()
    client.get("/search?q=пособие")
    assert [q for q, _c, _f in _rows(app)] == ["пособие"]


def test_report_lists_top_and_zero_result_queries_above_the_threshold(app, client, runner, clock):
    search_on_days(client, clock, "пособие", days=4)
    search_on_days(client, clock, "квазиматериал", days=3)
    search_on_days(client, clock, "единственный", days=1, times=3)
    result = runner.invoke(args=["search", "report"])
    assert result.exit_code == 0, result.output
    top, _, missing = result.output.partition("Ничего не нашлось:")
    assert "4  пособие" in top and "3  квазиматериал" in top
    assert "3  квазиматериал" in missing and "пособие" not in missing
    assert "единственный" not in result.output


def test_a_broken_statistics_table_never_breaks_a_search_and_logs_no_query(app, client, caplog):
    with app.app_context():
        db.session.execute(sa.text("DROP TABLE search_query_day"))
        db.session.commit()
    response = client.get("/search", query_string={"q": CANARY + " пособие"})
    assert response.status_code == 200
    assert "search statistics not recorded" in caplog.text
    assert CANARY not in caplog.text


def test_the_canary_query_reaches_no_log_no_index_and_no_other_table(app, client, caplog):
    caplog.set_level("DEBUG")
    for url in (f"/search?q={CANARY}", f"/en/search?q={CANARY}", f"/search/suggest?q={CANARY}",
                f"/search?q={CANARY}&page=2"):
        assert client.get(url).status_code == 200
    assert CANARY not in caplog.text
    for path in Path(app.config["SEARCH_INDEX_DIR"]).rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path
    database = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        dump = "\n".join(connection.iterdump())
    assert dump.count(CANARY) == 1  # once: the anonymous daily count, nowhere else
    assert [(q, c) for q, c, _found in _rows(app)] == [(CANARY, 2)]  # page 2 and suggestions are not counted


def test_the_development_server_log_shows_no_query_string(app, caplog):
    import logging

    from werkzeug.serving import WSGIRequestHandler

    class Handler(WSGIRequestHandler):
        def __init__(self):  # no socket: only the logging path is exercised
            self.requestline = f"GET /search?q={CANARY} HTTP/1.1"
            self.client_address = ("127.0.0.1", 0)
            self.command, self.path = "GET", f"/search?q={CANARY}"

    caplog.set_level(logging.INFO, logger="werkzeug")
    Handler().log_request(200, 1234)
    assert "GET /search HTTP/1.1" in caplog.text and CANARY not in caplog.text


def test_gunicorn_access_log_format_has_no_query_string():
    import runpy
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    log_format = settings["access_log_format"]
    assert "%(U)s" in log_format
    for forbidden in ("%(r)s", "%(q)s", "%(f)s", "%(h)s", "%(a)s"):
        assert forbidden not in log_format, forbidden


def test_the_migration_creates_exactly_the_statistics_table(tmp_path):
    database = tmp_path / "migrated.sqlite3"
    env = {**os.environ, "PORTAL_DATABASE_URL": f"sqlite:///{database}", "PORTAL_SECRET_KEY": "k" * 40,
           "PORTAL_SEARCH_BUILD_ON_START": "false", "PORTAL_SEARCH_INDEX_DIR": str(tmp_path / "idx")}
    command = [sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"]
    upgrade = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert upgrade.returncode == 0, upgrade.stderr
    with sqlite3.connect(database) as connection:
        columns = {row[1]: row for row in connection.execute("PRAGMA table_info(search_query_day)")}
        indexes = [row[1] for row in connection.execute("PRAGMA index_list(search_query_day)")]
    assert set(columns) == {"query", "day", "count", "found"}
    assert {name for name, row in columns.items() if row[5]} == {"query", "day"}  # the primary key
    assert all(row[3] for row in columns.values())  # NOT NULL
    assert "ix_search_query_day_day" in indexes


def test_flask_search_purge_deletes_old_rows(app, runner):
    with app.app_context():
        db.session.add(SearchQueryDay(query="старый", day=today_local() - timedelta(days=120),
                                      count=4, found=True))
        db.session.commit()
    result = runner.invoke(args=["search", "purge"])
    assert result.exit_code == 0 and "Удалено строк: 1" in result.output
    assert _rows(app) == []


def test_a_search_at_three_in_the_night_in_chelyabinsk_counts_on_the_chelyabinsk_day(app, client, clock):
    # 03:00 on 2 December in Chelyabinsk is still 1 December in UTC, the server's clock.
    clock.set(datetime(2026, 12, 1, 22, 0, tzinfo=UTC))
    client.get("/search?q=ночлег")
    with app.app_context():
        days = db.session.execute(sa.select(SearchQueryDay.day).where(SearchQueryDay.query == "ночлег")).scalars()
        assert list(days) == [date(2026, 12, 2)]


def test_a_letter_without_a_unicode_name_is_not_stored_and_does_not_fail():
    # pymorphy3 calls unicodedata.name(), which raises ValueError for some letters (found by hypothesis)
    assert search_stats.storable("𗀀") is False
    assert search_stats.storable("пособие") is True
