"""Logging for both servers (`flask run` and gunicorn): one JSON line per event to stderr at INFO.

What is logged: security events (`security_event`: failed and locked sign-ins, wrong codes, CSRF failures,
rate-limit hits, bot checks, storage failures), the audit trail's lines and errors. What never is: a password,
a token, a query string or a personal value — callers pass codes and counts only, and the development server's
request lines lose their query string and any setup token here (gunicorn's access log does the same in
gunicorn.conf.py). `json.dumps` escapes newlines and control characters, so no value can forge a line.
"""
import json
import logging
import re
import sys

from portal.clock import now_utc

security_log = logging.getLogger("portal.security")

_QUERY_STRING_RE = re.compile(r"(\s/[^\s?]*)\?\S*")
_SECRET_PATH_RE = re.compile(r"(/staff/setup/|/opros/)[^\s/?\"]+")  # one-time links


def json_line(event, **fields):
    """One event as a JSON object: UTC time ending in Z, keys sorted, None values left out."""
    line = {"event": event, "ts": now_utc().strftime("%Y-%m-%dT%H:%M:%SZ")}
    line.update({key: value for key, value in fields.items() if value is not None})
    return json.dumps(line, ensure_ascii=False, sort_keys=True)


def security_event(event, level=logging.INFO, **fields):
    """Log one security event. `fields` must be codes, counts or HMACs — never what a person typed."""
    security_log.log(level, json_line(event, **fields))


def scrub_request_line(text):
    """A request line without its query string and with any one-time token replaced by «…»."""
    return _SECRET_PATH_RE.sub(r"\1…", _QUERY_STRING_RE.sub(r"\1", text))


class ScrubRequestLines(logging.Filter):
    """The development server logs `"GET /search?q=… HTTP/1.1"`: keep `/search` only, hide setup tokens."""

    def filter(self, record):
        if isinstance(record.args, tuple):
            record.args = tuple(scrub_request_line(a) if isinstance(a, str) else a for a in record.args)
        elif isinstance(record.msg, str):
            record.msg = scrub_request_line(record.msg)
        return True


def init_app(app):
    """Send the app's `portal.*` loggers to stderr at PORTAL_LOG_LEVEL (INFO) as plain message lines."""
    portal_log = logging.getLogger("portal")
    portal_log.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    if not any(getattr(handler, "_portal", False) for handler in portal_log.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(message)s"))
        handler._portal = True
        portal_log.addHandler(handler)
    werkzeug_log = logging.getLogger("werkzeug")
    if not any(isinstance(f, ScrubRequestLines) for f in werkzeug_log.filters):
        werkzeug_log.addFilter(ScrubRequestLines())
