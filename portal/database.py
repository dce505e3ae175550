"""Database URL and SQLite settings (WAL, synchronous=FULL, a busy timeout, foreign keys on every connection),
the guard that turns any storage failure into one honest «not stored», and the file check that keeps a deleted
or replaced SQLite file from swallowing acknowledged writes."""
import os
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


# ---------------------------------------------------------------- a deleted or replaced SQLite file
# A pooled SQLite connection keeps a deleted file's inode open and goes on writing into it: requests were
# acknowledged and lost (security review F-6). So every checkout compares the file on disk with the one the
# connection opened: gone or replaced (a backup put back) → the connection is dropped and a new one opened —
# to the restored file, or, when there is no file at all where one existed, not at all (an error, so the
# form answers 503 and nothing is acknowledged). A file that never existed may be created (a fresh install).

_seen_files = set()


def _sqlite_file(dbapi_connection):
    row = dbapi_connection.execute("PRAGMA database_list").fetchone()
    return row[2] if row and row[2] else None


def _identity(path):
    stat = os.stat(path)
    return stat.st_dev, stat.st_ino


@event.listens_for(Engine, "do_connect")
def _refuse_a_vanished_file(dialect, _record, cargs, _cparams):
    if dialect.name != "sqlite" or not cargs:
        return None
    path = str(cargs[0])
    if path in _seen_files and not os.path.exists(path):
        import sqlite3
        raise sqlite3.OperationalError("the database file is missing")
    return None


@event.listens_for(Engine, "connect")
def _remember_the_file(dbapi_connection, record):
    if type(dbapi_connection).__module__.startswith("sqlite3"):
        path = _sqlite_file(dbapi_connection)
        if path:
            _seen_files.add(path)
            record.info["sqlite_file"] = (path, _identity(path))


@event.listens_for(Engine, "checkout")
def _check_the_file_is_still_there(_dbapi_connection, record, _proxy):
    opened = record.info.get("sqlite_file")
    if opened is None:
        return
    path, identity = opened
    try:
        same = _identity(path) == identity
    except FileNotFoundError:
        same = False
    if not same:
        from sqlalchemy.exc import DisconnectionError
        raise DisconnectionError("the SQLite file was deleted or replaced")


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
