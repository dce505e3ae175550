"""The logs of a production server after a run of the review's attacks: the expected security lines are there,
and no secret or personal value is (issue 12 item 4; review F-4, F-5, F-11).

A real gunicorn with gunicorn.conf.py and PORTAL_ENV=production on 127.0.0.1, its whole output (the app's
JSON lines and the access log) in one file, requests over real HTTP as nginx would pass them."""
import http.client
import json
import os
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.helpers.app import ROOT

GUNICORN = Path(sys.executable).parent / "gunicorn"
HIDDEN_RE = re.compile(r'<input[^>]*name="([^"]+)"[^>]*type="hidden"[^>]*value="([^"]*)"|'
                       r'<input[^>]*type="hidden"[^>]*name="([^"]+)"[^>]*value="([^"]*)"')
CANARIES = {
    "name": "Канарейкалог",
    "phone": "+7 900 000-77-31",
    "comment": "канарейка-коммент-7731",
    "password": "пароль-канарейка-7731 очень длинный",
    "query": "канарейкапоиск",
}


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Browser:
    """Just enough of a browser over http.client: cookies by hand (they are `Secure`, the hop is plain HTTP
    behind «nginx»), the headers nginx adds, one client address."""

    def __init__(self, port, address):
        self.port, self.address, self.cookie = port, address, ""

    def request(self, method, path, fields=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-Forwarded-For": self.address, "X-Forwarded-Proto": "https", "Host": "portal.test",
                   "Referer": f"https://portal.test{path.split('?')[0]}"}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if fields is not None:
            body = urlencode(fields, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        text = response.read().decode("utf-8", "replace")
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        connection.close()
        return response.status, text

    def hidden(self, path):
        status, html = self.request("GET", path)
        assert status == 200, (path, status)
        fields = {}
        for match in HIDDEN_RE.finditer(html):
            name, value = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
            fields[name] = value
        return fields


@pytest.fixture(scope="module")
def production_server(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("security-log")
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update({
        "PORTAL_ENV": "production", "PORTAL_SECRET_KEY": secrets.token_hex(32),
        "PORTAL_OPERATOR_ADDRESS": "г. Челябинск (тест)", "PORTAL_OPERATOR_EMAIL": "test@example.org",
        "PORTAL_OPERATOR_PHONE": "+7 000 000-00-00", "PORTAL_SITE_URL": "https://portal.test",
        "PORTAL_CENTRE_PHONE": "+7 000 000-00-00", "PORTAL_CENTRE_ADDRESS": "г. Челябинск (тестовый адрес)",
        "PORTAL_DATABASE_URL": f"sqlite:///{workdir / 'portal.sqlite3'}",
        "PORTAL_SEARCH_INDEX_DIR": str(workdir / "search_index"), "PORTAL_SQLITE_BUSY_TIMEOUT": "0.3",
        "PORTAL_SEARCH_RATE_LIMIT": "5 per minute",
    })
    env.update(json.loads(os.environ.get("PORTAL_TEST_EXTRA_PRODUCTION_ENV", "{}")))
    flask = [sys.executable, "-m", "flask", "--app", "wsgi"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=120)
    created = subprocess.run([*flask, "staff", "create", "anna"], cwd=ROOT, env=env, check=True,
                             capture_output=True, text=True, timeout=120)
    token = re.search(r"/staff/setup\?t=(\S+)", created.stdout).group(1)
    log_path = workdir / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([str(GUNICORN), "-c", str(ROOT / "gunicorn.conf.py"), "-b", f"127.0.0.1:{port}",
                                    "wsgi:app"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        for _ in range(300):
            try:
                if Browser(port, "10.0.0.1").request("GET", "/healthz")[0] == 200:
                    break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("gunicorn did not start: " + log_path.read_text()[-2000:])
        yield port, workdir, token, log_path
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def attacked(production_server):
    """Run the attacks once; return the whole log."""
    port, workdir, token, log_path = production_server
    person = Browser(port, "10.1.0.1")
    fields = person.hidden("/zayavka")
    form = {**fields, "applicant": "self", "name": CANARIES["name"], "contact_method": "phone",
            "contact_value": CANARIES["phone"], "help_needed": "job", "comment": CANARIES["comment"]}
    assert person.request("POST", "/zayavka", form)[0] == 422  # no consent: the form comes back
    assert person.request("POST", "/zayavka", {**form, "consent": "y", "csrf_token": "garbage"})[0] == 400
    assert person.request("POST", "/zayavka", {**form, "consent": "y", "website": "http://spam"})[0] == 422
    blocker = sqlite3.connect(workdir / "portal.sqlite3")
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        time.sleep(3.2)  # a person's fill time: this send is not a bot
        assert person.request("POST", "/zayavka", {**form, "consent": "y"})[0] == 503
    finally:
        blocker.rollback()
        blocker.close()

    # Staff: the setup link, then wrong passwords until the account is slowed down from this address.
    staff = Browser(port, "10.2.0.1")
    assert staff.request("GET", f"/staff/setup?t={token}")[0] == 200
    statuses = []
    for _ in range(4):
        login = staff.hidden("/staff/login")
        statuses.append(staff.request("POST", "/staff/login",
                                      {**login, "username": "anna", "password": CANARIES["password"]})[0])
    assert statuses == [200, 200, 200, 429]

    searcher = Browser(port, "10.3.0.1")
    codes = [searcher.request("GET", "/search?" + urlencode({"q": CANARIES["query"]}))[0] for _ in range(6)]
    assert codes[-1] == 429
    searcher.request("GET", "/x%0a%5B02/Dec/2026:04:10:00%20+0000%5D%20%22POST%20/staff/login%22%20303%20FORGED")
    searcher.request("GET", "/posobie/kto-poluchaet%00.md")
    time.sleep(0.5)
    return log_path.read_text(encoding="utf-8", errors="replace")


def events(log):
    found = []
    for line in log.splitlines():
        if line.startswith("{"):
            try:
                found.append(json.loads(line))
            except ValueError:
                continue
    return found


@pytest.mark.parametrize("event,fields", [
    ("csrf_failed", {"endpoint": "apply.form"}),
    ("bot_check", {"form": "apply", "reason": "honeypot"}),
    ("storage_failed", {"form": "apply"}),
    ("staff_login_failed", {"step": "password"}),
    ("staff_login_locked", {"endpoint": "staff.login"}),
    ("rate_limited", {"endpoint": "search.results"}),
])
def test_the_attacks_leave_the_expected_security_lines(attacked, event, fields):
    assert any(e.get("event") == event and all(e.get(k) == v for k, v in fields.items()) for e in events(attacked)), \
        event


def test_no_secret_or_personal_value_reaches_any_log(attacked, production_server):
    _port, _workdir, token, _log = production_server
    lowered = attacked.lower()
    for name, canary in CANARIES.items():
        assert canary.lower() not in lowered, name
    assert "9000007731" not in attacked and "77-31" not in attacked
    assert token not in attacked
    assert "q=" not in attacked and "anna" not in attacked


def test_a_forged_line_cannot_be_written_through_the_path(attacked):
    assert not any(line.startswith("[02/Dec/2026:04:10:00") for line in attacked.splitlines())
    assert "\\x0a" in attacked and "\x00" not in attacked
