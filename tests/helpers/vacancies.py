"""A fake «Работа России» API: a real HTTP server on 127.0.0.1 with the quirks public clients measured.

`offset` is a page number and `limit` is clamped to 100; a page past the last one and a page at or past the
depth cap answer HTTP 500; `text` filters by the job title; and per-page faults can be switched on: a
transient 500, a slow answer (the client times out), an invalid escape in the JSON, an empty page, or a page
that always fails. It counts requests and the most requests it served at once (bounded parallelism).
"""
import json
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from portal.vacancies.demo import envelope, sample_records


class FakeApi:
    def __init__(self, records, cap_pages=100, delay=0.0):
        self.records = list(records)
        self.cap_pages = cap_pages
        self.delay = delay
        self.transient_500 = {}     # page → how many times to answer 500 first
        self.slow = {}              # page → how many times to answer too slowly
        self.slow_seconds = 1.0
        self.broken_escape = set()  # pages whose JSON carries an invalid escape sequence
        self.empty = set()          # pages that come back with no records
        self.always_500 = set()     # pages that never work
        self.requests = []
        self.in_flight = 0
        self.max_in_flight = 0
        self._lock = threading.Lock()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_address[1]}/api/v1"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def _take(self, table, page):
        with self._lock:
            if table.get(page, 0) > 0:
                table[page] -= 1
                return True
        return False

    def answer(self, path, query):
        """(status, body bytes) for one request."""
        if not path.startswith("/api/v1/vacancies/region/7400000000000"):
            return 404, b"{}"
        page = int(query.get("offset", ["0"])[0])
        limit = min(int(query.get("limit", ["10"])[0]), 100)
        text = query.get("text", [""])[0].casefold()
        chosen = [r for r in self.records if text in r["job-name"].casefold()] if text else self.records
        last_page = max((len(chosen) - 1) // limit, 0)
        failing = page >= self.cap_pages or page > last_page or page in self.always_500
        if failing or self._take(self.transient_500, page):
            return 500, b'{"status":"500"}'
        if self._take(self.slow, page):
            time.sleep(self.slow_seconds)
        rows = [] if page in self.empty else chosen[page * limit:(page + 1) * limit]
        body = json.dumps(envelope(rows, total=len(chosen)), ensure_ascii=False)
        if page in self.broken_escape and rows:
            # An invalid escape as seen in the wild: "\:" is not JSON.
            body = body.replace('"requirements": "', '"requirements": "C:\\\\ \\: ', 1)
        return 200, body.encode("utf-8")

    def _handler(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                parts = urllib.parse.urlsplit(self.path)
                with fake._lock:
                    fake.requests.append(self.path)
                    fake.in_flight += 1
                    fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
                try:
                    if fake.delay:
                        time.sleep(fake.delay)
                    status, body = fake.answer(parts.path, urllib.parse.parse_qs(parts.query))
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json; charset=utf-8")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up on a slow answer: that is the point of the test
                finally:
                    with fake._lock:
                        fake.in_flight -= 1

            def log_message(self, *args):
                pass

        return Handler


def records_with_quirks(count=250):
    """`count` generated records plus the API's quirks: two duplicates, HTML, one without coordinates or pay."""
    records = sample_records(count, marker="")
    records[3]["duty"] = "<p>Сварка&nbsp;<b>труб</b>.<br>Звонить: +7 (912) 345-67-89, hr@example.org</p>"
    records[5]["addresses"] = {"address": [{"location": "Челябинская область, г Копейск"}]}
    for key in ("salary_min", "salary_max", "salary"):
        records[5].pop(key, None)
    for source in (records[10], records[11]):
        twin = {**source, "id": source["id"][:-4] + "ffff"}
        records.append(twin)
    return records
