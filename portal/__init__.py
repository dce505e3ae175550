"""«Работа после освобождения»: the application factory."""
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask

from portal import config as default_config


class ConfigError(RuntimeError):
    """The app refuses to start with this configuration."""


def create_app(test_config=None):
    """Build the app: defaults, then PORTAL_* environment variables, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(default_config)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.update(test_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    _configure_secret_key(app)
    _configure_production(app)

    from portal import database
    database.configure(app)

    from portal import (
        cli,
        content,
        errors,
        extensions,
        health,
        i18n,
        logs,
        search_index,
        security,
        static_files,
        templating,
    )
    from portal.views import guides, search

    logs.init_app(app)
    extensions.init_app(app)
    health.init_app(app)
    i18n.init_app(app)
    security.init_app(app)
    static_files.init_app(app)
    content.init_app(app)
    search_index.init_app(app)
    templating.init_app(app)
    cli.init_app(app)

    app.register_blueprint(guides.bp)
    app.register_blueprint(search.bp)
    from portal import working_days
    working_days.init_app(app)
    from portal.views import apply
    apply.init_app(app)
    from portal.views import staff
    staff.init_app(app)
    from portal.views import feedback as feedback_views
    feedback_views.init_app(app)
    from portal.views import conviction as conviction_views
    conviction_views.init_app(app)
    from portal import plan
    plan.init_app(app)
    from portal.views import employers as employers_views
    employers_views.init_app(app)
    from portal import places
    places.init_app(app)
    from portal import vacancies
    vacancies.init_app(app)
    errors.init_app(app)
    search_index.build_on_start(app)  # after every area has registered its search documents
    from portal import page_cache
    page_cache.init_app(app)  # wraps the WSGI app: cached public pages skip Flask (docs/performance.md)
    security.guard_hosts(app)  # outside the page cache: a foreign Host gets 400, cached page or not
    _apply_proxy_fix(app)
    return app


def _apply_proxy_fix(app):
    """Behind nginx, take the client address from X-Forwarded-For (PORTAL_PROXY_FIX_X_FOR proxies deep).

    Without it every visitor shares nginx's address, so per-client rate limits would count the whole city
    as one client. gunicorn already trusts X-Forwarded-Proto from 127.0.0.1 (its `forwarded_allow_ips`)."""
    hops = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=0, x_host=0, x_port=0, x_prefix=0)


def is_production(app):
    return str(app.config.get("ENV", "development")).lower() == "production"


def _configure_secret_key(app):
    """Development gets a key generated once into the instance folder; production must bring its own."""
    key = app.config.get("SECRET_KEY")
    if key:
        if is_production(app) and (len(str(key)) < app.config["SECRET_KEY_MIN_LENGTH"]
                                   or "change" in str(key).lower() or "example" in str(key).lower()):
            raise ConfigError("PORTAL_SECRET_KEY is too short or an example value: give 32+ random characters")
        return
    if is_production(app):
        raise ConfigError("PORTAL_SECRET_KEY is required in production (32+ random characters)")
    key_file = Path(app.instance_path) / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    app.config["SECRET_KEY"] = key_file.read_text().strip()


def _configure_production(app):
    if is_production(app):
        app.config["DEBUG"] = False
        app.debug = False
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["SESSION_COOKIE_NAME"] = "__Host-session"
        app.config["PREFERRED_URL_SCHEME"] = "https"
        if not app.config.get("TRUSTED_HOSTS"):
            app.config["TRUSTED_HOSTS"] = [urlsplit(app.config["SITE_URL"]).hostname, "localhost", "127.0.0.1"]
        missing = [k for k in ("OPERATOR_NAME", "OPERATOR_ADDRESS", "OPERATOR_EMAIL", "OPERATOR_PHONE")
                   if not str(app.config.get(k) or "").strip()]
        if missing:
            raise ConfigError("The consent names the operator: set " + ", ".join(f"PORTAL_{k}" for k in missing))
        # Every page's help box, the leaflet and the printed plan tell people how to reach the centre, and
        # half of them come in person: a public site without the centre's phone and address is a dead end.
        missing = [k for k in ("CENTRE_PHONE", "CENTRE_ADDRESS") if not str(app.config.get(k) or "").strip()]
        if missing:
            raise ConfigError("Pages tell people how to reach the centre: set "
                              + ", ".join(f"PORTAL_{k}" for k in missing))
        if int(app.config.get("WORKERS", 1)) > 1 and str(app.config["RATELIMIT_STORAGE_URI"]).startswith("memory"):
            raise ConfigError("PORTAL_WORKERS > 1 needs shared rate-limit storage: set PORTAL_RATELIMIT_STORAGE_URI "
                              "to redis://…")
