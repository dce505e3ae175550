"""On PostgreSQL the migrations leave a trigram index that the word search's `LIKE '% свар%'` can use."""
from flask_migrate import downgrade
from sqlalchemy import text

from portal.extensions import db
from portal.vacancies import search
from portal.vacancies.models import TRIGRAM_INDEX
from portal.vacancies.search import Query
from tests.helpers.app import make_app


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
