"""Whole responses of public pages, kept in memory by each worker and served before Flask runs.

Rendering a guide costs about 3 ms (templates, translations, ~30 `url_for` calls, compression); the page
is the same for every reader until the worker restarts, because guides, templates and settings are loaded
once at start-up. A view opts in by calling `cache_response()`; the middleware then stores the finished
response — status, headers (security headers and `Vary: Accept-Encoding` included) and the compressed
body — and answers the next GET or HEAD of the same path, query string and Accept-Encoding from memory.
Measured with bench/http.py; see docs/performance.md.

What is never stored: anything but a 200 to a GET; a response that sets a cookie; a response that varies
on a header other than Accept-Encoding; a request with an unusually long Accept-Encoding; a content page
asked for with a query string (`?utm=…` would otherwise fill the pool with copies). The two pools
are bounded: content pages (never evicted; full pool → the page is just rendered) and short-lived pages
such as search results (least recently used evicted, each kept `ttl` seconds, so a rebuilt search index
shows within a minute). Nothing is written to disk; a search result page sits in memory as long as the
search index's own result cache keeps the same query.

A cached answer skips Flask entirely: before_request hooks, rate limits and the session do not run. Only
opt in pages that are the same for everyone and carry no rate limit or token. `on_hit` runs for every
answer from memory (the search uses it to keep its anonymous daily counts right), and `guard(environ)` runs
before it: when the guard says no (the search's per-client rate limit), the request goes on to Flask, which
answers it (a 429), so a cached page is never a way around a limit. Off in debug mode, where templates reload.

Data staff change that appears on cached pages (the centre's contacts in every page's help box, the places
a guide names) calls `invalidate()`: it empties this worker's pools and touches a stamp file in the instance
folder, which every other worker checks at most once a second (one `stat`) and then empties its own.
"""
import os
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

from flask import current_app, request

ENVIRON_KEY = "portal.page_cache"
ENCODINGS = frozenset({"br", "gzip", "deflate", "zstd", "identity", "*"})
MAX_ACCEPT_ENCODING = 200  # characters; longer headers are served uncached


@dataclass(frozen=True)
class Entry:
    status: str
    headers: tuple
    body: bytes
    expires: float | None
    on_hit: object
    guard: object = None


@dataclass(frozen=True)
class Request:
    ttl: float | None
    on_hit: object
    guard: object = None


def encoding_key(header):
    """Accept-Encoding reduced to what can change the chosen compression: known codings and their q-values.

    «gzip, deflate, br, zstd» and «br,gzip,deflate,zstd» are one key; unknown tokens are ignored, so made-up
    headers cannot multiply the entries. None when the header is too long to bother."""
    if len(header) > MAX_ACCEPT_ENCODING:
        return None
    codings = []
    for part in header.lower().split(","):
        name, _, params = part.strip().partition(";")
        name = name.strip()
        if name not in ENCODINGS:
            continue
        q = "1"
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip() == "q":
                q = value.strip()[:5]
        codings.append((name, q))
    return tuple(sorted(codings))


