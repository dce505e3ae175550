"""Answering queries over the published index: the parser, the speller, the query, the time-limited
collector, a result page and autocomplete. The measurements behind each choice are in docs/search.md.

- Querying: a parser without the wildcard, range, field, boost and "every" plugins, at most 200
  characters and 20 terms, a time-limited collector, slang synonyms from portal/content/synonyms.yaml,
  typo tolerance for long unknown words, keyboard-layout repair and "did you mean".
"""
import math
import re
import time
from dataclasses import dataclass, field, replace

import nh3
from flask import current_app
from whoosh import query
from whoosh.collectors import TimeLimit, TimeLimitCollector, TopCollector
from whoosh.qparser import AndGroup, MultifieldParser, OrGroup, plugins

from portal.search.analysis import (
    CYRILLIC_RE,
    WORD_RE,
    damerau,
    fix_layout,
    is_dictionary_word,
    normalise_query,
    plain_words,
    ru_lemmas,
    sanitize_query,
)
from portal.search.index import SearchUnavailable
from portal.search.snippets import make_snippet

# Field weights for the parser: a word in the title or the keywords says more than one in the body.
# Three fields, not five: summary and headings live in `body`. Each field adds a term per query word,
# and five made several-word queries on 1,000 documents 1.5× slower at p95 with no better results.
FIELD_BOOSTS = {"title": 4.0, "keywords": 3.0, "body": 1.0}
LEMMA_FIELDS = tuple(FIELD_BOOSTS)
SYNONYM_BOOST = 0.8
FUZZY_BOOST = 0.6
FUZZY_MIN_LETTERS = 5
MAX_PAGES = 10  # deeper pages are never collected, whatever `page` says


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
