"""Browser tests' set-up: one live server per session (a real app on a loopback port), the screenshot folder,
Chromium's flags and screen sizes, signing in through the real forms, and what every browser test checks on
a page: fit on a phone, axe-core, requests only to the portal itself."""
import threading
from urllib.parse import urlsplit

import pyotp
import pytest
from axe_playwright_python.sync_playwright import Axe
from werkzeug.serving import make_server

from tests.helpers.app import ARTIFACTS, make_app
from tests.helpers.staff import PASSWORD

AXE_OPTIONS = {"runOnly": {"type": "tag",
                           "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}}
_axe = Axe()


class PageVisit:
    """A page opened in a browser context, with every request it made and the bytes transferred."""

    def __init__(self, context, base_url, path):
        self.base_url = base_url
        self.requests = []
        self.page = context.new_page()
        self.page.on("request", lambda request: self.requests.append(request))
        self.response = self.page.goto(base_url + path, wait_until="load")

    def foreign_requests(self):
        own = urlsplit(self.base_url).netloc
        return [r.url for r in self.requests if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(r.url).netloc != own]

    def transferred_bytes(self):
        """Response bodies plus headers as Chrome counts them (compressed sizes)."""
        total = 0
        for request in self.requests:
            sizes = request.sizes()
            total += sizes["responseBodySize"] + sizes["responseHeadersSize"]
        return total

    def has_horizontal_scroll(self):
        return self.page.evaluate("document.documentElement.scrollWidth > window.innerWidth")

    def axe_violations(self):
        results = _axe.run(self.page, options=AXE_OPTIONS)
        return results.violations_count, results.generate_report()

    def screenshot(self, folder, name):
        self.page.screenshot(path=str(folder / f"{name}.png"), full_page=True)

    def close(self):
        self.page.close()


CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage"]


PHONE = {"viewport": {"width": 360, "height": 740}, "device_scale_factor": 2, "is_mobile": True,
         "has_touch": True}


DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.fixture(scope="session")
def live_app(tmp_path_factory):
    """One app over the real guides for the whole browser session, production-like (compression on)."""
    # Many browser tests send the form from one loopback address: the per-client limit is tested elsewhere.
    return make_app(tmp_path_factory.mktemp("live"), APPLY_RATE_LIMIT="1000 per hour")


@pytest.fixture(scope="session")
def live_server(live_app):
    """The app on a free loopback port in a daemon thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def screenshots():
    folder = ARTIFACTS / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in_by_form(page, base_url, username, secret, on_code_page=None):
    page.goto(base_url + "/staff/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/login/code")
    if on_code_page:
        on_code_page()
    page.fill("#code", pyotp.TOTP(secret).now())
    page.click("main button[type=submit]")
    page.wait_for_url("**/staff/")
