"""The search index on disk: the schema, building and publishing it, the build lock, its status, the
registered sources, and opening it in each worker. The measurements behind each choice are in docs/search.md.

- Building: a complete index is written into a new folder `v-…` and published by replacing the `current`
  symlink with `os.replace`, so a reader never sees a half-written index. A lock file makes several
  workers that start at once build it once.
- Reading: every process opens the published index lazily on its first search (never before gunicorn
  forks) and re-opens it when the pointer names a new build. `Searcher.refresh()` is never used: in
  whoosh-reloaded it keeps the old segments after a rebuild.

The analyzers the schema names live in portal/search/analysis.py; answering queries is portal/search/query.py.
"""
import fcntl
import hashlib
import json
import logging
import os
import secrets
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from whoosh import index
from whoosh.fields import ID, STORED, TEXT, Schema

from portal.search.analysis import lemma_analyzer, normalise_query, plain_analyzer

log = logging.getLogger("portal.search")

# Raise when the schema, an analyzer or the module that defines them changes (the schema is pickled with
# the analyzer classes' module path): start-up then rebuilds the index. 4: the analyzers moved to analysis.py.
SCHEMA_VERSION = 4
POINTER = "current"
BUILD_PREFIX = "v-"
META_FILE = "portal-meta.json"
SUGGEST_FILE = "portal-suggest.json"
LOCK_FILE = ".build.lock"


class SearchUnavailable(Exception):
    """The index is missing, corrupt or could not be opened; pages then say search is unavailable."""


def make_schema():
    lemma, plain = lemma_analyzer(), plain_analyzer()
    return Schema(
        key=ID(stored=True, unique=True),
        section=ID(stored=True),
        title=TEXT(analyzer=lemma, stored=True),
        keywords=TEXT(analyzer=lemma),
        summary=STORED(),  # the snippet when no block of the body matches
        body=TEXT(analyzer=lemma, stored=True),  # summary, headings and text; stored for the snippet
        # Unstemmed and without positions; never spelling=True (it breaks fuzzy terms in Whoosh 2.7).
        plain=TEXT(analyzer=plain, phrase=False),
    )


# ---------------------------------------------------------------- building

def guide_documents(library):
    """One index document per Russian guide."""
    for guide in sorted(library.guides.values(), key=lambda g: g.key):
        keywords = "\n".join(guide.keywords)
        body = "\n".join((guide.summary, guide.text))  # the text holds the headings as lines of their own
        yield {
            "key": guide.key, "section": guide.section, "title": guide.title, "keywords": keywords,
            "summary": guide.summary, "body": body, "plain": "\n".join((guide.title, keywords, body)),
        }


NOT_SUGGESTED = frozenset({"employer", "place", "tool"})  # sections of registered sources: autocomplete offers guides


def suggestion_entries(documents):
    """Curated autocomplete phrases: each guide's title and keywords, never anything a visitor typed
    (employer cards, places and tools are searchable but not suggested: autocomplete offers guides)."""
    return [{"key": d["key"], "phrases": [normalise_query(d["title"])]
             + [normalise_query(k) for k in d.get("keywords", "").split("\n") if k.strip()]}
            for d in documents if d.get("section") not in NOT_SUGGESTED]


def current_version(base_dir):
    """The folder name the pointer names, or None when there is no published index."""
    try:
        return os.readlink(os.path.join(base_dir, POINTER))
    except OSError:
        return None


