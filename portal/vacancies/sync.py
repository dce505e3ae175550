"""The «Работа России» API client: pages of 100 over real HTTP, bounded parallelism, retries with backoff,
lenient JSON, and the same pages read from saved files (`--from-file`).

What the API does (/work/shared/vacancies-api.md §1): `offset` is a 0-based page number, `limit` ≤ 100,
`offset × limit` must stay below 10 000 (page 100 answers HTTP 500), a page past the end answers HTTP 500
or comes back empty, requests take 5–11 s and do not slow each other, and some JSON carries invalid escape
sequences. So: read page 0 for `meta.total`, fetch the other pages a few at a time, treat a 500 past the
last page as the end, and retry everything else. When the region has more records than one query can reach,
extra queries split it by words (`VACANCY_SYNC_SHARDS`); a sync counts as complete only when every page
arrived and the records seen cover `meta.total`.
"""
import json
import logging
import math
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger("portal.vacancies.sync")

PAGE_SIZE = 100
DEPTH_CAP = 10_000  # offset × limit must stay below this (vacancies-api.md §1.3)
# A valid escape pair, or a lone backslash: matching pairs first keeps "\\\\:" a backslash and a colon.
ESCAPE_RE = re.compile(r'\\(["\\/bfnrt]|u[0-9a-fA-F]{4})|\\')


class PageError(Exception):
    """A page that could not be read after every retry."""


def lenient_json(raw):
    """Parse an API body; invalid escape sequences (seen in the wild) are read as a literal backslash."""
    text = raw.decode("utf-8", errors="replace") if isinstance(raw, bytes) else raw
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        repaired = ESCAPE_RE.sub(lambda m: m.group(0) if m.group(1) else "\\\\", text)
        return json.loads(repaired, strict=False)


def page_records(body):
    """(records, meta.total or None) from one API envelope; odd shapes give no records."""
    if not isinstance(body, dict):
        return [], None
    meta = body.get("meta") if isinstance(body.get("meta"), dict) else {}
    try:
        total = int(meta.get("total"))
    except (TypeError, ValueError):
        total = None
    results = body.get("results") if isinstance(body.get("results"), dict) else {}
    items = results.get("vacancies") if isinstance(results.get("vacancies"), list) else []
    records = [item["vacancy"] for item in items if isinstance(item, dict) and isinstance(item.get("vacancy"), dict)]
    return records, total


@dataclass
class Fetched:
    """What one sync read: the records, whether every page arrived, counts for the log."""
    records: list = field(default_factory=list)
    total: int = 0
    pages: int = 0
    pages_total: int = 0
    errors: list = field(default_factory=list)
    complete: bool = False


class ApiClient:
    """GET pages of one region from the API, with a timeout, retries and exponential backoff."""

    def __init__(self, base_url, region, timeout=30.0, retries=3, backoff=1.0, workers=4, sleep=time.sleep,
                 depth_cap=DEPTH_CAP):
        self.depth_cap = depth_cap
        self.base_url = base_url.rstrip("/")
        self.region = region
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.workers = max(1, int(workers))
        self.sleep = sleep

    def page_url(self, page, text=None):
        query = {"offset": page, "limit": PAGE_SIZE}
        if text:
            query["text"] = text
        return f"{self.base_url}/vacancies/region/{self.region}?{urllib.parse.urlencode(query)}"

    def get_page(self, page, text=None, last_page=None):
        """(records, total) of one page; ([], None) for a 500 past the end; PageError after the retries."""
        url = self.page_url(page, text)
        problem = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                request = urllib.request.Request(url, headers={"Accept": "application/json",
                                                               "User-Agent": "portal-vacancies/1"})
                with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (fixed host)
                    return page_records(lenient_json(response.read()))
            except urllib.error.HTTPError as error:
                if error.code == 500 and last_page is not None and page > last_page:
                    return [], None  # the API's way to say «no such page»
                if error.code == 500 and page * PAGE_SIZE >= self.depth_cap:
                    return [], None
                problem = f"HTTP {error.code}"
            except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
                problem = type(error).__name__ + (f": {error.reason}" if hasattr(error, "reason") else "")
            log.info("page %s%s failed (%s), attempt %s of %s", page, f" text={text}" if text else "",
                     problem, attempt + 1, self.retries + 1)
        raise PageError(f"страница {page}{' (' + text + ')' if text else ''}: {problem}")

    def fetch_query(self, fetched, text=None, progress=None):
        """Read every reachable page of one query into `fetched`; returns meta.total of the query."""
        try:
            first, total = self.get_page(0, text)
        except PageError as error:
            fetched.errors.append(str(error))
            return None
        fetched.records.extend(first)
        fetched.pages += 1
        if total is None:
            total = len(first)
        last_page = min(math.ceil(total / PAGE_SIZE), self.depth_cap // PAGE_SIZE) - 1
        fetched.pages_total += max(last_page + 1, 1)
        if progress:
            progress(fetched)
        if not first:
            return total

        def one(page):
            return self.get_page(page, text, last_page=last_page)

        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            futures = [(page, pool.submit(one, page)) for page in range(1, last_page + 1)]
            for _page, future in futures:
                try:
                    records, _ = future.result()
                except PageError as error:
                    fetched.errors.append(str(error))
                    continue
                fetched.records.extend(records)
                fetched.pages += 1
                if progress:
                    progress(fetched)
        return total

    def fetch_region(self, shards=(), progress=None):
        """Every reachable record of the region: the region query, then word shards past the depth cap."""
        fetched = Fetched()
        total = self.fetch_query(fetched, progress=progress)
        if total is None:
            return fetched
        fetched.total = total
        if total > self.depth_cap:
            for word in shards:
                self.fetch_query(fetched, text=word, progress=progress)
        unique = {record.get("id") for record in fetched.records}
        fetched.complete = not fetched.errors and len(unique) >= total
        if not fetched.complete and not fetched.errors:
            fetched.errors.append(f"получено {len(unique)} из {total}: часть вакансий недоступна этим запросам")
        return fetched


def fetch_from_files(path):
    """The same as fetch_region, from saved API pages: a folder of *.json files or one file."""
    source = Path(path)
    files = sorted(source.glob("*.json")) if source.is_dir() else [source]
    fetched = Fetched(pages_total=len(files))
    totals = []
    for file in files:
        try:
            records, total = page_records(lenient_json(file.read_bytes()))
        except (OSError, ValueError) as error:
            fetched.errors.append(f"{file.name}: {type(error).__name__}")
            continue
        fetched.records.extend(records)
        fetched.pages += 1
        if total is not None:
            totals.append(total)
    fetched.total = max(totals) if totals else len(fetched.records)
    unique = {record.get("id") for record in fetched.records}
    fetched.complete = bool(files) and not fetched.errors and len(unique) >= fetched.total
    if not files:
        fetched.errors.append(f"нет файлов: {source}")
    elif not fetched.complete and not fetched.errors:
        fetched.errors.append(f"в файлах {len(unique)} из {fetched.total} вакансий")
    return fetched
