"""Pure functions behind search: the Russian analyzer, query sanitising, the layout fix, edit distance,
the speller and the synonyms dictionary. No app needed except where the index is the subject."""
import pickle

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal import create_app
from portal.search import analysis
from portal.search import index as search_index
from portal.search import query as search_query
from portal.search.analysis import (
    damerau,
    fix_layout,
    lemma_analyzer,
    lemma_words,
    normalise_query,
    ru_lemmas,
    sanitize_query,
)
from portal.search.synonyms import SynonymsError, load_synonyms
from tests.helpers.app import ROOT

# ---------------------------------------------------------------- analyzer

# Word-form pairs that Snowball stemmers split apart (fleeting vowels, suppletive plurals) and lemmas join.
SAME_WORD = [("справка", "справок"), ("день", "дня"), ("ребёнок", "дети"), ("человек", "люди"),
             ("работа", "работу"), ("судимость", "судимостях"), ("ошибка", "ошибок"), ("идти", "шёл"),
             ("отец", "отца"), ("паспорт", "паспорта"), ("жильё", "жилье"), ("освободился", "освободиться")]


@pytest.mark.parametrize(("one", "other"), SAME_WORD)
def test_word_forms_share_a_lemma(one, other):
    assert lemma_words(one) == lemma_words(other) != []


def test_yo_is_folded_to_ye_and_case_is_ignored():
    assert lemma_words("ЖИЛЬЁ Ещё") == lemma_words("жилье еще")


def test_stop_words_are_left_out():
    assert lemma_words("как и что, где и когда") == []


def test_a_word_the_dictionary_does_not_know_falls_back_to_its_stem():
    assert ru_lemmas("пасобие") == (analysis.ru_stem("пасобие"),)
    assert analysis.is_dictionary_word("пособие") and not analysis.is_dictionary_word("пасобие")


def test_indexing_keeps_every_lemma_of_an_ambiguous_word_but_a_query_takes_the_likeliest():
    analyzer = lemma_analyzer()
    indexed = [t.text for t in analyzer("стали", mode="index")]
    queried = [t.text for t in analyzer("стали", mode="query")]
    assert set(indexed) >= {"стать", "сталь"}
    assert queried == ["стать"]


def test_the_schema_pickles_with_analyzers_referenced_by_module_path():
    # Whoosh stores the schema in the index: analyzers must be importable, never defined in __main__.
    data = pickle.dumps(search_index.make_schema())
    assert b"portal.search.analysis" in data and b"__main__" not in data
    restored = pickle.loads(data)  # noqa: S301 (our own bytes)
    assert [t.text for t in restored["body"].analyzer("справок")] == ["справка"]


# ---------------------------------------------------------------- query text

def test_sanitize_cuts_overlong_queries_to_200_characters():
    text, shortened = sanitize_query("пособие " * 2000)
    assert len(text) <= 200 and shortened


def test_sanitize_keeps_at_most_20_terms():
    text, shortened = sanitize_query(" ".join(f"слово{i}" for i in range(200)))
    assert text.split() == [f"слово{i}" for i in range(20)] and shortened


def test_sanitize_leaves_an_ordinary_query_alone():
    assert sanitize_query("  сколько   платят\tпособие ") == ("сколько платят пособие", False)


@pytest.mark.parametrize("raw", ["\x00", "\u200b\u200b", " \n\t ", "\x1b[31m"])
def test_sanitize_drops_control_and_invisible_characters(raw):
    text, _ = sanitize_query(raw + "пособие" + raw)
    assert text.replace("[31m", "").strip() == "пособие"
    assert not any(ord(ch) < 32 for ch in text)


def test_sanitize_refuses_anything_but_a_string():
    assert sanitize_query(None) == ("", False)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=3000))
def test_sanitized_queries_are_always_within_the_caps(raw):
    text, _ = sanitize_query(raw)
    assert len(text) <= 200 and len(text.split()) <= 20
    assert sanitize_query(text)[0] == text  # idempotent


def test_normalised_query_ignores_case_yo_and_spacing():
    expected = "жилье после зоны"
    assert normalise_query("  ЖИЛЬЁ   после\tзоны ") == normalise_query(expected) == expected


# ---------------------------------------------------------------- keyboard layout

@pytest.mark.parametrize(("typed", "meant"), [
    ("gjcj,bt", "пособие"), ("cghfdrf j celbvjcnb", "справка о судимости"),
    ("wtynh pfyznjcnb", "центр занятости"), ("GJCJ<BT", "ПОСОБИЕ"), (";bkmt", "жилье"),
])
def test_latin_layout_is_retyped_in_russian(typed, meant):
    assert fix_layout(typed) == meant


