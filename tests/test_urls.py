"""Public URLs never vanish silently, and reading a page never changes what is stored."""
import hashlib

import pytest

from portal.extensions import db
from tests.helpers.app import ROOT

SNAPSHOT = ROOT / "tests" / "fixtures" / "public_urls.txt"


def public_rules(app):
    """Every URL rule a visitor can reach (staff and static files aside), as text."""
    return sorted({rule.rule for rule in app.url_map.iter_rules()
                   if not rule.rule.startswith(("/staff", "/static")) and rule.endpoint != "static"})


def test_no_public_url_disappears(app):
    # Printed links and QR codes on leaflets live for years: a removed URL needs a redirect rule instead.
    expected = [line for line in SNAPSHOT.read_text().splitlines() if line.strip()]
    missing = sorted(set(expected) - set(public_rules(app)))
    assert not missing, f"public URLs disappeared: {missing}"


def _database_fingerprint(app):
    digest = hashlib.sha256()
    with app.app_context():
        for table in db.metadata.sorted_tables:
            for row in db.session.execute(db.select(table)).all():
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _simple_get_urls(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and not rule.arguments - set(rule.defaults or {}):
            yield rule.rule


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_get_requests_never_change_stored_data(app, client, prefix):
    before = _database_fingerprint(app)
    for url in _simple_get_urls(app):
        if url.startswith("/en") and not prefix:
            continue
        response = client.get(url)
        assert response.status_code < 500, url
    assert _database_fingerprint(app) == before
