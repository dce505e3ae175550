"""«Работа после освобождения»: the application factory, read as a table of contents.

docs/architecture.md shows the tree and a request's path through it.
"""
from flask import Flask

from portal import config
from portal.config import ConfigError, is_production  # noqa: F401  (wsgi.py and the tests take them from here)


def create_app(test_config=None):
    """Build the app: defaults, then PORTAL_* environment variables, then test_config."""
    app = Flask(__name__, instance_relative_config=True)
    config.load(app, test_config)

    from portal import (
        cli,
        database,
        errors,
        extensions,
        health,
        i18n,
        logs,
        page_cache,
        security,
        static_files,
        templating,
        working_days,
    )
    # Shared mechanisms first: the areas register their pages, checks, sources and commands with them.
    database.configure(app)
    for module in (logs, extensions, health, i18n, security, static_files, templating, working_days, cli, errors):
        module.init_app(app)

    from portal import apply, conviction, employers, feedback, guides, places, plan, search, staff, vacancies
    # Guides first (the others read the library), search before the areas that register search sources.
    for area in (guides, search, apply, staff, feedback, conviction, plan, employers, places, vacancies):
        area.init_app(app)

    search.build_on_start(app)  # once every area has registered its documents
    page_cache.init_app(app)  # wraps the WSGI app: cached public pages skip Flask (docs/performance.md)
    security.guard_hosts(app)  # outside the page cache: a foreign Host gets 400, cached page or not
    security.apply_proxy_fix(app)
    return app