@pytest.mark.parametrize("typed", ["пособие", "covid пособие", "123", "", "!!!"])
def test_text_with_cyrillic_or_without_latin_letters_is_not_retyped(typed):
    assert fix_layout(typed) is None


# ---------------------------------------------------------------- edit distance and the speller

@pytest.mark.parametrize(("a", "b", "distance"), [
    ("пособие", "пособие", 0), ("пасобие", "пособие", 1), ("посбоие", "пособие", 1),  # a swap is one edit
    ("пособе", "пособие", 1), ("пособиее", "пособие", 1), ("", "abc", 3), ("смерюям", "смертями", 2),
])
def test_damerau_distance(a, b, distance):
    assert damerau(a, b) == distance == damerau(b, a)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="абвгде", max_size=8), st.text(alphabet="абвгде", max_size=8))
def test_damerau_is_a_bounded_symmetric_distance(a, b):
    d = damerau(a, b)
    assert d == damerau(b, a)
    assert abs(len(a) - len(b)) <= d <= max(len(a), len(b))
    assert (d == 0) == (a == b)


@pytest.mark.parametrize(("typo", "meant"), [
    ("пособе", "пособие"), ("посбоие", "пособие"), ("судимасти", "судимости"), ("резюми", "резюме"),
    ("стипендея", "стипендия"), ("обучние", "обучение"), ("пробацыя", "пробация"),
])
def test_speller_ranks_the_intended_word_first(reader, typo, meant):
    assert search_query.Speller(reader).best(typo) == meant


def test_speller_leaves_correct_words_alone(reader):
    speller = search_query.Speller(reader)
    assert speller.near("пособие") == []
    assert speller.correct("справка о судимости") is None
    assert not speller.suspect("справок")  # a real word whose other forms are in the guides


def test_speller_corrects_a_typo_kept_as_a_keyword_towards_the_common_word(reader):
    # «пасобие» is in a guide's keywords on purpose, so it is "known", but «пособие» is far more common.
    speller = search_query.Speller(reader)
    assert speller.known("пасобие") and speller.suspect("пасобие")
    assert speller.best("пасобие") == "пособие"


def test_speller_corrects_whole_queries_word_by_word(reader):
    speller = search_query.Speller(reader)
    assert speller.correct("пособе по безработеце") == "пособие по безработице"
    assert speller.correct("Справка о судимасти") == "Справка о судимости"


# ---------------------------------------------------------------- synonyms

@pytest.fixture(scope="module")
def synonyms():
    return load_synonyms(ROOT / "portal" / "content" / "synonyms.yaml")


@pytest.mark.parametrize(("query", "expected"), [
    ("биржа труда", "центр занятости"), ("сколько платят на бирже", "центр занятости"),
    ("откинулся что делать", "освободиться"), ("откинулась", "освободиться"), ("ксива", "паспорт"),
    ("куда идти после зоны", "колония"), ("шабашка", "подработка"), ("после кичи", "колония"),
])
def test_slang_expands_to_the_words_of_the_guides(synonyms, query, expected):
    assert expected in synonyms.expansions(query)


def test_ordinary_words_expand_to_nothing(synonyms):
    assert synonyms.expansions("справка о судимости") == []


@pytest.mark.parametrize(("text", "problem"), [
    ("биржа: центр занятости\nбиржа: служба\n", "дважды"),
    ("- биржа\n- зона\n", "словарь"),
    ("биржа: ''\n", "непустая строка"),
    ("биржа: []\n", "непустая строка"),
    ("и на: центр занятости\n", "служебные слова"),
    ("биржа: [центр, 5]\n", "непустая строка"),
    ("биржа: [центр занятости\n", "YAML"),
])
def test_a_bad_synonyms_file_fails_loudly_naming_the_file(tmp_path, text, problem):
    path = tmp_path / "synonyms.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SynonymsError) as error:
        load_synonyms(path)
    assert "synonyms.yaml" in str(error.value) and problem in str(error.value)


def test_the_app_refuses_to_start_with_a_bad_synonyms_file(tmp_path):
    path = tmp_path / "synonyms.yaml"
    path.write_text("биржа: [центр\n", encoding="utf-8")
    with pytest.raises(SynonymsError):
        create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "SEARCH_SYNONYMS_FILE": str(path),
                    "SEARCH_BUILD_ON_START": False, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
                    "SEARCH_INDEX_DIR": str(tmp_path / "idx")})


def test_a_missing_synonyms_file_means_no_synonyms(tmp_path):
    assert load_synonyms(tmp_path / "none.yaml").expansions("биржа") == []


def test_the_real_synonyms_file_loads(synonyms):
    assert len(synonyms.entries) >= 30
