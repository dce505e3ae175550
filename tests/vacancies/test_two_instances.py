"""Two app instances on one PostgreSQL: a sync through one is served by the other at once (no restart)."""
import re

from tests.helpers.app import make_app


def _count(client, query=""):
    html = client.get(f"/vakansii{query}").get_data(as_text=True)
    return int(re.search(r"(\d+) ваканс", html.split('class="result-count"')[1]).group(1))


def test_a_sync_through_one_instance_is_served_by_the_other(tmp_path, postgres_url, fake_api):
    first = make_app(tmp_path / "a", DATABASE_URL=postgres_url, VACANCY_API_URL=fake_api.url,
                     VACANCY_SYNC_BACKOFF=0.01)
    second = make_app(tmp_path / "b", DATABASE_URL=postgres_url)
    reader = second.test_client()
    assert _count(reader) == 0
    assert _count(reader, "?q=грущик") == 0  # the reader's typo vocabulary is now built (empty)
    result = first.test_cli_runner().invoke(args=["vacancies", "sync"])
    assert result.exit_code == 0, result.output
    assert _count(reader) == 250
    assert _count(reader, "?q=грущик") > 0  # a new sync generation rebuilds the vocabulary
    assert 0 < _count(reader, "?closed=deti,taksi") < 250
    assert 0 < _count(reader, "?salary_from=50000&housing=y&sort=pay") < 250
    fake_api.records = fake_api.records[10:]
    assert first.test_cli_runner().invoke(args=["vacancies", "sync"]).exit_code == 0
    assert _count(reader) == 240
    from portal.extensions import db
    with second.app_context():
        db.engine.dispose()
    with first.app_context():
        db.drop_all()  # the session's PostgreSQL database is shared with tests/test_migrations.py
        db.engine.dispose()
