"""Search over the guides: the only module that imports Whoosh.

It owns the Russian analyzers, the schema, building the index, opening it in each worker and answering
queries. The measurements behind each choice are in docs/search.md.

- Analysis: words are replaced by their pymorphy3 lemmas (ё folded to е); a word the dictionary does not
  know falls back to its Snowball stem (PyStemmer). A second, unstemmed field (`plain`) serves typo
  tolerance, "did you mean" and the keyboard-layout check; it never has `spelling=True`, which kills
  fuzzy matches on stemmed fields in Whoosh 2.7.
- Building: a complete index is written into a new folder `v-…` and published by replacing the `current`
  symlink with `os.replace`, so a reader never sees a half-written index. A lock file makes several
  workers that start at once build it once.
- Reading: every process opens the published index lazily on its first search (never before gunicorn
  forks) and re-opens it when the pointer names a new build. `Searcher.refresh()` is never used: in
  whoosh-reloaded it keeps the old segments after a rebuild.
- Querying: a parser without the wildcard, range, field, boost and "every" plugins, at most 200
  characters and 20 terms, a time-limited collector, slang synonyms from portal/content/synonyms.yaml,
  typo tolerance for long unknown words, keyboard-layout repair and "did you mean".

Analyzer classes and functions are module-level on purpose: Whoosh pickles them into the index by module
path, so renaming or moving them needs a rebuild (raise SCHEMA_VERSION).
"""
import fcntl
import hashlib
import json
import logging
import math
import os
import re
import secrets
import shutil
import threading
import time
import unicodedata
from collections import OrderedDict
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import NamedTuple

import click
import nh3
import yaml
from flask import current_app
from flask.cli import AppGroup
from whoosh import index, query
from whoosh.analysis import Filter, LowercaseFilter, RegexTokenizer, StopFilter
from whoosh.collectors import TimeLimit, TimeLimitCollector, TopCollector
from whoosh.fields import ID, STORED, TEXT, Schema
from whoosh.lang.stopwords import stoplists
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup, plugins

from portal.yaml_files import DuplicateKeyError, load_yaml_file

log = logging.getLogger("portal.search")

# Raise when the schema, an analyzer or the module that defines them changes (the schema is pickled with
# the analyzer classes' module path): start-up then rebuilds the index.
SCHEMA_VERSION = 3
POINTER = "current"
BUILD_PREFIX = "v-"
META_FILE = "portal-meta.json"
SUGGEST_FILE = "portal-suggest.json"
LOCK_FILE = ".build.lock"

# Field weights for the parser: a word in the title or the keywords says more than one in the body.
# Three fields, not five: summary and headings live in `body`. Each field adds a term per query word,
# and five made several-word queries on 1,000 documents 1.5× slower at p95 with no better results.
FIELD_BOOSTS = {"title": 4.0, "keywords": 3.0, "body": 1.0}
LEMMA_FIELDS = tuple(FIELD_BOOSTS)
SYNONYM_BOOST = 0.8
FUZZY_BOOST = 0.6
FUZZY_MIN_LETTERS = 5
MAX_PAGES = 10  # deeper pages are never collected, whatever `page` says

RU_STOP = frozenset(stoplists["ru"]) | {"ее", "еще"}
CYRILLIC_RE = re.compile(r"[а-яё]", re.I)
LATIN_RE = re.compile(r"[a-z]", re.I)
WORD_RE = re.compile(r"\w+", re.U)


class SearchUnavailable(Exception):
    """The index is missing, corrupt or could not be opened; pages then say search is unavailable."""


class SynonymsError(ValueError):
    """portal/content/synonyms.yaml is invalid; the message names the file and the entry."""


# ---------------------------------------------------------------- analysis

class YoFilter(Filter):
    """ё → е, so «ещё» and «еще», «жильё» and «жилье» are one word."""

    def __call__(self, tokens):
        for t in tokens:
            if "ё" in t.text:
                t.text = t.text.replace("ё", "е")
            yield t


_morph = None
_morph_lock = threading.Lock()
_stemmer = None
_stemmer_lock = threading.Lock()


