"""The Alembic migrations build exactly the schema the models describe, on SQLite and on PostgreSQL."""
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from portal import create_app
from portal.extensions import db, include_in_comparison


def _fresh_app(tmp_path, url):
    return create_app({"TESTING": True, "SECRET_KEY": "m" * 40, "DATABASE_URL": url,
                       "SEARCH_INDEX_DIR": str(tmp_path / "idx")})


def _assert_schema_matches_models(app):
    with app.app_context():
        upgrade()
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"include_object": include_in_comparison})
            diff = compare_metadata(context, db.metadata)
        assert diff == [], diff
        downgrade(revision="base")
        with db.engine.connect() as connection:
            remaining = set(db.inspect(connection).get_table_names()) - {"alembic_version"}
        assert remaining == set()
        db.engine.dispose()


def test_migrations_match_the_models_on_sqlite(tmp_path):
    _assert_schema_matches_models(_fresh_app(tmp_path, f"sqlite:///{tmp_path / 'm.sqlite3'}"))


def test_migrations_match_the_models_on_postgresql(tmp_path, postgres_url):
    _assert_schema_matches_models(_fresh_app(tmp_path, postgres_url))


@pytest.mark.parametrize("command", [["db", "upgrade"]])
def test_db_upgrade_command_creates_a_working_database(tmp_path, command):
    app = _fresh_app(tmp_path, f"sqlite:///{tmp_path / 'cli.sqlite3'}")
    result = app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "application" in db.inspect(db.engine).get_table_names()


def test_running_the_migrations_leaves_the_security_log_working(tmp_path):
    # Alembic's fileConfig disables every logger it does not name unless told not to: after an in-process
    # `flask db upgrade` the security events went nowhere for the rest of the process.
    import logging
    app = _fresh_app(tmp_path, f"sqlite:///{tmp_path / 'log.sqlite3'}")
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert not logging.getLogger("portal.security").disabled
    assert not logging.getLogger("portal").disabled
