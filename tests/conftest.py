"""Shared fixtures: `app`, `client`, `runner` (flaskr's trio), a `page` helper that checks every page's
invariants, and the live server + Chromium set-up for browser tests."""
import re
import threading
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from werkzeug.serving import make_server

from portal import create_app

pytest_plugins = ["tests.helpers.clock", "tests.helpers.limits", "tests.helpers.search_builds"]

ROOT = Path(__file__).resolve().parent.parent
FIXTURE_CONTENT = ROOT / "tests" / "fixtures" / "content" / "valid"
ARTIFACTS = ROOT / "test-artifacts"


def make_app(tmp_path, **overrides):
    """A fresh app with its own instance folder, SQLite file and search index."""
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


class Page:
    """A parsed HTML page that has passed the invariants every page must keep."""

    def __init__(self, response):
        self.response = response
        self.html = response.get_data(as_text=True)
        self.soup = BeautifulSoup(self.html, "html.parser")

    def text(self):
        return re.sub(r"\s+", " ", self.soup.get_text(" ")).strip()

    def check_invariants(self):
        soup = self.soup
        assert soup.html.get("lang") in ("ru", "en"), "<html lang> missing"
        h1s = soup.find_all("h1")
        assert len(h1s) == 1, f"expected one h1, found {len(h1s)}"
        title = soup.title.get_text().strip()
        h1 = re.sub(r"\s+", " ", h1s[0].get_text()).strip()
        assert title.startswith(h1), f"title {title!r} does not start with h1 {h1!r}"
        ids = [tag["id"] for tag in soup.find_all(id=True)]
        assert len(ids) == len(set(ids)), f"duplicate ids: {sorted({i for i in ids if ids.count(i) > 1})}"
        for form in soup.find_all("form"):
            assert form.get("action"), "a form without an action"
        for tag in soup.find_all(["script", "img", "link", "iframe", "source"]):
            url = tag.get("src") or tag.get("href") or ""
            assert not re.match(r"^(https?:)?//", url) or tag.name == "link" and tag.get("rel") == ["canonical"], \
                f"asset from another host: {tag}"
        assert not soup.find("script", src=False), "inline script breaks the CSP"
        assert not soup.find(style=True), "inline style breaks the CSP"
        for link in soup.find_all("a", href=re.compile(r"^(https?:)?//")):
            assert "noreferrer" in (link.get("rel") or []), f"external link without noreferrer: {link}"
        return self


def page_getter(client):
    """page(url, status=200) -> Page after checking the status and every page invariant."""
    def get(url, status=200, **kwargs):
        response = client.get(url, **kwargs)
        assert response.status_code == status, f"{url}: {response.status_code}"
        return Page(response).check_invariants()
    return get


@pytest.fixture
def page(client):
    return page_getter(client)


# ---------------------------------------------------------------- browser tests (Playwright + Debian Chromium)

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]
PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """One app over the real guides for the whole browser session, production-like (compression on)."""
    # Many browser tests send the form from one loopback address: the per-client limit is tested elsewhere.
    return make_app(tmp_path_factory.mktemp("live"), APPLY_RATE_LIMIT="1000 per hour")


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app on a free loopback port in a daemon thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def screenshots():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