def morph_analyzer():
    global _morph
    if _morph is None:
        with _morph_lock:
            if _morph is None:
                import pymorphy3
                _morph = pymorphy3.MorphAnalyzer()
    return _morph


def ru_stem(word):
    """Snowball stem (PyStemmer): the fallback for words the dictionary does not know."""
    global _stemmer
    with _stemmer_lock:  # a PyStemmer object is not thread-safe
        if _stemmer is None:
            import Stemmer
            _stemmer = Stemmer.Stemmer("russian")
        return _stemmer.stemWord(word)


@lru_cache(maxsize=200_000)
def ru_lemmas(word):
    """The lemmas of a lower-case word, most likely first, ё folded; its stem if the dictionary lacks it."""
    morph = morph_analyzer()
    if not CYRILLIC_RE.search(word) or not morph.word_is_known(word):
        return (ru_stem(word),)
    lemmas = []
    for parse in morph.parse(word):
        lemma = parse.normal_form.replace("ё", "е")
        if lemma not in lemmas:
            lemmas.append(lemma)
    return tuple(lemmas[:3])


@lru_cache(maxsize=50_000)
def is_dictionary_word(word):
    """Whether pymorphy3 knows the word: an unknown long word is probably a typo."""
    return bool(CYRILLIC_RE.search(word)) and morph_analyzer().word_is_known(word)


class LemmaFilter(Filter):
    """Replace a word by its lemma; when indexing, add its other possible lemmas at the same position.

    Queries take only the most likely lemma, so a quoted phrase keeps one word per position.
    """

    def __call__(self, tokens):
        for t in tokens:
            lemmas = ru_lemmas(t.text)
            t.text = lemmas[0]
            yield t
            if getattr(t, "mode", "") == "index":
                for extra in lemmas[1:]:
                    t.text = extra  # Whoosh records each token before asking for the next one
                    yield t


def lemma_analyzer():
    """Words → lemmas, without stop words: the fields that rank results."""
    return RegexTokenizer() | LowercaseFilter() | YoFilter() | StopFilter(stoplist=RU_STOP) | LemmaFilter()


def plain_analyzer():
    """Words as written (lower case, ё → е): typo tolerance, "did you mean", the layout check."""
    return RegexTokenizer() | LowercaseFilter() | YoFilter()


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


_PLAIN = plain_analyzer()
_LEMMA = lemma_analyzer()


def plain_words(text):
    return [t.text for t in _PLAIN(text)]


def lemma_words(text):
    return [t.text for t in _LEMMA(text, mode="query")]


# ---------------------------------------------------------------- query text

_LAT = "qwertyuiop[]asdfghjkl;'zxcvbnm,.`" + 'QWERTYUIOP{}ASDFGHJKL:"ZXCVBNM<>~'
_CYR = "йцукенгшщзхъфывапролджэячсмитьбюё" + "ЙЦУКЕНГШЩЗХЪФЫВАПРОЛДЖЭЯЧСМИТЬБЮЁ"
LAT2CYR = str.maketrans(_LAT, _CYR)


def fix_layout(text):
    """'gjcj,bt' → 'пособие': the text retyped in the Russian layout; None if it has Cyrillic or no Latin."""
    if CYRILLIC_RE.search(text) or not LATIN_RE.search(text):
        return None
    return text.translate(LAT2CYR)


def sanitize_query(raw, max_chars=200, max_terms=20):
    """(text, shortened): control characters dropped, spaces collapsed, at most max_chars and max_terms."""
    if not isinstance(raw, str):
        return "", False
    text = unicodedata.normalize("NFKC", raw)
    text = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    terms = text.split()
    shortened = len(terms) > max_terms
    text = " ".join(terms[:max_terms])
    if len(text) > max_chars:
        text, shortened = text[:max_chars].rstrip(), True
    return text, shortened


def normalise_query(text):
    """The cache key of a query: case-folded, ё → е, single spaces."""
    return " ".join(text.casefold().replace("ё", "е").split())


def damerau(a, b):
    """Optimal-string-alignment distance: an adjacent swap counts as one edit."""
    prev2, prev = None, list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        prev2, prev = prev, cur
    return prev[len(b)]


# ---------------------------------------------------------------- synonyms

