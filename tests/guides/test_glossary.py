"""The glossary as plain functions: forms, first use only, never inside links or headings, validation."""
import re
import shutil

import pytest
import yaml

from portal.guides.content import ContentError, glossary_warnings, load_library
from portal.guides.glossary import (
    GlossaryError,
    build_matcher,
    explain_terms,
    load_glossary,
    parse_glossary,
    phrase_forms,
)
from tests.helpers.app import FIXTURE_CONTENT, ROOT

TERMS = [
    {"key": "uii", "term": "УИИ", "variants": ["уголовно-исполнительная инспекция"],
     "explanation": "Инспекция, куда ходят отмечаться.", "guide": "kuda-idti/probaciya"},
    {"key": "probaciya", "term": "пробация", "explanation": "Помощь после выхода.", "guide": None},
    {"key": "udo", "term": "УДО", "explanation": "Выход раньше срока."},
    {"key": "pogashenie-sudimosti", "term": "погашение судимости", "explanation": "Судимость гасится сама."},
]
REQUIRED = {"УИИ", "пробация", "постпенитенциарная", "административный надзор", "МФЦ", "СНИЛС",
            "погашение судимости", "ИНН", "ОМС", "УДО", "ограничение свободы", "исправительные работы", "ЦЗН"}


@pytest.fixture(scope="module")
def matcher():
    return build_matcher(parse_glossary(TERMS))


def explain(fragment, matcher, **kwargs):
    return explain_terms(fragment, matcher, lambda term: f"/{term.guide}" if term.guide else None, **kwargs)


def marked(html):
    return re.findall(r'<dfn class="term">(.*?)</dfn>', html)


@pytest.mark.parametrize(("text", "expected"), [
    ("Идите в УИИ.", "УИИ"),
    ("УИИ рядом.", "УИИ"),
    ("Отметьтесь в уголовно-исполнительной инспекции.", "уголовно-исполнительной инспекции"),
    ("Заявление о пробации.", "пробации"),
    ("Помощь с пробацией.", "пробацией"),
    ("Пробация — это помощь.", "Пробация"),
    ("Срок погашения судимости.", "погашения судимости"),
    ("Вышел по УДО.", "УДО"),
])
def test_inflected_forms_and_abbreviations_are_matched(matcher, text, expected):
    assert marked(explain(f"<p>{text}</p>", matcher).html) == [expected]


@pytest.mark.parametrize("text", ["Слово удо строчными.", "Буквы УИИН.", "Слово пробационный."])
def test_other_words_are_not_matched(matcher, text):
    assert marked(explain(f"<p>{text}</p>", matcher).html) == []


def test_only_the_first_use_on_the_page_is_explained(matcher):
    result = explain("<p>Идите в УИИ. В УИИ дадут план.</p><ul><li>Снова УИИ</li></ul>", matcher)
    assert marked(result.html) == ["УИИ"]
    assert result.html.count('class="term-note"') == 1
    assert result.explained == ("uii",)


def test_a_term_inside_a_link_or_heading_is_not_wrapped(matcher):
    result = explain('<h2>Инспекция (УИИ)</h2><p><a href="/x">Адрес УИИ</a>, потом <strong>в УИИ</strong>.</p>',
                     matcher)
    assert result.html.startswith('<h2>Инспекция (УИИ)</h2><p><a href="/x">Адрес УИИ</a>, потом <strong>в '
                                  '<dfn class="term">УИИ</dfn></strong>.</p><details class="term-note">')
    assert result.unexplained == ()


def test_a_term_used_only_in_headings_and_links_is_reported_unexplained(matcher):
    result = explain('<h2>Про УИИ</h2><p><a href="/x">пробация</a> и больше ничего.</p>', matcher)
    assert marked(result.html) == []
    assert result.unexplained == ("probaciya", "uii")


def test_the_note_follows_a_paragraph_and_ends_a_list_item(matcher):
    result = explain("<p>Идите в УИИ.</p><ul><li>Про <em>пробацию</em> тут.</li></ul>", matcher)
    assert result.html == (
        '<p>Идите в <dfn class="term">УИИ</dfn>.</p>'
        '<details class="term-note"><summary>Что значит «УИИ»</summary>'
        '<p>Инспекция, куда ходят отмечаться. <a href="/kuda-idti/probaciya">Подробнее</a></p></details>'
        '<ul><li>Про <em><dfn class="term">пробацию</dfn></em> тут.'
        '<details class="term-note"><summary>Что значит «пробация»</summary>'
        "<p>Помощь после выхода.</p></details></li></ul>")


def test_the_terms_own_guide_leaves_it_as_written(matcher):
    result = explain("<p>Идите в УИИ, там помогут с пробацией.</p>", matcher, page_guide="kuda-idti/probaciya")
    assert marked(result.html) == ["пробацией"]


def test_text_and_attributes_stay_escaped(matcher):
    fragment = '<p title="a &amp; b">&lt;script&gt; в УИИ &amp; ещё</p>'
    result = explain(fragment, matcher).html
    assert result.startswith('<p title="a &amp; b">&lt;script&gt; в <dfn class="term">УИИ</dfn> &amp; ещё</p>')


