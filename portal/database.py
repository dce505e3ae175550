"""Database URL and SQLite settings (WAL, synchronous=FULL, a busy timeout, foreign keys on every connection),
the guard that turns any storage failure into one honest «not stored», and the file check that keeps a deleted
or replaced SQLite file from swallowing acknowledged writes."""
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine


def database_uri(app):
    """PORTAL_DATABASE_URL when given, else a SQLite file in the instance folder."""
    url = app.config.get("DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{Path(app.instance_path) / 'portal.sqlite3'}"


@event.listens_for(Engine, "connect")
def _sqlite_pragmas(dbapi_connection, _record):
    # WAL lets readers work while a request is written; FULL makes an acknowledged request survive a crash.
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def configure(app):
    uri = database_uri(app)
    app.config["SQLALCHEMY_DATABASE_URI"] = uri
    options = {"pool_pre_ping": True}
    if uri.startswith("sqlite"):
        # sqlite3's timeout is SQLite's busy handler: wait this long for a writer before "database is locked".
        options["connect_args"] = {"timeout": app.config["SQLITE_BUSY_TIMEOUT"]}
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)


class StorageUnavailable(Exception):
    """The database could not take the write (locked, read-only, full, down, file gone): tell the person, keep
    their input, acknowledge nothing."""


@contextmanager
def storage_guard():
    """Turn any database error into StorageUnavailable after a rollback; the message names only the error
    type (database errors quote the submitted values). Shared by every public write."""
    from sqlalchemy.exc import OperationalError, SQLAlchemyError

    from portal.extensions import db

    try:
        yield
    except OperationalError as error:
        db.session.rollback()
        raise StorageUnavailable(type(error.orig).__name__) from None
    except SQLAlchemyError as error:
        db.session.rollback()
        raise StorageUnavailable(type(error).__name__) from None
