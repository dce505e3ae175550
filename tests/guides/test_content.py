"""Content model: loading, validation naming file and field, sanitising, link checks, plain-language lint."""
import shutil
from datetime import date

import pytest

from portal import create_app
from portal.guides.content import ContentError, load_library, split_front_matter, validate_meta
from portal.guides.lint import lint_guide, readability, sentences
from portal.guides.rendering import render_markdown
from tests.helpers.app import FIXTURE_CONTENT, ROOT

CASES = ROOT / "tests" / "fixtures" / "content" / "cases"
LINT = {"CONTENT_MAX_AVG_SENTENCE_WORDS": 15, "CONTENT_MAX_SENTENCE_WORDS": 30, "CONTENT_MIN_READABILITY": 50}


@pytest.fixture
def library_with(tmp_path):
    """library_with("case.md") -> a copy of the valid fixture library plus one edge-case file in posobie/."""
    def build(case_name, target_name=None):
        folder = tmp_path / "content"
        shutil.copytree(FIXTURE_CONTENT, folder)
        shutil.copy(CASES / case_name, folder / "posobie" / (target_name or case_name))
        return folder
    return build


def test_valid_fixture_library_loads_sections_guides_and_translation():
    library = load_library(FIXTURE_CONTENT)
    assert set(library.guides) == {"posobie/kto-poluchaet", "kuda-idti/pervye-30-dney"}
    assert ("kuda-idti/pervye-30-dney", "en") in library.translations
    guide = library.guides["posobie/kto-poluchaet"]
    assert guide.updated == date(2026, 11, 12)
    assert guide.sources[1].url == "https://example.org/565"
    assert "биржа труда" in guide.keywords
    assert len(library.sections) == 8


def test_relative_md_links_become_site_routes_and_are_recorded():
    guide = load_library(FIXTURE_CONTENT).guides["posobie/kto-poluchaet"]
    assert 'href="/kuda-idti/pervye-30-dney#shag-1"' in guide.html
    assert guide.links == ["kuda-idti/pervye-30-dney"]


def test_english_translation_links_stay_in_the_english_interface():
    guide = load_library(FIXTURE_CONTENT).translations[("kuda-idti/pervye-30-dney", "en")]
    assert 'href="/en/posobie/kto-poluchaet"' in guide.html


def test_headings_get_anchors_for_the_table_of_contents():
    guide = load_library(FIXTURE_CONTENT).guides["kuda-idti/pervye-30-dney"]
    assert [item["id"] for item in guide.toc][0] == "shag-1"
    assert 'id="shag-1"' in guide.html


def test_missing_updated_date_fails_naming_file_and_field(library_with):
    with pytest.raises(ContentError) as error:
        load_library(library_with("missing-updated.md"))
    assert "posobie/missing-updated.md: поле «updated»" in str(error.value)


def test_broken_internal_link_fails_naming_file_and_target(library_with):
    with pytest.raises(ContentError) as error:
        load_library(library_with("broken-link.md"))
    assert "posobie/broken-link.md" in str(error.value)
    assert "posobie/net-takogo.md" in str(error.value)


def test_every_bad_field_is_reported_at_once(library_with):
    with pytest.raises(ContentError) as error:
        load_library(library_with("bad-fields.md"))
    problems = "\n".join(error.value.problems)
    for field_name in ("section", "order", "updated", "audience", "keywords", "sources", "colour"):
        assert f"поле «{field_name}»" in problems, field_name


def test_missing_short_fails_naming_file_and_field(library_with):
    with pytest.raises(ContentError) as error:
        load_library(library_with("missing-short.md"))
    assert "posobie/missing-short.md: поле «short»: не заполнено" in str(error.value)


def test_short_with_too_few_lines_fails_naming_file_and_field(library_with):
    with pytest.raises(ContentError) as error:
        load_library(library_with("bad-short.md"))
    assert "posobie/bad-short.md: поле «short»: нужно от 3 до 5 строк, а их 2" in str(error.value)


@pytest.mark.parametrize("short, message", [
    ("Одна строка", "список коротких строк"),
    (["Раз.", "", "Три."], "список коротких строк"),
    (["Раз.", "Два.", "Три.", "Четыре.", "Пять.", "Шесть."], "нужно от 3 до 5 строк, а их 6"),
    (["Раз.", "Два.", "Очень " * 20], "строка 3 длиннее 90 знаков"),
])
def test_short_must_be_three_to_five_short_lines(short, message):
    meta = {"title": "Т", "summary": "С.", "short": short, "section": "posobie", "order": 1,
            "updated": date(2026, 11, 1), "audience": ["client"], "keywords": ["к"], "sources": [{"title": "И"}]}
    problems = "\n".join(validate_meta(meta, "posobie/x.md", "posobie"))
    assert f"posobie/x.md: поле «short»: {message}" in problems


