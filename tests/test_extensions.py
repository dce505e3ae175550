"""portal/extensions.py: every app counts its rate limits under its own RATELIMIT_KEY_PREFIX."""
from portal.extensions import limiter
from tests.helpers.app import make_app


def test_each_app_counts_under_its_own_key_prefix(tmp_path):
    make_app(tmp_path / "first", RATELIMIT_KEY_PREFIX="first-site")
    second = make_app(tmp_path / "second", RATELIMIT_KEY_PREFIX="second-site")
    assert limiter._key_prefix == "second-site"
    assert second.config["RATELIMIT_KEY_PREFIX"] == "second-site"
