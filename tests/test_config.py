"""Zero configuration in development; production refuses unsafe settings."""
import pytest

from portal import ConfigError, create_app
from tests.helpers.app import OPERATOR, STRONG, production_config


def _config(tmp_path, **extra):
    return {"DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SEARCH_INDEX_DIR": str(tmp_path / "idx"), **extra}


def test_development_generates_a_secret_key_once_into_the_instance_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    first = create_app(_config(tmp_path, SECRET_KEY=None))
    second = create_app(_config(tmp_path, SECRET_KEY=None))
    assert len(first.config["SECRET_KEY"]) >= 64
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]


@pytest.mark.parametrize("key", [None, "short", "change-me-" + "x" * 40])
def test_production_refuses_to_start_without_a_strong_secret(tmp_path, key):
    with pytest.raises(ConfigError):
        create_app(_config(tmp_path, ENV="production", SECRET_KEY=key, **OPERATOR))


def test_production_starts_with_a_strong_secret_and_no_debug(tmp_path):
    app = create_app(_config(tmp_path, ENV="production", SECRET_KEY=STRONG, **OPERATOR))
    assert app.debug is False
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_NAME"] == "__Host-session"


def test_environment_variables_with_the_portal_prefix_configure_the_app(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_CENTRE_PHONE", "8 (351) 000-00-00")
    app = create_app(_config(tmp_path, SECRET_KEY=STRONG))
    assert app.config["CENTRE_PHONE"] == "8 (351) 000-00-00"
    page = app.test_client().get("/").get_data(as_text=True)
    assert 'href="tel:+73510000000"' in page  # dialable: 8 (351) … becomes +7351…


def test_production_refuses_placeholder_operator_details_in_the_consent(tmp_path):
    with pytest.raises(ConfigError, match="PORTAL_OPERATOR_ADDRESS"):
        create_app(_config(tmp_path, ENV="production", SECRET_KEY=STRONG, OPERATOR_EMAIL="a@b.ru", OPERATOR_PHONE="1"))


def test_production_refuses_per_process_rate_limits_with_several_workers(tmp_path):
    with pytest.raises(ConfigError, match="RATELIMIT_STORAGE_URI"):
        create_app(_config(tmp_path, ENV="production", SECRET_KEY=STRONG, WORKERS=4, **OPERATOR))


def test_production_answers_only_its_own_host(tmp_path):
    app = create_app(_config(tmp_path, ENV="production", SECRET_KEY=STRONG, SITE_URL="https://portal.example.ru",
                             PAGE_CACHE_ENABLED=False, **OPERATOR))
    client = app.test_client()
    assert client.get("/staff", headers={"Host": "evil.example"}).status_code == 400
    assert client.get("/healthz", headers={"Host": "portal.example.ru"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "127.0.0.1"}).status_code == 200


def test_trusted_hosts_come_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PORTAL_TRUSTED_HOSTS", '["a.example.ru", "b.example.ru"]')
    app = create_app(_config(tmp_path, ENV="production", SECRET_KEY=STRONG, **OPERATOR))
    assert app.config["TRUSTED_HOSTS"] == ["a.example.ru", "b.example.ru"]
    assert app.test_client().get("/healthz", headers={"Host": "c.example.ru"}).status_code == 400


@pytest.mark.parametrize("missing", ["CENTRE_PHONE", "CENTRE_ADDRESS"])
def test_production_refuses_to_start_without_the_centres_phone_and_address(tmp_path, missing):
    with pytest.raises(ConfigError, match=f"PORTAL_{missing}"):
        create_app(_config(tmp_path, **production_config(**{missing: " "})))
