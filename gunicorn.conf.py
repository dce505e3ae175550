"""gunicorn settings: `.venv/bin/gunicorn -c gunicorn.conf.py wsgi:app` (docs/deploy.md has the whole set-up).

Privacy. The access log never contains a query string: search queries (`/search?q=…`) can say a lot about a
person, so the request is logged as method and path only (`%(U)s`), never the request line (`%(r)s`) or the
query (`%(q)s`). The referrer (`%(f)s`) is left out too: after a search it is the results page, query
included. No client address (`%(h)s`) or user agent (`%(a)s`) either: the reverse proxy keeps what
monitoring needs.

Deployment settings come from the environment, so the app and gunicorn read the same numbers:
- bind: 127.0.0.1:8000 unless `-b` is given on the command line (nginx in front; never a public address);
- PORTAL_WORKERS processes (default 1) × PORTAL_THREADS threads each (default 4). The app reads
  PORTAL_WORKERS too and refuses more than one worker with per-process (memory://) rate limits.

No preload (`preload_app = False`): each worker imports and builds the app itself after the fork. Nothing
the app opens (SQLAlchemy pool, Whoosh files, Redis connections, the SMTP thread) can then be shared across
a fork, which keeps the search rule "never open a searcher before fork" true by construction; workers that
start together build a missing search index once (a lock file in the index folder). It also makes
`kill -HUP` (`systemctl reload`) load new code, guides and translations into fresh workers; with preload
they would keep the master's old copy. The cost (docs/performance.md): each worker loads the guides and
dictionaries itself, about 2 s and 125 MB per worker.
"""
import os
import re

from gunicorn.glogging import Logger

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_SECRET_PATH = re.compile(r"(/staff/setup/|/opros/)[^/]+")  # one-time links: setup, the survey


class SafeAccessLog(Logger):
    """`%(U)s` is the decoded path: escape control characters (no forged lines through `%0a`, no raw NUL) and
    hide anything after /staff/setup/ (old one-time links carried their secret there) and /opros/ (a survey
    link's token: with the time of the visit it could tell that a link was opened and not yet answered)."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        path = _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", atoms.get("U", ""))
        atoms["U"] = _SECRET_PATH.sub(r"\1…", path)
        return atoms


def _int_env(name, default, low, high):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    number = int(value)  # a typo fails the start with a clear ValueError, never a silent default
    if not low <= number <= high:
        raise ValueError(f"{name}={number}: expected {low}–{high}")
    return number


bind = ["127.0.0.1:8000"]
workers = _int_env("PORTAL_WORKERS", 1, 1, 64)
threads = _int_env("PORTAL_THREADS", 4, 1, 64)
worker_class = "gthread"
preload_app = False

timeout = 30  # a worker silent this long is restarted
graceful_timeout = 20  # requests in flight get this long on restart or stop
keepalive = 5  # seconds an idle keep-alive connection from nginx stays open
# Only the local nginx may set X-Forwarded-Proto (gunicorn's default, written out): then the app sees https.
forwarded_allow_ips = "127.0.0.1,::1"

# gunicorn ≥ 25 opens a control socket in the user's home; signals and systemd are enough here, and two
# instances on one host would share its path.
control_socket_disable = True

logger_class = SafeAccessLog
accesslog = "-"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
