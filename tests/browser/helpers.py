"""What every browser test checks on a page: fit on a phone, axe-core, requests only to the portal itself."""
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe

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
