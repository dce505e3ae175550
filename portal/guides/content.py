"""Guides and sections: front-matter parsing, validation, link checks and the library (Markdown rendering is
rendering.py, the plain-language lint lint.py).

Everything is loaded and rendered once at start-up; a bad file stops the app with a message that names
the file and the field. Views only look guides up by key ("section/slug").
"""
import hashlib
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml
from flask import current_app

from portal.clock import today_local
from portal.guides import glossary as glossary_terms
from portal.guides.rendering import html_blocks, render_markdown
from portal.yaml_files import load_yaml, load_yaml_file

AUDIENCES = {"client", "relative", "prison_staff"}
LANGS = ("ru", "en")
SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
FILE_RE = re.compile(r"^(?P<slug>[a-z0-9-]+)(?:\.(?P<lang>[a-z]{2}))?\.md$")
REQUIRED_FIELDS = ("title", "summary", "short", "section", "order", "updated", "audience", "keywords", "sources")
# «Коротко»: what to do, in a few lines a hurried or slow reader takes in first (and «Слушать» reads first).
SHORT_MIN_LINES, SHORT_MAX_LINES, SHORT_MAX_CHARS = 3, 5, 90


class ContentError(Exception):
    """One or more content files are invalid; `problems` lists "file: поле «x»: what is wrong"."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Source:
    title: str
    url: str | None = None


@dataclass(frozen=True)
class Section:
    slug: str
    order: int
    titles: dict
    leads: dict

    def title(self, lang):
        return self.titles.get(lang) or self.titles["ru"]

    def lead(self, lang):
        return self.leads.get(lang) or self.leads["ru"]


@dataclass
class Guide:
    key: str
    section: str
    slug: str
    lang: str
    path: Path
    title: str
    summary: str
    short: tuple
    order: int
    updated: date
    audience: tuple
    keywords: tuple
    sources: tuple
    related: tuple
    places: tuple = ()  # kinds of place the guide sends people to; the places area renders them
    html: str = ""
    toc: list = field(default_factory=list)
    headings: list = field(default_factory=list)
    blocks: list = field(default_factory=list)  # (kind, text): kind is "p", "li", "h" or "td"
    links: list = field(default_factory=list)   # guide keys this guide links to
    unexplained_terms: tuple = ()  # glossary terms used only in headings or links (portal/guides/glossary.py)

    @property
    def text(self):
        return "\n".join(text for _kind, text in self.blocks)


@dataclass
class Library:
    sections: dict
    guides: dict        # key -> Russian guide
    translations: dict  # (key, lang) -> translated guide
    content_hash: str
    glossary: list = field(default_factory=list)  # glossary Terms in file order, for /slovar

    def guide(self, key, lang="ru"):
        """The guide in `lang` and whether it fell back to Russian; (None, False) if unknown."""
        if lang != "ru" and (key, lang) in self.translations:
            return self.translations[(key, lang)], False
        guide = self.guides.get(key)
        return guide, bool(guide and lang != "ru")

    def section_guides(self, section_slug):
        return sorted((g for g in self.guides.values() if g.section == section_slug),
                      key=lambda g: (g.order, g.title))

    def ordered_sections(self):
        return sorted(self.sections.values(), key=lambda s: s.order)


# ---------------------------------------------------------------- loading and validation

def split_front_matter(text):
    """'---\\nyaml\\n---\\nbody' -> (yaml text, body); None for the yaml when there is no front matter."""
    if not text.startswith("---"):
        return None, text
    match = re.match(r"^---[ \t]*\r?\n(.*?)^---[ \t]*\r?\n?(.*)\Z", text, re.S | re.M)
    if not match:
        return None, text
    return match.group(1), match.group(2)


def _field_problem(name, field_name, message):
    return f"{name}: поле «{field_name}»: {message}"


def _nonempty_str(value):
    return isinstance(value, str) and value.strip()


def validate_meta(meta, name, folder_section):
    """All problems with one guide's front matter, each naming the file and the field."""
    problems = []
    if not isinstance(meta, dict):
        return [f"{name}: нет шапки (front matter) между строками ---"]
    for field_name in REQUIRED_FIELDS:
        if meta.get(field_name) in (None, "", []):
            problems.append(_field_problem(name, field_name, "не заполнено"))
    for field_name in ("title", "summary"):
        if field_name in meta and meta[field_name] not in (None, "") and not _nonempty_str(meta[field_name]):
            problems.append(_field_problem(name, field_name, "должно быть строкой"))
    if _nonempty_str(meta.get("title")) and len(meta["title"]) > 90:
        problems.append(_field_problem(name, "title", "длиннее 90 знаков"))
    if _nonempty_str(meta.get("summary")) and len(re.findall(r"[.!?…](?:\s|$)", meta["summary"].strip())) > 1:
        problems.append(_field_problem(name, "summary", "должно быть одно предложение"))
    if meta.get("section") not in (None, "") and meta.get("section") != folder_section:
        problems.append(_field_problem(name, "section", f"«{meta.get('section')}» не совпадает с папкой "
                                                         f"«{folder_section}»"))
    if "order" in meta and meta["order"] not in (None, "") and (
            not isinstance(meta["order"], int) or isinstance(meta["order"], bool)):
        problems.append(_field_problem(name, "order", "должно быть целым числом"))
    updated = meta.get("updated")
    if updated not in (None, "") and not isinstance(updated, date):
        problems.append(_field_problem(name, "updated", "дата в виде ГГГГ-ММ-ДД"))
    elif isinstance(updated, date) and updated > today_local():
        problems.append(_field_problem(name, "updated", "дата проверки в будущем"))
    audience = meta.get("audience")
    if audience not in (None, "", []):
        if not isinstance(audience, list) or not set(audience) <= AUDIENCES:
            problems.append(_field_problem(name, "audience", "список из: " + ", ".join(sorted(AUDIENCES))))
    short = meta.get("short")
    if short not in (None, "", []):
        if not isinstance(short, list) or not all(_nonempty_str(line) for line in short):
            problems.append(_field_problem(name, "short", "список коротких строк: что сделать"))
        elif not SHORT_MIN_LINES <= len(short) <= SHORT_MAX_LINES:
            problems.append(_field_problem(name, "short", f"нужно от {SHORT_MIN_LINES} до {SHORT_MAX_LINES} "
                                                          f"строк, а их {len(short)}"))
        else:
            for index, line in enumerate(short, 1):
                if len(line.strip()) > SHORT_MAX_CHARS:
                    problems.append(_field_problem(name, "short", f"строка {index} длиннее "
                                                                  f"{SHORT_MAX_CHARS} знаков"))
    keywords = meta.get("keywords")
    if keywords not in (None, "", []) and (not isinstance(keywords, list)
                                          or not all(_nonempty_str(k) for k in keywords)):
        problems.append(_field_problem(name, "keywords", "список слов и фраз"))
    sources = meta.get("sources")
    if sources not in (None, "", []):
        if not isinstance(sources, list):
            problems.append(_field_problem(name, "sources", "список источников"))
        else:
            for index, source in enumerate(sources, 1):
                if not isinstance(source, dict) or not _nonempty_str(source.get("title")):
                    problems.append(_field_problem(name, "sources", f"у источника {index} нет title"))
                elif source.get("url") and not re.match(r"^https?://\S+$", str(source["url"])):
                    problems.append(_field_problem(name, "sources", f"у источника {index} неверный url"))
    related = meta.get("related", [])
    if related and (not isinstance(related, list) or not all(_nonempty_str(r) for r in related)):
        problems.append(_field_problem(name, "related", "список вида раздел/slug"))
    places = meta.get("places", [])
    if places and (not isinstance(places, list) or not all(_nonempty_str(p) and SLUG_RE.match(p.replace("_", "-"))
                                                           for p in places)):
        problems.append(_field_problem(name, "places", "список видов мест, например [shelter, centre]"))
    unknown = set(meta) - set(REQUIRED_FIELDS) - {"related", "places"}
    if unknown:
        problems.append(_field_problem(name, ", ".join(sorted(unknown)), "неизвестное поле"))
    return problems


