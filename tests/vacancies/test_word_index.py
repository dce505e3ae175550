"""The word indexes: on PostgreSQL the migrations leave a trigram index that the word search's `LIKE '% свар%'`
can use; on SQLite the FTS5 index of open cards gives exactly the answers of the plain scan and follows every
write in the same transaction."""
import pytest
from flask_migrate import downgrade
from sqlalchemy import func, select, text

from portal.extensions import db
from portal.vacancies import search, store
from portal.vacancies.demo import load_demo, sample_records
from portal.vacancies.models import TRIGRAM_INDEX, Vacancy
from portal.vacancies.search import Query
from portal.vacancies.sync import Fetched
from tests.helpers.app import make_app

QUERIES = [dict(text="сварщик"), dict(text="свар"), dict(text="вахта с проживанием"), dict(text="общежитие"),
           dict(text="повар без опыта"), dict(text="водитель", housing=True), dict(text="грузчик", salary_from=40000),
           dict(text="воспитатель", closed=("deti",)), dict(text="cdfhobr"), dict(text="грущик"),
           dict(text="охранник склад"), dict(text="продавец", sort="pay")]


def _answers():
    return [(found.total, found.hidden_by_law, [card.id for card in found.cards], found.corrected)
            for found in (search.search(Query(**q)) for q in QUERIES)]


def _drop_index():
    db.session.execute(text(f"DROP TABLE IF EXISTS {store.FTS_TABLE}"))
    db.session.commit()


@pytest.fixture
def demo_sqlite(tmp_path):
    app = make_app(tmp_path)
    with app.app_context():
        load_demo()
        yield app


def test_sqlite_index_gives_exactly_the_answers_of_the_plain_scan(demo_sqlite):
    assert store.fts_available()
    indexed = _answers()
    assert any(total for total, *_ in indexed) and any(hidden for _, hidden, *_ in indexed)
    _drop_index()
    assert not store.fts_available()
    assert _answers() == indexed


def test_the_index_holds_only_open_cards_and_follows_each_sync_in_its_transaction(demo_sqlite):
    db.session.execute(text("CREATE VIRTUAL TABLE vacancy_fts USING fts5(search_text)"))  # an older index
    db.session.commit()
    records = sample_records(60)
    store.apply(Fetched(records=records[:40], total=40, pages=1, pages_total=1, complete=True), "demo", is_demo=True)
    names = set(db.session.execute(text("SELECT name FROM sqlite_master")).scalars())
    assert "vacancy_fts" not in names and store.FTS_TABLE in names
    open_ids = set(db.session.execute(select(Vacancy.id).where(Vacancy.status == "open")).scalars())
    closed = db.session.execute(select(func.count()).where(Vacancy.status == "closed")).scalar()
    assert closed > 0
    indexed = set(db.session.execute(text(f"SELECT rowid FROM {store.FTS_TABLE}")).scalars())
    assert indexed == open_ids
    indexed_answers = _answers()
    _drop_index()
    assert _answers() == indexed_answers



def _plan(sql, params):
    with db.engine.connect() as connection:
        connection.exec_driver_sql("SET enable_seqscan = off")  # a small table: ask whether the index *can* serve
        return "\n".join(row[0] for row in connection.execute(text("EXPLAIN " + sql), params))


def test_postgresql_has_a_trigram_index_the_word_search_uses(tmp_path, postgres_url, fake_api):
    app = make_app(tmp_path, migrated=True, DATABASE_URL=postgres_url, VACANCY_API_URL=fake_api.url,
                   VACANCY_SYNC_BACKOFF=0.01)
    try:
        assert app.test_cli_runner().invoke(args=["vacancies", "sync"]).exit_code == 0
        with app.app_context():
            names = db.session.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'vacancy'")).scalars()
            assert TRIGRAM_INDEX in set(names)
            plan = _plan("SELECT id FROM vacancy WHERE search_text LIKE :p", {"p": "% сварщ%"})
            assert TRIGRAM_INDEX in plan, plan
            found = search.search(Query(text="сварщик"))
            assert found.total > 0 and all("сварщ" in card.search_text for card in found.cards)
    finally:
        with app.app_context():
            db.session.remove()
            downgrade(revision="base")  # the session's PostgreSQL database is shared with other tests
            db.engine.dispose()
