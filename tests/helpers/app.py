"""Building apps for tests: `make_app` (own instance folder, SQLite file and index), the `app`, `fixture_app`,
`client`, `runner` fixtures (flaskr's trio), a fresh PostgreSQL database, and production settings."""
from pathlib import Path

import pytest

from portal import create_app

ROOT = Path(__file__).resolve().parents[2]


FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content" / "valid"


ARTIFACTS = ROOT / "test-artifacts"


def make_app(tmp_path, migrated=False, **overrides):
    """A fresh app with its own instance folder, SQLite file and search index; its tables from the models,
    or with `migrated` from the migrations, as `flask db upgrade` builds them (engine-specific indexes)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test-" + "x" * 40,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite3'}",
        "SEARCH_INDEX_DIR": str(tmp_path / "search_index"),
        "SITE_URL": "http://localhost",
        "APPLY_MIN_FILL_SECONDS": 0,  # tests post at machine speed; the bot test sets it back
        "SEARCH_STATS_FLUSH_SECONDS": 0,  # counts written at once; tests/test_page_cache.py checks batching
        "SEARCH_RATE_LIMIT": "100000 per minute",  # tests/search/test_rate_limit.py sets its own
    }
    config.update(overrides)
    app = create_app(config)
    with app.app_context():
        if migrated:
            from flask_migrate import upgrade
            upgrade()
        else:
            from portal.extensions import db
            db.create_all()
    return app


@pytest.fixture(scope="session")
def postgres_url():
    """A fresh database on the PostgreSQL server that `make test` starts (scripts/test-services.sh)."""
    import os
    import uuid

    import sqlalchemy

    base = os.environ.get("PORTAL_TEST_POSTGRES_URL")
    if not base:
        pytest.skip("PostgreSQL is not running: `make test` starts it (scripts/test-services.sh)")
    name = f"portal_test_{uuid.uuid4().hex[:8]}"
    admin = sqlalchemy.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'CREATE DATABASE "{name}"'))
    yield base.rsplit("/", 1)[0] + "/" + name
    with admin.connect() as connection:
        connection.execute(sqlalchemy.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture
def app(tmp_path):
    """The app over the real guides in portal/content."""
    return make_app(tmp_path)


@pytest.fixture
def fixture_app(tmp_path):
    """The app over the small fixture library in tests/fixtures/content/valid."""
    return make_app(tmp_path, CONTENT_DIR=str(FIXTURE_CONTENT))


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


STRONG = "s3cr3t-" + "q" * 40


OPERATOR = {"OPERATOR_ADDRESS": "г. Челябинск (тест)", "OPERATOR_EMAIL": "test@example.org", "OPERATOR_PHONE": "0",
            "CENTRE_PHONE": "+7 000 000-00-00", "CENTRE_ADDRESS": "г. Челябинск (тестовый адрес)"}


def production_config(**extra):
    """Settings a production start accepts (placeholders: never real contacts)."""
    return {"ENV": "production", "SECRET_KEY": STRONG, **OPERATOR, **extra}