@dataclass(frozen=True)
class Synonyms:
    """Slang and everyday words → the words the guides use, as lemma sequences."""

    entries: tuple = ()  # ((lemma set of each key word, …), (replacement phrase, …))
    words: frozenset = frozenset()  # every plain word of the keys: the layout check counts them as known

    def expansions(self, text):
        """Replacement phrases whose key occurs in the text, in dictionary order.

        Words are compared by all their possible lemmas: «кичи» may be read as «кича» or «кич».
        """
        query = lemma_sets(text)
        found = []
        for key, phrases in self.entries:
            n = len(key)
            if any(all(a & b for a, b in zip(key, query[i:i + n], strict=True))
                   for i in range(len(query) - n + 1)):
                found.extend(p for p in phrases if p not in found)
        return found


def lemma_sets(text):
    """The set of possible lemmas of each word of text, stop words left out."""
    return [frozenset(ru_lemmas(w)) for w in plain_words(text) if w not in RU_STOP and len(w) > 1]


def load_synonyms(path):
    """Read and check the slang dictionary; a bad file raises SynonymsError naming the file and the entry."""
    path = Path(path)
    if not path.exists():
        return Synonyms()
    name = path.name
    try:
        data = load_yaml_file(path)
    except DuplicateKeyError as error:
        raise SynonymsError(f"{name}: {error}") from error
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise SynonymsError(f"{name}: не читается как YAML: {error}") from error
    if data is None:
        return Synonyms()
    if not isinstance(data, dict):
        raise SynonymsError(f"{name}: ожидается словарь «слово: замена» или «слово: [замена, …]»")
    entries, words, problems = [], set(), []
    for key, value in data.items():
        values = [value] if isinstance(value, str) else value
        if not isinstance(key, str) or not key.strip():
            problems.append(f"{name}: ключ «{key}»: нужно слово или фраза")
            continue
        if not isinstance(values, list) or not values or not all(isinstance(v, str) and v.strip()
                                                                  for v in values):
            problems.append(f"{name}: «{key}»: замена — непустая строка или список строк")
            continue
        key_lemmas = tuple(lemma_sets(key))
        if not key_lemmas:
            problems.append(f"{name}: «{key}»: в ключе только служебные слова")
            continue
        empty = [v for v in values if not lemma_words(v)]
        if empty:
            problems.append(f"{name}: «{key}»: в замене «{empty[0]}» только служебные слова")
            continue
        entries.append((key_lemmas, tuple(v.strip() for v in values)))
        words.update(plain_words(key))
    if problems:
        raise SynonymsError("\n".join(problems))
    return Synonyms(tuple(entries), frozenset(words))


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


# ---------------------------------------------------------------- searching

@dataclass
class Hit:
    key: str
    section: str
    snippet: str  # sanitised HTML: escaped text and <mark> only


@dataclass
class Outcome:
    """What one search found and what was done to the query on the way."""

    query: str  # the sanitised query
    searched: str = ""  # the query the results are for (after a layout repair or a correction)
    hits: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 1
    layout_fixed: bool = False
    corrected: bool = False  # the results are for an automatic correction of a query that found nothing
    suggestion: str | None = None  # "did you mean": a correction that finds at least as much
    shortened: bool = False
    partial: bool = False  # the time limit stopped the search early


def _restricted(parser):
    # Each of these makes one short query expensive (`*` alone took seconds) or lets a visitor reach
    # fields and boosts that are not meant to be searched directly.
    for plugin in (plugins.WildcardPlugin, plugins.RangePlugin, plugins.FieldsPlugin, plugins.BoostPlugin,
                   plugins.EveryPlugin):
        parser.remove_plugin_class(plugin)
    return parser


def make_parser(schema, group=OrGroup):
    """The visitor-facing parser: words, quoted phrases, brackets and AND/OR/NOT, nothing expensive.

    Words are OR-ed: one unmatched word must not zero out a long question. BM25 already ranks documents
    with more of the words higher; Whoosh's extra coordination factor (`OrGroup.factory`) doubled the
    cost of several-word queries without changing a single top-3 result of the relevance set.
    """
    return _restricted(MultifieldParser(list(LEMMA_FIELDS), schema, fieldboosts=FIELD_BOOSTS, group=group))