def _parse_guide(path, content_dir, matcher=None):
    """A Guide from one file, or the list of its problems."""
    name = path.relative_to(content_dir).as_posix()
    match = FILE_RE.match(path.name)
    section = path.parent.name
    if not match or not SLUG_RE.match(match.group("slug")) or not SLUG_RE.match(section):
        return None, [f"{name}: имя файла и папки — латиница в нижнем регистре и дефисы (slug.md или slug.en.md)"]
    lang = match.group("lang") or "ru"
    if lang not in LANGS:
        return None, [f"{name}: язык «{lang}» не поддерживается (есть: {', '.join(LANGS)})"]
    try:
        front, body = split_front_matter(path.read_text(encoding="utf-8"))
        meta = load_yaml(front) if front is not None else None
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        return None, [f"{name}: шапка не читается как YAML: {error}"]
    problems = validate_meta(meta, name, section)
    if re.search(r"^#\s", body, re.M):
        problems.append(f"{name}: в тексте заголовок «#»: заголовок страницы берётся из title, "
                        f"в тексте используйте «##»")
    if problems:
        return None, problems
    key = f"{section}/{match.group('slug')}"
    html, toc, links = render_markdown(body, key, lang)
    guide = Guide(
        key=key, section=section, slug=match.group("slug"), lang=lang, path=path,
        title=meta["title"].strip(), summary=meta["summary"].strip(),
        short=tuple(line.strip() for line in meta["short"]), order=meta["order"],
        updated=meta["updated"], audience=tuple(meta["audience"]),
        keywords=tuple(k.strip() for k in meta["keywords"]),
        sources=tuple(Source(s["title"].strip(), s.get("url")) for s in meta["sources"]),
        related=tuple(meta.get("related") or ()), places=tuple(meta.get("places") or ()), html=html, toc=toc,
        links=links)
    # The «Коротко» lines are read before the body, so they count in the plain-language report too.
    guide.blocks = [("li", line) for line in guide.short] + html_blocks(html)
    guide.headings = [text for kind, text in guide.blocks if kind == "h"]
    if lang == "ru":
        # After the blocks: the lint and the search index see the guide's own words, not the notes.
        explained = glossary_terms.explain_terms(
            html, matcher, lambda term: f"/{term.guide}" if term.guide else None, page_guide=key)
        guide.html, guide.unexplained_terms = explained.html, explained.unexplained
    return guide, []