def read_meta(base_dir, version=None):
    version = version or current_version(base_dir)
    if not version:
        return None
    try:
        return json.loads((Path(base_dir) / version / META_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def new_build_name():
    """A build folder's name: sortable by time, unique across workers building at once."""
    return f"{BUILD_PREFIX}{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"


def build_index(base_dir, documents, content_hash="", keep=1):
    """Write a complete index into a new folder, then publish it by replacing the pointer atomically.

    The caller holds the build lock. Returns the new folder's name.
    """
    started = time.perf_counter()
    documents = list(documents)
    base = Path(base_dir)
    base.mkdir(parents=True, exist_ok=True)
    name = new_build_name()
    folder = base / name
    folder.mkdir()
    try:
        ix = index.create_in(str(folder), make_schema())
        with ix.writer(limitmb=128) as writer:  # commits on success, cancels on an exception
            for document in documents:
                writer.add_document(**document)
        ix.close()
        (folder / SUGGEST_FILE).write_text(json.dumps(suggestion_entries(documents), ensure_ascii=False),
                                           encoding="utf-8")
        meta = {"schema_version": SCHEMA_VERSION, "content_hash": content_hash, "documents": len(documents),
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
                "build_seconds": round(time.perf_counter() - started, 3)}
        (folder / META_FILE).write_text(json.dumps(meta), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    _publish(base, name)
    _remove_old_builds(base, keep=keep, current=name)
    return name


def _publish(base, name):
    tmp = base / f".{POINTER}-{os.getpid()}-{secrets.token_hex(3)}.tmp"
    os.symlink(name, tmp)  # relative target: the folder can be moved as a whole
    os.replace(tmp, base / POINTER)  # rename(2) is atomic: a reader sees the old build or the new one


def _remove_old_builds(base, keep, current):
    # Readers that still have an old build open keep working: on Linux open files outlive unlinking.
    others = sorted((p for p in base.iterdir() if p.name.startswith(BUILD_PREFIX) and p.name != current),
                    key=lambda p: p.stat().st_mtime, reverse=True)
    for old in others[keep:]:
        shutil.rmtree(old, ignore_errors=True)


class BuildLockTimeout(RuntimeError):
    """Another process kept the build lock longer than SEARCH_BUILD_LOCK_TIMEOUT."""


@contextmanager
def build_lock(base_dir, timeout=120.0):
    """An exclusive lock file, so that workers starting together build the index once."""
    Path(base_dir).mkdir(parents=True, exist_ok=True)
    with open(os.path.join(base_dir, LOCK_FILE), "a+") as handle:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise BuildLockTimeout(f"the search index build lock is held by another process: "
                                           f"{os.path.join(base_dir, LOCK_FILE)}") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def index_status(base_dir, content_hash):
    """"ok", "missing", "stale" (older schema or content) or "corrupt"."""
    version = current_version(base_dir)
    if not version or not (Path(base_dir) / version).is_dir():
        return "missing"
    meta = read_meta(base_dir, version)
    if not meta or meta.get("schema_version") != SCHEMA_VERSION or meta.get("content_hash") != content_hash:
        return "stale"
    try:
        # Reads the table of contents only; no searcher is opened before a fork.
        ix = index.open_dir(os.path.join(base_dir, version))
        try:
            if ix.doc_count() != meta.get("documents"):
                return "corrupt"
        finally:
            ix.close()
    except Exception:  # a corrupt TOC raises a bare IndexError, a missing file OSError, an old pickle …
        return "corrupt"
    return "ok"


def rebuild(app, force=True):
    """Build and publish the index from the app's guides; without force only when it is not "ok".

    Returns the new build's folder name, or None when the index was already up to date.
    """
    library = app.extensions["content"]
    base = app.config["SEARCH_INDEX_DIR"]
    if not force and index_status(base, index_inputs(app)[1]) == "ok":
        return None
    with build_lock(base, app.config["SEARCH_BUILD_LOCK_TIMEOUT"]):
        # Read the inputs again under the lock: another worker may have built meanwhile, or a staff change
        # may have landed since the check above (building stale inputs last would lose it).
        documents, content_hash = index_inputs(app)
        if not force and index_status(base, content_hash) == "ok":
            return None
        name = build_index(base, documents, content_hash, keep=app.config["SEARCH_KEEP_BUILDS"])
    log.info("search index %s built: %d guides, %d documents", name, len(library.guides), len(documents))
    # Result pages kept by portal/page_cache.py may show the old index: drop them in this worker at once
    # (other workers' copies expire within SEARCH_PAGE_CACHE_SECONDS).
    page_cache = app.extensions.get("page_cache")
    if page_cache is not None:
        page_cache.clear_short()
    return name


class SearchSource(NamedTuple):
    documents: Callable
    resolve: Callable | None
    shown_as: str


def register_source(app, section, documents, resolve=None, shown_as="link"):
    """Let an area add documents of its own `section` to the index, so search never imports areas.

    `documents(app)` returns (hash, [document]) — ("", []) when it has none — with the fields of
    `guide_documents`; `resolve(keys)` returns {key: value} for the keys still public. The results page
    renders each value with its `shown_as` partial: "link" is {"title", "url", "label"}; employers pass
    their cards as "employer"."""
    app.extensions.setdefault("search_sources", {})[section] = SearchSource(documents, resolve, shown_as)


def index_inputs(app):
    """(documents, content hash): the guides, plus the documents of every registered source (employer
    cards, places, tools). The hash mixes in each source's hash, so an index built before a card or a place
    changed reads as stale; with no source documents it is the guides' own."""
    library = app.extensions["content"]
    documents = list(guide_documents(library))
    hashes = []
    for section, registered in sorted(app.extensions.get("search_sources", {}).items()):
        source_hash, source_documents = registered.documents(app)
        if source_documents:
            documents += source_documents
            hashes.append(f"{section}={source_hash}")
    if not hashes:
        return documents, library.content_hash
    combined = hashlib.sha256(":".join([library.content_hash, *hashes]).encode()).hexdigest()
    return documents, combined


# ---------------------------------------------------------------- reading

class _LRU:
    """A small thread-safe cache of recent result pages."""

    def __init__(self, size):
        self.size, self._data, self._lock = size, OrderedDict(), threading.Lock()

    def get(self, key):
        with self._lock:
            if key in self._data:
                self._data.move_to_end(key)
                return self._data[key]
        return None

    def put(self, key, value):
        if self.size <= 0:
            return
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.size:
                self._data.popitem(last=False)

    def clear(self):
        with self._lock:
            self._data.clear()

    def __len__(self):
        return len(self._data)


class IndexHolder:
    """One per app and process. Opens the published index on first use, never at import or start-up,
    and opens it afresh when the pointer names another build. Searchers are lent one per request
    (Whoosh searchers are not thread-safe) and kept for reuse while their build is current.
    """

    MAX_IDLE = 8

    def __init__(self, base_dir, cache_size=256):
        self.base_dir = str(base_dir)
        self.cache = _LRU(cache_size)
        self._lock = threading.Lock()
        self._reset()

    def _reset(self):
        self._pid = os.getpid()
        self._version = None
        self._ix = None
        self._suggest = []
        self._idle = []
        self.speller_memo = {}
        self._reported = None  # the failure logged last: a broken index logs one error, not one per request

    @property
    def opened_version(self):
        return self._version

    def current_version(self):
        return current_version(self.base_dir)

    def _open(self, version):
        folder = os.path.join(self.base_dir, version)
        try:
            ix = index.open_dir(folder)
            ix.doc_count()
            suggest = json.loads(Path(folder, SUGGEST_FILE).read_text(encoding="utf-8"))
        except Exception as error:  # a corrupt TOC raises a bare IndexError
            self.report(("corrupt", version), "search index %s cannot be opened: %s", version,
                         type(error).__name__)
            raise SearchUnavailable from error
        return ix, suggest

    def report(self, what, message, *args):
        """Log a failure once, not once per request, until the index opens again."""
        if self._reported != what:
            self._reported = what
            log.error(message, *args)

    @contextmanager
    def searcher(self):
        """Lend a searcher of the published build: `with holder.searcher() as (searcher, version):`."""
        with self._lock:
            if self._pid != os.getpid():
                # A searcher inherited across a fork shares file offsets with the parent: start afresh.
                self._reset()
                self.cache.clear()
            version = self.current_version()
            if version is None:
                self.report(("missing",), "search index missing in %s: run `flask search build`",
                             self.base_dir)
                raise SearchUnavailable
            if version != self._version:
                ix, suggest = self._open(version)
                stale, self._idle = self._idle, []
                if self._ix is not None:
                    self._ix.close()
                self._ix, self._suggest, self._version, self._reported = ix, suggest, version, None
                self.speller_memo = {}
                self.cache.clear()
                for old in stale:
                    old.close()
            ix, version = self._ix, self._version
            lent = self._idle.pop() if self._idle else None
        if lent is None:
            try:
                lent = ix.searcher()
            except Exception as error:
                self.report(("corrupt", version), "search index %s cannot be read: %s", version,
                             type(error).__name__)
                raise SearchUnavailable from error
        healthy = False
        try:
            yield lent, version
            healthy = True
        finally:
            with self._lock:
                # A searcher that raised may be damaged: close it rather than lend it again.
                keep = healthy and version == self._version and len(self._idle) < self.MAX_IDLE
                if keep:
                    self._idle.append(lent)
            if not keep:
                lent.close()

    def speller_memo_for(self, version):
        """The typo-candidate memo of `version`, or a throw-away one if a newer build was opened since."""
        with self._lock:
            return self.speller_memo if version == self._version else {}

    def suggestions(self):
        """The curated autocomplete entries of the published build."""
        with self.searcher() as (_searcher, _version):
            return self._suggest

    def close(self):
        with self._lock:
            for s in self._idle:
                s.close()
            if self._ix is not None:
                self._ix.close()
            self._reset()



def build_on_start(app):
    """Build the index if it is missing or stale (SEARCH_BUILD_ON_START); a failure leaves search off."""
    config = app.config
    if config["SEARCH_BUILD_ON_START"]:
        try:
            rebuild(app, force=False)
        except Exception as error:  # the site serves guides without search rather than not at all
            log.error("search index could not be built at start-up: %s: %s", type(error).__name__, error)