class Speller:
    """Typo handling over the unstemmed `plain` field of one reader; remembers its answers per word.

    Candidates are ranked by real edit distance (an adjacent swap is one edit), then by frequency:
    Whoosh's own corrector ranks by frequency alone and picked the intended word 41 % of the time, this
    ranking 95 % (docs/search.md). The same candidates serve as the query's fuzzy terms, so the index's
    word list is walked once per word.
    """

    MEMO_SIZE = 20_000

    def __init__(self, reader, memo=None):
        self.reader = reader
        # Candidates depend only on the index build, so a worker may share one memo across searches.
        self._near = {} if memo is None else memo

    def known(self, word):
        return ("plain", word) in self.reader

    def understood(self, word):
        """The word, or its dictionary form, occurs in the guides."""
        return self.known(word) or any((f, ru_lemmas(word)[0]) in self.reader for f in LEMMA_FIELDS)

    def suspect(self, word):
        """A word the guides lack in every form, or one the dictionary does not know: maybe a typo."""
        return not self.understood(word) or (bool(CYRILLIC_RE.search(word)) and not is_dictionary_word(word))

    def near(self, word):
        """[(distance, -frequency, word), …] best first: indexed words 2 edits away (1 if short or known).

        Words one edit away (and swaps) are looked for first; the costlier two-edit search of the word list
        runs only when there are none.
        """
        if word in self._near:
            return self._near[word]
        found = []
        known = self.known(word)
        if len(word) >= 3 and CYRILLIC_RE.search(word) and not (known and is_dictionary_word(word)):
            own = self.reader.doc_frequency("plain", word) if known else 0
            found = self._within(word, 1, own)
            if not found and not known and len(word) >= FUZZY_MIN_LETTERS:
                found = self._within(word, 2, own)
        if len(self._near) >= self.MEMO_SIZE:
            self._near.clear()
        self._near[word] = found
        return found

    def _within(self, word, maxdist, own):
        candidates = set(self.reader.terms_within("plain", word, maxdist, prefix=1))
        if maxdist == 1:  # a swap is two edits for Whoosh's automaton, one for people
            swaps = (word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1))
            candidates.update(w for w in swaps if self.known(w))
        found = []
        for candidate in candidates:
            if candidate == word or len(candidate) < 3:
                continue
            distance = damerau(word, candidate)
            frequency = self.reader.doc_frequency("plain", candidate)
            # A known word is corrected only towards a much more common one (a typo kept as a keyword).
            if distance <= maxdist and not (own and frequency < 3 * own):
                found.append((distance, -frequency, candidate))
        return sorted(found)

    def best(self, word):
        """The likeliest intended word, or None."""
        near = self.near(word)
        return near[0][2] if near else None

    def correct(self, text):
        """The text with each suspect word replaced by its best correction, or None if nothing changed."""
        changed = False

        def fix(match):
            nonlocal changed
            word = match.group(0).lower().replace("ё", "е")
            better = self.best(word) if self.suspect(word) else None
            if better:
                changed = True
                return better
            return match.group(0)

        corrected = WORD_RE.sub(fix, text)
        return corrected if changed else None

    def typo_query(self, word, schema):
        """The word as typed, OR every indexed word one edit away (swaps included), OR the dictionary
        form of the best correction, so «пособе» also finds «пособия»."""
        parts = [query.Term("plain", word, boost=2.0)]
        parts += [query.Term("plain", candidate) for distance, _freq, candidate in self.near(word)
                  if distance == 1]
        best = self.best(word)
        if best:
            parts.append(make_parser(schema).parse(best))
        return query.Or(parts, boost=FUZZY_BOOST)


def parse_visitor_query(parser, text):
    """Parse with the restricted parser; a query its grammar cannot take («NOT NOT NOT») is searched as plain
    words, and a query with no words left finds nothing — never «search is down»."""
    try:
        return parser.parse(text)
    except (IndexError, ValueError, AttributeError, TypeError):
        words = [word for word in plain_words(text) if word.upper() not in ("AND", "OR", "NOT", "ANDNOT", "ANDMAYBE")]
        if not words:
            return query.NullQuery
        return parser.parse(" ".join(words))


