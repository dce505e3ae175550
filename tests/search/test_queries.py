"""Query understanding and the restricted parser (security item 18): whatever a visitor types, the parser
builds nothing expensive, nothing reaches fields that are not meant to be searched, and nothing raises.
Timing is measured in bench/search.py; these tests check what the queries become and what they find."""
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from whoosh import query as wq

from portal.search import query as search_query
from portal.search import snippets
from portal.search.analysis import sanitize_query
from portal.search.query import LEMMA_FIELDS, make_parser

EXPENSIVE = (wq.Wildcard, wq.Prefix, wq.TermRange, wq.NumericRange, wq.Every, wq.Regex)


def _check_cheap(q):
    """Every leaf of the query is a plain term, phrase or one-edit fuzzy term on a searchable field."""
    for leaf in q.leaves():
        assert not isinstance(leaf, EXPENSIVE), leaf
        if isinstance(leaf, wq.FuzzyTerm):
            assert leaf.maxdist <= 1 and leaf.prefixlength >= 1, leaf
        assert leaf.field() in (*LEMMA_FIELDS, "plain", None), f"{leaf} searches field {leaf.field()}"
        assert leaf.boost <= max(search_query.FIELD_BOOSTS.values()) * 2.0, leaf


DANGEROUS = ["*", "*а*", "а*", "а~2", "пособие~2", "[а TO я]", "{а TO я}", "path:1", "title:пособие^100",
             "*:*", "body:*", "пособие^1000", "key:posobie/kto-poluchaet", "(((((((пособие)))))))",
             '"пособие', 'AND OR NOT', "NOT пособие", "пособие AND", ":", "\\", "'", "'пособие по'",
             "пособие ANDNOT работа", "<script>alert(1)</script>", "a" * 200]


@pytest.mark.parametrize("text", DANGEROUS)
def test_query_syntax_characters_never_raise_and_build_nothing_expensive(search_app, run_search, text):
    with search_app.extensions["search_index"].searcher() as (searcher, _version):
        schema = searcher.schema
        synonyms = search_app.extensions["search_synonyms"]
        speller = search_query.Speller(searcher.reader())
        q = search_query.build_query(searcher, sanitize_query(text)[0], synonyms, speller)
    _check_cheap(q)
    outcome = run_search(sanitize_query(text)[0])
    assert outcome.total >= 0
    assert make_parser(schema).parse(text) is not None


@pytest.mark.parametrize("text", ["*", "*а*", "а*", "*:*", "[а TO я]"])
def test_wildcards_and_ranges_match_nothing_instead_of_everything(run_search, text):
    assert run_search(text).total == 0


def test_field_and_boost_syntax_is_read_as_plain_words(run_search):
    # `title:` and `^100` are not honoured, but the words still search as words.
    outcome = run_search("title:пособие^100")
    assert outcome.total > 0 and outcome.hits[0].key.startswith("posobie/")


def test_two_hundred_or_terms_are_cut_to_twenty(search_app):
    raw = " OR ".join(f"слово{i}" for i in range(200))
    text, shortened = sanitize_query(raw)
    assert shortened and len(text.split()) <= 20
    with search_app.extensions["search_index"].searcher() as (searcher, _version):
        q = make_parser(searcher.schema).parse(text)
    terms = {t for _f, t in q.iter_all_terms()}
    assert len(terms) <= 20


def test_a_quoted_phrase_matches_word_forms_in_order(run_search):
    outcome = run_search('"справок о судимостях"')
    assert outcome.total > 0
    assert all(hit.key.startswith(("sudimost/", "dokumenty/", "rabota/")) for hit in outcome.hits[:3])


def test_results_per_page_are_capped(run_search):
    outcome = run_search("работа", per_page=5)
    assert len(outcome.hits) <= 5 and outcome.total > 5 and outcome.pages == -(-outcome.total // 5)


def test_a_page_past_the_end_shows_the_last_page(run_search):
    outcome = run_search("пособие", page=9, per_page=5)
    assert outcome.page == outcome.pages and outcome.hits


def test_the_time_limit_returns_what_was_found_so_far(search_app):
    # No time at all: the search stops after the first document and still answers, marked partial.
    with search_app.extensions["search_index"].searcher() as (searcher, _version):
        synonyms = search_app.extensions["search_synonyms"]
        stopped = search_query.search_page(searcher, "пособие", synonyms, time_limit=0)
        full = search_query.search_page(searcher, "пособие", synonyms)
    assert stopped.partial and not full.partial
    assert 0 < stopped.total < full.total


def test_the_time_limit_starts_no_thread_per_search(search_app):
    import threading
    before = threading.active_count()
    with search_app.extensions["search_index"].searcher() as (searcher, _version):
        collector = search_query.DeadlineCollector(search_query.TopCollector(limit=10), 0.5)
        searcher.search_with_collector(make_parser(searcher.schema).parse("пособие"), collector)
        assert threading.active_count() == before
    assert isinstance(collector, search_query.TimeLimitCollector)  # security item 18 asks for one
    assert len(collector.results()) > 0


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=300))
def test_the_parser_accepts_any_text(search_app, text):
    with search_app.extensions["search_index"].searcher() as (searcher, _version):
        q = make_parser(searcher.schema).parse(sanitize_query(text)[0])
    _check_cheap(q)


def test_layout_repair_happens_only_when_the_typed_query_finds_nothing(run_search):
    assert run_search("gjcj,bt").layout_fixed
    for text in ("covid", "pdf", "email"):  # Latin words that are not Russian typed in the wrong layout
        outcome = run_search(text)
        assert not outcome.layout_fixed and outcome.searched == text


def test_a_correction_is_offered_when_it_finds_at_least_as_much(run_search):
    outcome = run_search("пасобие")
    assert outcome.suggestion == "пособие" and outcome.total > 0
    assert run_search("пособие").suggestion is None


def test_a_query_that_finds_nothing_shows_the_results_of_its_correction(run_search):
    outcome = run_search("мфз")  # too short for fuzzy terms; the speller still knows «мфц»
    assert outcome.corrected and outcome.searched == "мфц" and outcome.total > 0


def test_snippets_mark_the_matched_word_forms_and_escape_everything_else():
    html = snippets.make_snippet("Справки <script>x</script> о судимости\nДругое", {"справка"})
    assert html == "<mark>Справки</mark> &lt;script&gt;x&lt;/script&gt; о судимости"


def test_snippets_of_long_blocks_are_cut_around_the_match():
    text = "слово " * 100 + "пособие " + "слово " * 100
    html = snippets.make_snippet(text, {"пособие"})
    assert "<mark>пособие</mark>" in html and html.startswith("… ") and html.endswith(" …")
    assert len(html) < 320


def test_a_snippet_without_matches_falls_back_to_the_summary():
    assert snippets.make_snippet("текст", {"пособие"}, fallback="Кратко <b>") == "Кратко &lt;b&gt;"


def test_snippets_in_results_hold_only_bare_mark_tags(run_search):
    import re
    outcome = run_search("справка о судимости")
    tags = {tag for hit in outcome.hits for tag in re.findall(r"</?([a-z]+)[^>]*>", hit.snippet)}
    assert tags == {"mark"}
    assert all("<mark>" in hit.snippet for hit in outcome.hits[:3])
    assert not any("class=" in hit.snippet for hit in outcome.hits)


def test_snippets_mark_words_found_only_in_the_body(run_search):
    # Whoosh's Query.existing_terms() skips leaves of a second field; the snippet must not depend on it.
    outcome = run_search("мфц")
    assert outcome.total and all("<mark>МФЦ</mark>" in hit.snippet for hit in outcome.hits)