def test_multiword_forms_agree_and_keep_the_dependent_word():
    assert {"административным надзором", "административного надзора"} <= phrase_forms("административный надзор")
    forms = phrase_forms("погашение судимости")
    assert "погашения судимости" in forms and not any("судимостей" in f for f in forms)
    assert phrase_forms("исправительные работы") >= {"исправительными работами", "исправительных работ"}
    assert phrase_forms("МФЦ") == {"МФЦ"}


@pytest.mark.parametrize(("data", "problem"), [
    ([TERMS[0], {**TERMS[2], "key": "uii"}], "термин «uii»: поле «key»: повторяется"),
    ([TERMS[0], {**TERMS[2], "forms": ["УИИ"]}], "форма «УИИ» уже есть у «uii»"),
    ([{**TERMS[2], "explanation": ""}], "поле «explanation»: не заполнено"),
    ([{**TERMS[2], "colour": "red"}], "поле «colour»: неизвестное поле"),
    ([{**TERMS[2], "key": "Удо"}], "поле «key»: латиница"),
])
def test_a_bad_glossary_names_the_term_and_field(data, problem):
    with pytest.raises(GlossaryError) as error:
        parse_glossary(data)
    assert any(problem in p for p in error.value.problems), error.value.problems


def test_the_shipped_glossary_has_every_required_term_with_a_guide_that_exists():
    terms = load_glossary(ROOT / "portal" / "content")
    assert REQUIRED <= {term.term for term in terms}
    library = load_library(ROOT / "portal" / "content")
    assert all(term.guide in library.guides for term in terms if term.guide)
    assert all(term.explanation.endswith(".") for term in terms)


@pytest.fixture
def content_with_glossary(tmp_path):
    def build(terms, extra_guide=None):
        folder = tmp_path / "content"
        shutil.copytree(FIXTURE_CONTENT, folder)
        (folder / "glossary.yaml").write_text(yaml.safe_dump(terms, allow_unicode=True), encoding="utf-8")
        if extra_guide:
            (folder / "posobie" / "uii.md").write_text(extra_guide, encoding="utf-8")
        return folder
    return build


GUIDE_WITH_UII_IN_A_HEADING = """---
title: Куда идти
summary: Адрес инспекции.
short:
  - Узнайте адрес инспекции.
  - Придите туда с паспортом.
  - Спросите, что делать дальше.
section: posobie
order: 5
updated: 2026-11-12
audience: [client]
keywords: [инспекция]
sources:
  - title: Закон
---
## Инспекция УИИ

Адрес узнайте в центре занятости.
"""


def test_content_check_fails_on_a_glossary_link_to_a_missing_guide(content_with_glossary):
    folder = content_with_glossary([TERMS[0]])
    with pytest.raises(ContentError) as error:
        load_library(folder)
    assert "glossary.yaml: термин «uii»: поле «guide»: нет материала «kuda-idti/probaciya»" in error.value.problems


def test_content_check_warns_about_an_abbreviation_only_in_a_heading(content_with_glossary):
    from portal.guides.cli import check_content
    folder = content_with_glossary([{**TERMS[0], "guide": "posobie/kto-poluchaet"}], GUIDE_WITH_UII_IN_A_HEADING)
    library = load_library(folder)
    assert glossary_warnings(library) == [
        "posobie/uii: «УИИ» — только в заголовке или ссылке, поэтому не объяснено: напишите его хотя бы раз в "
        "обычном тексте"]
    lines = []
    check_content(folder, {"CONTENT_MAX_AVG_SENTENCE_WORDS": 99, "CONTENT_MAX_SENTENCE_WORDS": 99,
                           "CONTENT_MIN_READABILITY": -999}, echo=lines.append)
    assert any("⚠ posobie/uii: «УИИ»" in line for line in lines)


def test_notes_do_not_change_the_text_that_is_linted_and_indexed(content_with_glossary):
    folder = content_with_glossary([{**TERMS[1], "explanation": "Особое объяснение."}])
    (folder / "posobie" / "kto-poluchaet.md").write_text(
        (folder / "posobie" / "kto-poluchaet.md").read_text(encoding="utf-8").replace(
            "Оставьте заявку на сайте.", "Оставьте заявку на пробацию."), encoding="utf-8")
    guide = load_library(folder).guides["posobie/kto-poluchaet"]
    assert '<dfn class="term">пробацию</dfn>' in guide.html and "Особое объяснение." in guide.html
    assert "Особое объяснение" not in guide.text


def test_the_note_names_the_word_as_the_page_used_it_in_its_dictionary_form(matcher):
    result = explain("<p>Отметьтесь в уголовно-исполнительной инспекции. Помощь с пробацией.</p>", matcher)
    summaries = re.findall(r"<summary>(.*?)</summary>", result.html)
    assert summaries == ["Что значит «уголовно-исполнительная инспекция»", "Что значит «пробация»"]