def build_query(searcher, text, synonyms, speller):
    """The visitor's query, OR the guides' words for any slang in it, OR typo-tolerant long words."""
    parts = [parse_visitor_query(make_parser(searcher.schema), text)]
    and_parser = make_parser(searcher.schema, group=AndGroup)
    for phrase in synonyms.expansions(text):
        parts.append(query.Or([and_parser.parse(phrase)], boost=SYNONYM_BOOST))
    seen = set()
    for word in plain_words(text):
        if len(word) >= FUZZY_MIN_LETTERS and word not in seen and speller.suspect(word):
            seen.add(word)
            parts.append(speller.typo_query(word, searcher.schema))
    return parts[0] if len(parts) == 1 else query.Or(parts)


class DeadlineCollector(TimeLimitCollector):
    """Whoosh's TimeLimitCollector without its timer thread: the clock is read after each document.

    The stock collector either starts a thread per search (1–2.5 ms on a busy 2-core machine, as much as
    a whole search of the guides) or uses SIGALRM, which works only in the main thread. Both stop only
    between documents, as this one does.
    """

    def __init__(self, child, timelimit):
        super().__init__(child, timelimit, use_alarm=False)
        self.deadline = None

    def prepare(self, top_searcher, q, context):
        self.child.prepare(top_searcher, q, context)
        self.timedout = False
        self.deadline = time.monotonic() + self.timelimit

    def collect_matches(self):
        child, deadline, clock = self.child, self.deadline, time.monotonic
        for sub_docnum in child.matches():
            child.collect(sub_docnum)
            if clock() > deadline:
                self.timedout = True
                raise TimeLimit

    def finish(self):
        self.child.finish()


def _collect(searcher, q, limit, time_limit):
    """(results, total, partial): top `limit` hits with an exact count, stopped after time_limit seconds."""
    top = TopCollector(limit=limit, usequality=False)  # no block skipping, so the count is exact
    timed = DeadlineCollector(top, time_limit)
    partial = False
    try:
        searcher.search_with_collector(q, timed)
    except TimeLimit:
        partial = True
    return top.results(), top.count(), partial


@lru_cache(maxsize=1024)
def _body_tokens(text):
    """((line start, line, ((start, end, lemmas), …)), …) for each line (one block of a guide) of text."""
    lines, offset = [], 0
    for line in text.split("\n"):
        tokens = []
        for match in WORD_RE.finditer(line):
            word = match.group(0).lower().replace("ё", "е")
            if word not in RU_STOP:
                tokens.append((match.start(), match.end(), ru_lemmas(word)))
        lines.append((offset, line, tuple(tokens)))
        offset += len(line) + 1
    return tuple(lines)