def test_short_lines_are_kept_in_order_and_read_first_by_the_lint():
    guide = load_library(FIXTURE_CONTENT).guides["posobie/kto-poluchaet"]
    assert guide.short == ("Проверьте паспорт.", "Встаньте на учёт в центре занятости.", "Спросите о пособии.")
    assert guide.blocks[:3] == [("li", line) for line in guide.short]


def test_every_shipped_guide_has_three_to_five_short_lines():
    library = load_library(ROOT / "portal" / "content")
    for guide in [*library.guides.values(), *library.translations.values()]:
        assert 3 <= len(guide.short) <= 5, guide.key


def test_app_refuses_to_start_on_invalid_content(library_with, tmp_path):
    with pytest.raises(ContentError, match="поле «updated»"):
        create_app({"CONTENT_DIR": str(library_with("missing-updated.md")), "SECRET_KEY": "k" * 40,
                    "TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"})


def test_raw_html_and_javascript_links_never_survive_rendering(library_with):
    guide = load_library(library_with("xss.md")).guides["posobie/xss"]
    html = guide.html.lower()
    for dangerous in ("<script", "onerror", "onclick", "javascript:", "<img"):
        assert dangerous not in html, dangerous
    assert "обычный текст" in html


@pytest.mark.parametrize("markdown_text", [
    "<script>alert(1)</script>",
    '<iframe src="https://evil.example"></iframe>',
    "[x](javascript:alert(1))",
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    "<style>body{display:none}</style>",
    '<p style="color:red">x</p>',
])
def test_renderer_strips_dangerous_markup(markdown_text):
    html, _toc, _links = render_markdown(markdown_text, "posobie/x")
    for dangerous in ("<script", "<iframe", "javascript:", "data:text", "<style", "style="):
        assert dangerous not in html.lower()


def test_front_matter_split_handles_missing_front_matter():
    assert split_front_matter("Просто текст")[0] is None
    front, body = split_front_matter("---\ntitle: x\n---\nТело\n")
    assert front.strip() == "title: x" and body.strip() == "Тело"


def test_lint_flags_long_sentences_low_readability_and_bureaucratic_words(library_with):
    guide = load_library(library_with("bureaucratic.md")).guides["posobie/bureaucratic"]
    report = lint_guide(guide, LINT)
    assert not report.passed
    assert report.longest > 30
    assert {"данный", "являться", "в соответствии с", "осуществлять", "в целях", "в рамках",
            "вышеуказанный", "уполномоченный орган"} <= set(report.bureaucratic)
    assert any("удобочитаемость" in problem for problem in report.problems)


def test_plain_short_guide_passes_lint():
    guide = load_library(FIXTURE_CONTENT).guides["kuda-idti/pervye-30-dney"]
    report = lint_guide(guide, LINT)
    assert report.passed, report.problems


def test_list_items_count_as_sentences():
    blocks = [("p", "Возьмите с собой:"), ("li", "паспорт"), ("li", "справку об освобождении")]
    assert len(sentences(blocks)) == 3


def test_readability_is_higher_for_short_words_and_sentences():
    easy = readability(["Вот ваш дом.", "Тут есть еда."])
    hard = readability(["Административно-территориальное регулирование правоотношений предусматривает "
                        "многоступенчатое согласование документации."])
    assert easy > 80 > 0 > hard


def test_shipped_guides_pass_the_whole_content_check():
    from portal.guides.cli import check_content
    lines = []
    assert check_content(ROOT / "portal" / "content", {**LINT}, echo=lines.append), "\n".join(lines)
    assert len(load_library(ROOT / "portal" / "content").guides) >= 26


def test_content_check_command_fails_naming_file_and_field(runner, library_with):
    result = runner.invoke(args=["content", "check", "--content-dir", str(library_with("missing-updated.md"))])
    assert result.exit_code == 1
    assert "posobie/missing-updated.md: поле «updated»" in result.output


def test_content_check_command_fails_on_broken_link(runner, library_with):
    result = runner.invoke(args=["content", "check", "--content-dir", str(library_with("broken-link.md"))])
    assert result.exit_code == 1
    assert "битая ссылка" in result.output


def test_content_check_command_passes_on_shipped_guides(runner):
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "не прошли проверку языка: 0" in result.output
    # the areas' rules files are checked too: the plan's and the conviction check's
    assert "«Мой план»: вопросов" in result.output
    assert "«Судимость и работа»: видов статей" in result.output


def test_content_check_command_fails_on_a_broken_conviction_rules_file(runner, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "portal" / "content", content)
    rules = content / "conviction.yaml"
    rules.write_text(rules.read_text(encoding="utf-8").replace("\nbans:", "\nbans_typo:", 1), encoding="utf-8")
    result = runner.invoke(args=["content", "check", "--content-dir", str(content)])
    assert result.exit_code == 1
    assert "Ошибки в правилах проверки судимости" in result.output
    assert "bans_typo" in result.output
