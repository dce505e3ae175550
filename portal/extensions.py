"""Flask extensions as module globals, bound to the app in `init_app`."""
import hashlib
import hmac
import threading

from flask import current_app, request
from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from sqlalchemy.orm import DeclarativeBase

from portal.clock import today_local

babel = Babel()
compress = Compress()
csrf = CSRFProtect()


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
# Database objects a migration creates that the models cannot describe (an engine-specific index): an area
# adds their names, and the comparison of models with migrations (autogenerate, tests) leaves them out.
MIGRATION_ONLY_OBJECTS = db.metadata.info.setdefault("migration_only", set())


def include_in_comparison(obj, name, type_, reflected, compare_to):
    return not (reflected and compare_to is None and name in MIGRATION_ONLY_OBJECTS)


def client_key_for(address, secret_key):
    """Rate-limit key: an HMAC of the client address with a secret that changes every day, never the IP."""
    day = today_local().isoformat()
    secret = f"{secret_key}:ratelimit:{day}".encode()
    return hmac.new(secret, (address or "-").encode(), hashlib.sha256).hexdigest()[:32]


def anonymous_client_key():
    return client_key_for(request.remote_addr, current_app.config["SECRET_KEY"])


def limit_key_prefix(config):
    """The app's RATELIMIT_KEY_PREFIX, so that two sites (or two test runs) on one Redis never share counts.
    For the counters kept by hand beside Flask-Limiter's own (stored requests, /search before the cache)."""
    return str(config.get("RATELIMIT_KEY_PREFIX") or "portal")


limiter = Limiter(key_func=anonymous_client_key)


def init_app(app):
    compress.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.config["MIGRATIONS_DIR"]), render_as_batch=True,
                     include_object=include_in_comparison)
    csrf.init_app(app)
    # Flask-Limiter keeps the first app's key prefix and strategy for every later app (`self._x or config`).
    # Production holds one app per process, but the tests build hundreds, each with its own Redis prefix:
    # without this reset they all counted under the first one's and locked each other out.
    limiter._key_prefix = None
    limiter._strategy = None
    limiter.init_app(app)
    _serialise_memory_expiry(limiter.limiter.storage)


def _serialise_memory_expiry(storage):
    """limits' MemoryStorage restarts its expiry timer without a lock: two threads counting at once can both
    call `start()` on the same new Timer, and the second raises «threads can only be started once» — a 500 on
    /search under a threaded server (found by tests/search/test_degraded.py). One lock around the restart."""
    schedule = getattr(storage, "_MemoryStorage__schedule_expiry", None)
    if schedule is None or getattr(storage, "_portal_serialised", False):
        return
    lock = threading.Lock()

    def schedule_under_a_lock():
        with lock:
            schedule()
    storage._MemoryStorage__schedule_expiry = schedule_under_a_lock
    storage._portal_serialised = True