def make_snippet(text, terms, fallback="", maxchars=240):
    """The block of text with the most query words, cut to about maxchars, words marked with <mark>.

    Whoosh's own highlighter re-runs the whole analyzer chain and took about 1 ms per hit (10 ms a page);
    this walks the cached lemmas once. Everything is escaped; only the <mark> tags are ours.
    """
    best = None
    for _offset, line, tokens in _body_tokens(text):
        hits = [(s, e) for s, e, lemmas in tokens if terms.intersection(lemmas)]
        if hits:
            distinct = len({line[s:e].lower() for s, e in hits})
            rank = (distinct, len(hits))
            if best is None or rank > best[0]:
                best = (rank, line, hits)
    if best is None:
        return escape(fallback or text[:maxchars], quote=False)
    _rank, line, hits = best
    start, end = 0, len(line)
    if end > maxchars:
        start = max(0, hits[0][0] - maxchars // 4)
        while start > 0 and not line[start - 1].isspace():
            start -= 1
        end = min(len(line), start + maxchars)
        while end < len(line) and not line[end].isspace():
            end += 1
    parts = ["… " if start > 0 else ""]
    cursor = start
    for s, e in hits:
        if s < start or e > end:
            continue
        parts.append(escape(line[cursor:s], quote=False))
        parts.append(f"<mark>{escape(line[s:e], quote=False)}</mark>")
        cursor = e
    parts.append(escape(line[cursor:end], quote=False))
    parts.append(" …" if end < len(line) else "")
    return "".join(parts)


def _count(searcher, q):
    """How many documents match, without scoring them: enough to compare a correction with the query."""
    return sum(1 for _ in searcher.docs_for_query(q))


def _snippet(hit, terms):
    html = make_snippet(hit.get("body") or "", terms, fallback=hit.get("summary") or "")
    # Defence in depth: whatever the text was, only bare <mark> and <b> survive.
    return nh3.clean(html, tags={"mark", "b"}, attributes={})


def _highlight_terms(searcher, q):
    """The lemmas to mark in snippets: the query's own terms plus what fuzzy terms expanded to.

    Not `Query.existing_terms()`: in Whoosh 2.7 its loop variable shadows the `fieldname` filter, so
    after the first term it skips every leaf of another field («мфц» in `body` was never marked).
    """
    reader = searcher.reader()
    terms = set()
    for leaf in q.leaves():
        for fieldname, text in leaf.expanded_terms(reader, phrases=True):
            word = text.decode("utf-8") if isinstance(text, bytes) else text
            if fieldname == "plain":
                terms.add(ru_lemmas(word)[0])
            elif fieldname in LEMMA_FIELDS:
                terms.add(word)
    return terms


def _run(searcher, text, synonyms, speller, page, per_page, time_limit):
    q = build_query(searcher, text, synonyms, speller)
    limit = min(page, MAX_PAGES) * per_page
    results, total, partial = _collect(searcher, q, limit, time_limit)
    return q, results, total, partial


def _layout_candidate(speller, text, synonyms):
    """The text retyped in the Russian layout, if every word of it is (nearly) a word of the guides."""
    alt = fix_layout(text)
    words = plain_words(alt) if alt else []
    if not words:
        return None
    for word in words:
        if not (speller.known(word) or word in synonyms.words or (len(word) >= 3 and speller.best(word))):
            return None
    return alt


def search_page(searcher, text, synonyms, page=1, per_page=10, time_limit=0.5, memo=None):
    """Run one visitor query on an open searcher: layout repair, correction, pagination, snippets.

    `memo` is a dict the caller keeps per index build to remember typo candidates between searches.
    """
    page = max(1, min(int(page), MAX_PAGES))
    outcome = Outcome(query=text, searched=text, page=page)
    words = plain_words(text)
    if not words:
        return outcome
    speller = Speller(searcher.reader(), memo)
    q, results, total, partial = _run(searcher, text, synonyms, speller, page, per_page, time_limit)
    if total == 0 or not any(speller.known(w) or w in synonyms.words for w in words):
        alt = _layout_candidate(speller, text, synonyms)
        if alt:
            alt_run = _run(searcher, alt, synonyms, speller, page, per_page, time_limit)
            if alt_run[2]:
                q, results, total, partial = alt_run
                outcome = replace(outcome, searched=alt, layout_fixed=True)
    if not outcome.layout_fixed:
        corrected = speller.correct(text)
        if corrected and normalise_query(corrected) != normalise_query(text):
            if total == 0:
                other = _run(searcher, corrected, synonyms, speller, page, per_page, time_limit)
                if other[2]:
                    q, results, total, partial = other
                    outcome = replace(outcome, searched=corrected, corrected=True)
            elif _count(searcher, build_query(searcher, corrected, synonyms, speller)) >= total:
                outcome.suggestion = corrected
    pages = min(max(1, math.ceil(total / per_page)), MAX_PAGES)
    page = min(page, pages)
    terms = _highlight_terms(searcher, q)
    start = (page - 1) * per_page
    hits = [Hit(key=h["key"], section=h["section"], snippet=_snippet(h, terms))
            for h in results[start:start + per_page]]
    return replace(outcome, hits=hits, total=total, page=page, pages=pages, partial=partial)


def search(raw, page=1, lang="ru"):
    """Search the published index for a visitor's raw query; raises SearchUnavailable."""
    app = current_app
    config = app.config
    text, shortened = sanitize_query(raw, config["SEARCH_MAX_QUERY_CHARS"], config["SEARCH_MAX_QUERY_TERMS"])
    per_page = max(1, min(int(config["SEARCH_RESULTS_PER_PAGE"]), 20))
    holder = app.extensions["search_index"]
    key_text = normalise_query(text)
    version = holder.current_version()
    cached = holder.cache.get((key_text, page, lang, version)) if version else None
    if cached is not None:
        return replace(cached, query=text, shortened=shortened)
    with holder.searcher() as (searcher, version):
        try:
            outcome = search_page(searcher, text, app.extensions["search_synonyms"], page, per_page,
                                  config["SEARCH_TIME_LIMIT"], memo=holder.speller_memo_for(version))
        except Exception as error:  # damaged segment files fail only when read, with any exception type
            holder.report(("failed", version), "search failed on index %s: %s", version, type(error).__name__)
            raise SearchUnavailable from error
    outcome = replace(outcome, shortened=shortened)
    if not outcome.partial:
        holder.cache.put((key_text, page, lang, version), outcome)
    return outcome


def suggest(raw, limit=6):
    """Guide keys whose title or keywords start like the typed words (curated phrases only)."""
    text, _ = sanitize_query(raw, 100, 8)
    words = normalise_query(text).split()
    if not words or len("".join(words)) < 2:
        return []
    entries = current_app.extensions["search_index"].suggestions()
    found = _match_suggestions(entries, words, limit)
    if not found:
        alt = fix_layout(text)
        if alt:
            found = _match_suggestions(entries, normalise_query(alt).split(), limit)
    return found


def _match_suggestions(entries, words, limit):
    words = [re.sub(r"\W+", "", w) for w in words]
    words = [w for w in words if w]
    if not words:
        return []
    ranked = []
    for entry in entries:
        for position, phrase in enumerate(entry["phrases"]):
            phrase_words = [re.sub(r"\W+", "", w) for w in phrase.split()]
            if all(any(pw.startswith(w) for pw in phrase_words) for w in words):
                starts = phrase_words[0].startswith(words[0]) if phrase_words else False
                ranked.append(((position != 0, not starts, len(phrase)), entry["key"]))
    ranked.sort()
    keys = []
    for _rank, key in ranked:
        if key not in keys:
            keys.append(key)
    return keys[:limit]


# ---------------------------------------------------------------- app wiring

search_cli = AppGroup("search", help="The search index and the anonymous search statistics.")


@search_cli.command("build")
def build_command():
    """Rebuild the index from the guides into a new folder and publish it."""
    started = time.perf_counter()
    name = rebuild(current_app._get_current_object(), force=True)
    click.echo(f"Индекс поиска собран: {name}, материалов: {len(current_app.extensions['content'].guides)}, "
               f"{time.perf_counter() - started:.2f} с.")


@search_cli.command("report")
@click.option("--limit", default=20, show_default=True, help="Rows in each list.")
def report_command(limit):
    """Top queries and top queries that found nothing (only those counted 3+ times)."""
    from portal.search import stats as search_stats
    click.echo(search_stats.report_text(limit=limit))


@search_cli.command("purge")
def purge_command():
    """Delete statistics older than SEARCH_STATS_KEEP_DAYS."""
    from portal.search import stats as search_stats
    click.echo(f"Удалено строк: {search_stats.purge_and_commit()}")


def init_app(app):
    """Load the synonyms (fail loudly) and register the CLI; `build_on_start` runs once the areas have
    registered their sources."""
    config = app.config
    synonyms_file = config.get("SEARCH_SYNONYMS_FILE") or Path(config["CONTENT_DIR"]) / "synonyms.yaml"
    app.extensions["search_synonyms"] = load_synonyms(synonyms_file)
    app.extensions["search_index"] = IndexHolder(config["SEARCH_INDEX_DIR"], config["SEARCH_CACHE_SIZE"])
    app.cli.add_command(search_cli)
    from portal.health import register_readiness_check
    register_readiness_check(app, "search_index", lambda: search("пособие", page=1, lang="ru"))


def build_on_start(app):
    """Build the index if it is missing or stale (SEARCH_BUILD_ON_START); a failure leaves search off."""
    config = app.config
    if config["SEARCH_BUILD_ON_START"]:
        try:
            rebuild(app, force=False)
        except Exception as error:  # the site serves guides without search rather than not at all
            log.error("search index could not be built at start-up: %s: %s", type(error).__name__, error)