def _load_sections(content_dir):
    path = content_dir / "sections.yaml"
    name = "sections.yaml"
    try:
        data = load_yaml_file(path)
    except (OSError, yaml.YAMLError) as error:
        raise ContentError([f"{name}: не читается: {error}"]) from error
    sections, problems = {}, []
    for index, item in enumerate(data or [], 1):
        if not isinstance(item, dict):
            problems.append(f"{name}: раздел {index}: ожидается словарь")
            continue
        slug = item.get("slug")
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            problems.append(_field_problem(f"{name}: раздел {index}", "slug", "латиница и дефисы"))
            continue
        for field_name in ("title", "lead"):
            if not isinstance(item.get(field_name), dict) or not _nonempty_str(item[field_name].get("ru")):
                problems.append(_field_problem(f"{name}: {slug}", field_name, "нужен текст ru (и en)"))
        if not isinstance(item.get("order"), int):
            problems.append(_field_problem(f"{name}: {slug}", "order", "целое число"))
        if not problems:
            sections[slug] = Section(slug, item["order"], item["title"], item["lead"])
    if problems:
        raise ContentError(problems)
    return sections


def content_hash(content_dir):
    """SHA-256 over every content file's path and bytes: the search index is rebuilt when it changes."""
    digest = hashlib.sha256()
    for path in sorted(Path(content_dir).rglob("*")):
        if path.is_file() and path.suffix in (".md", ".yaml"):
            digest.update(path.relative_to(content_dir).as_posix().encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def load_library(content_dir):
    """Load, render and validate every guide; raise ContentError listing every problem found."""
    content_dir = Path(content_dir)
    sections = _load_sections(content_dir)
    guides, translations, problems = {}, {}, []
    try:
        terms = glossary_terms.load_glossary(content_dir)
    except glossary_terms.GlossaryError as error:
        terms = []
        problems.extend(error.problems)
    matcher = glossary_terms.build_matcher(terms)
    for path in sorted(content_dir.glob("*/*.md")):
        guide, guide_problems = _parse_guide(path, content_dir, matcher)
        problems.extend(guide_problems)
        if guide is None:
            continue
        if guide.section not in sections:
            problems.append(_field_problem(path.relative_to(content_dir).as_posix(), "section",
                                           f"раздела «{guide.section}» нет в sections.yaml"))
        elif guide.lang == "ru":
            guides[guide.key] = guide
        else:
            translations[(guide.key, guide.lang)] = guide
    for (key, _lang), guide in translations.items():
        if key not in guides:
            problems.append(f"{guide.path.relative_to(content_dir).as_posix()}: перевод без русского "
                            f"материала {key}.md")
    for guide in [*guides.values(), *translations.values()]:
        name = guide.path.relative_to(content_dir).as_posix()
        for target in guide.links:
            if target not in guides:
                problems.append(_field_problem(name, "текст", f"битая ссылка на материал «{target}.md»"))
        for target in guide.related:
            if target not in guides:
                problems.append(_field_problem(name, "related", f"нет материала «{target}»"))
    for term in terms:
        if term.guide and term.guide not in guides:
            problems.append(f"{glossary_terms.GLOSSARY_FILE}: термин «{term.key}»: поле «guide»: "
                            f"нет материала «{term.guide}»")
    if problems:
        raise ContentError(problems)
    return Library(sections, guides, translations, content_hash(content_dir), terms)


def glossary_warnings(library):
    """One line per Russian guide that uses a glossary abbreviation only where it cannot be explained."""
    by_key = {term.key: term for term in library.glossary}
    warnings = []
    for guide in sorted(library.guides.values(), key=lambda g: g.key):
        terms = [by_key[key].term for key in guide.unexplained_terms if by_key[key].abbreviation]
        if terms:
            warnings.append(f"{guide.key}: " + ", ".join(f"«{t}»" for t in terms) + " — только в заголовке или "
                            "ссылке, поэтому не объяснено: напишите его хотя бы раз в обычном тексте")
    return warnings


def get_library():
    return current_app.extensions["content"]