class PageCache:
    """The WSGI middleware and its two pools."""

    STAMP_CHECK_SECONDS = 1.0

    def __init__(self, wsgi_app, max_pages=1024, max_short=512, stamp_file=None):
        self.wsgi_app = wsgi_app
        self.stamp_file = stamp_file
        self.stamp_seen = self._stamp()
        self.stamp_checked = time.monotonic()
        self.max_pages, self.max_short = max_pages, max_short
        self.pages = {}
        self.short = OrderedDict()
        self.lock = threading.Lock()
        self.hits = self.stores = 0

    def __len__(self):
        return len(self.pages) + len(self.short)

    def clear(self):
        with self.lock:
            self.pages.clear()
            self.short.clear()

    def _stamp(self):
        try:
            return os.stat(self.stamp_file).st_mtime_ns if self.stamp_file else None
        except OSError:
            return None

    def invalidate(self):
        """Empty the pools here and, through the stamp file, in every other worker within a second."""
        if self.stamp_file:
            temporary = f"{self.stamp_file}.{os.getpid()}.tmp"
            with open(temporary, "w") as handle:
                handle.write(str(time.time_ns()))
            os.replace(temporary, self.stamp_file)
            self.stamp_seen = self._stamp()
        self.clear()

    def _check_stamp(self):
        now = time.monotonic()
        if self.stamp_file is None or now - self.stamp_checked < self.STAMP_CHECK_SECONDS:
            return
        self.stamp_checked = now
        stamp = self._stamp()
        if stamp != self.stamp_seen:
            self.stamp_seen = stamp
            self.clear()

    def clear_short(self):
        """Forget the short-lived pages (search results), e.g. when the search index was rebuilt."""
        with self.lock:
            self.short.clear()

    def _lookup(self, key):
        entry = self.pages.get(key)
        if entry is not None:
            return entry
        with self.lock:
            entry = self.short.get(key)
            if entry is None:
                return None
            if entry.expires <= time.monotonic():
                del self.short[key]
                return None
            self.short.move_to_end(key)
            return entry

    def _store(self, key, entry):
        with self.lock:
            if entry.expires is None:
                if len(self.pages) < self.max_pages:
                    self.pages[key] = entry
                    self.stores += 1
                return
            self.short[key] = entry
            self.short.move_to_end(key)
            while len(self.short) > self.max_short:
                self.short.popitem(last=False)
            self.stores += 1

    def __call__(self, environ, start_response):
        method = environ.get("REQUEST_METHOD")
        if method not in ("GET", "HEAD"):
            return self.wsgi_app(environ, start_response)
        accept = encoding_key(environ.get("HTTP_ACCEPT_ENCODING", ""))
        if accept is None:
            return self.wsgi_app(environ, start_response)
        key = (environ.get("SCRIPT_NAME", ""), environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", ""),
               accept)
        self._check_stamp()
        entry = self._lookup(key)
        if entry is not None and entry.guard is not None and not entry.guard(environ):
            return self.wsgi_app(environ, start_response)
        if entry is not None:
            self.hits += 1
            if entry.on_hit is not None:
                entry.on_hit()
            start_response(entry.status, list(entry.headers))
            return [b""] if method == "HEAD" else [entry.body]

        captured = []

        def capture(status, headers, exc_info=None):
            captured[:] = [status, headers]
            return start_response(status, headers, exc_info)

        body = self.wsgi_app(environ, capture)
        wanted = environ.get(ENVIRON_KEY)
        if wanted is None or method != "GET" or not captured or not captured[0].startswith("200 "):
            return body
        status, headers = captured
        names = {name.lower() for name, _ in headers}
        vary = {v.strip().lower() for name, value in headers if name.lower() == "vary" for v in value.split(",")}
        if "set-cookie" in names or vary - {"accept-encoding", ""}:
            return body
        if wanted.ttl is None and key[2]:
            return body  # a content page with made-up query strings (?utm=…) must not fill the lasting pool
        try:
            data = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        expires = None if wanted.ttl is None else time.monotonic() + wanted.ttl
        self._store(key, Entry(status, tuple(headers), data, expires, wanted.on_hit, wanted.guard))
        return [data]


def cache_response(ttl=None, on_hit=None, guard=None):
    """Ask for this response to be kept (see the module docstring); a no-op when the cache is off."""
    if current_app.extensions.get("page_cache") is not None:
        request.environ[ENVIRON_KEY] = Request(ttl, on_hit, guard)


def init_app(app):
    """Wrap the WSGI app, unless the cache is switched off or templates reload (debug)."""
    if not app.config.get("PAGE_CACHE_ENABLED", True) or app.debug or app.config.get("TEMPLATES_AUTO_RELOAD"):
        app.extensions["page_cache"] = None
        return
    cache = PageCache(app.wsgi_app, app.config.get("PAGE_CACHE_MAX_PAGES", 1024),
                      app.config.get("PAGE_CACHE_MAX_SHORT", 512),
                      stamp_file=os.path.join(app.instance_path, "page-cache.stamp"))
    app.wsgi_app = cache
    app.extensions["page_cache"] = cache
