"""`/healthz` (the process answers) and `/readyz` (it can do its job) for the load balancer and monitoring.

`/readyz` runs every registered readiness check — the database takes a write (a short write lock, rolled
back), and each area adds its own (the search index answers a query) — and answers 200 «ready» or 503 with
the names of the failing checks, never their error text. Both are plain text, uncached and cookieless, and
are not logged as errors: a balancer asks every few seconds.
"""
import logging
import os

from flask import Blueprint, current_app
from sqlalchemy import text

from portal.extensions import db
from portal.logs import security_event

bp = Blueprint("health", __name__)
log = logging.getLogger("portal.health")

PROBE_BUSY_MS = 1000  # how long the write probe waits for another writer before it calls the database not ready


def register_readiness_check(app, name, check):
    """`check()` raises (anything) when this part of the app cannot serve."""
    app.extensions.setdefault("readiness_checks", {})[name] = check


def database_writable():
    """Take the write lock and let it go at once: fails on a missing, read-only, locked or full database."""
    engine = db.engine
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            path = connection.execute(text("PRAGMA database_list")).fetchone()[2]
            if path and not os.access(path, os.W_OK):
                raise OSError("database file is not writable")
            previous = connection.execute(text("PRAGMA busy_timeout")).scalar()
            connection.exec_driver_sql(f"PRAGMA busy_timeout = {PROBE_BUSY_MS}")
            try:
                connection.exec_driver_sql("BEGIN IMMEDIATE")
                version = connection.execute(text("PRAGMA user_version")).scalar()
                connection.exec_driver_sql(f"PRAGMA user_version = {int(version)}")
                connection.exec_driver_sql("ROLLBACK")
            finally:
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(previous)}")
        else:
            read_only = connection.execute(text("SELECT current_setting('transaction_read_only')")).scalar()
            if read_only != "off" or connection.execute(text("SELECT pg_is_in_recovery()")).scalar():
                raise RuntimeError("database is read-only")
            connection.rollback()


def _plain(body, status):
    return body + "\n", status, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.route("/healthz")
def healthz():
    return _plain("ok", 200)


@bp.route("/readyz")
def readyz():
    failing = []
    for name, check in current_app.extensions.get("readiness_checks", {}).items():
        try:
            check()
        except Exception as error:  # any failure means «not ready»; only its type is logged
            failing.append(name)
            security_event("not_ready", check=name, error=type(error).__name__, level=logging.WARNING)
    if failing:
        return _plain("not ready: " + ", ".join(failing), 503)
    return _plain("ready", 200)


def init_app(app):
    app.register_blueprint(bp)
    register_readiness_check(app, "database", database_writable)
