"""The glossary: official words (УИИ, пробация, СНИЛС …) explained where a page first uses them.

The terms live in `portal/content/glossary.yaml` as data: the term, its variants, an optional list of extra
forms, one plain sentence and the guide that says more. Inflected forms of every word phrase are generated
with pymorphy3 at start-up («пробация» → «пробации», «пробацией» …); an abbreviation (all capitals) is
matched exactly as written, so «УДО» never matches a lower-case word.

`explain_terms` rewrites a guide's sanitised HTML: the first use of each term on the page is marked with
`<dfn class="term">` and followed by a `<details class="term-note">` with the explanation, which opens
without JavaScript. Text inside links, headings, code and table headers is never wrapped, and a `<details>`
cannot stand inside a `<p>`, so the note follows the paragraph (inside a list item or a table cell it ends
the item). The labels are Russian on purpose: the glossary only ever applies to Russian guides.
"""
import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path

import yaml

from portal.yaml_files import load_yaml_file

GLOSSARY_FILE = "glossary.yaml"
KEY_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
# Text inside these is never wrapped: a link is already a way out, a heading must stay short and is read
# in the table of contents, code is literal.
SKIP_TAGS = {"a", "h1", "h2", "h3", "h4", "h5", "h6", "code", "pre", "th", "abbr", "dfn", "summary",
             "details", "script", "style", "title"}
NOTE_AFTER = {"p"}  # a <details> closes an open <p>, so the note goes right after it
NOTE_INSIDE = {"li", "td", "dd", "dt", "blockquote"}
VOID_TAGS = {"br", "hr", "img", "wbr", "input", "meta", "link", "source"}
QUESTION = "Что значит «{term}»"
MORE = "Подробнее"


class GlossaryError(Exception):
    """glossary.yaml is invalid; `problems` lists "glossary.yaml: термин «x»: what is wrong"."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Term:
    key: str
    term: str
    explanation: str
    guide: str | None
    variants: tuple
    forms: tuple  # every written form that counts as a use of the term

    @property
    def abbreviation(self):
        return is_abbreviation(self.term)


def is_abbreviation(word):
    return len(word) > 1 and word.isupper()


@lru_cache(maxsize=1)
def _morph():
    # Built once per process; the search index keeps its own, a few MB each, which is fine here.
    import pymorphy3
    return pymorphy3.MorphAnalyzer()


def _nominative_parse(word):
    parses = _morph().parse(word)
    for parse in parses:
        if "nomn" in parse.tag and parse.tag.POS in ("NOUN", "ADJF", "PRTF"):
            return parse
    return None


@lru_cache(maxsize=512)
def phrase_forms(phrase):
    """All case forms of a Russian phrase in the number it is written in; an abbreviation as written.

    Words up to the first noun are inflected, the rest stay: «погашение судимости» → «погашения судимости»,
    «административный надзор» → «административным надзором».
    """
    phrase = " ".join(phrase.split())
    if is_abbreviation(phrase.replace(" ", "")):
        return frozenset({phrase})
    words = phrase.split(" ")
    parses = [_nominative_parse(word.lower()) for word in words]
    head = next((i for i, p in enumerate(parses) if p is not None and p.tag.POS == "NOUN"), len(words) - 1)
    # An adjective agrees with its noun: gender, and animacy in the accusative («административный надзор»).
    head_tag = parses[head].tag if parses[head] is not None else None
    animacy = head_tag.animacy if head_tag is not None else None
    gender = head_tag.gender if head_tag is not None and head_tag.number == "sing" else None
    forms = {phrase.lower()}
    for case in CASES:
        parts = []
        for index, (word, parse) in enumerate(zip(words, parses, strict=True)):
            inflected = None
            if index <= head and parse is not None:
                grammemes = {case, parse.tag.number}
                if parse.tag.POS != "NOUN":
                    grammemes.add(gender)
                # Only masculine and plural accusatives have an animate form; elsewhere the tag would not fit.
                inflected = (case == "accs" and parse.inflect((grammemes | {animacy}) - {None})
                             or parse.inflect(grammemes - {None}))
            parts.append(inflected.word if inflected else word.lower())
        forms.add(" ".join(parts))
    return frozenset(forms)


def _problem(name, field_name, message):
    return f"{GLOSSARY_FILE}: термин «{name}»: поле «{field_name}»: {message}"


def parse_glossary(data, guide_keys=None):
    """Terms from the YAML data, or GlossaryError naming every problem (duplicates, unknown guides)."""
    problems, terms, keys, owner_of_form = [], [], set(), {}
    if not isinstance(data, list):
        raise GlossaryError([f"{GLOSSARY_FILE}: ожидается список терминов"])
    for index, item in enumerate(data, 1):
        problems_before = len(problems)
        if not isinstance(item, dict):
            problems.append(f"{GLOSSARY_FILE}: запись {index}: ожидается словарь")
            continue
        key = item.get("key")
        name = key if isinstance(key, str) else f"№ {index}"
        if not isinstance(key, str) or not KEY_RE.match(key):
            problems.append(_problem(name, "key", "латиница в нижнем регистре и дефисы"))
        elif key in keys:
            problems.append(_problem(name, "key", "повторяется"))
        keys.add(key)
        for field_name in ("term", "explanation"):
            if not isinstance(item.get(field_name), str) or not item[field_name].strip():
                problems.append(_problem(name, field_name, "не заполнено"))
        unknown = set(item) - {"key", "term", "variants", "forms", "explanation", "guide"}
        if unknown:
            problems.append(_problem(name, ", ".join(sorted(unknown)), "неизвестное поле"))
        variants, extra = item.get("variants") or [], item.get("forms") or []
        for field_name, value in (("variants", variants), ("forms", extra)):
            if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
                problems.append(_problem(name, field_name, "список слов и фраз"))
        guide = item.get("guide")
        if guide is not None and (not isinstance(guide, str) or (guide_keys is not None and guide not in guide_keys)):
            problems.append(_problem(name, "guide", f"нет материала «{guide}»"))
        explanation = item.get("explanation")
        if isinstance(explanation, str) and len(re.findall(r"[.!?…](?:\s|$)", explanation.strip())) > 2:
            problems.append(_problem(name, "explanation", "одно-два коротких предложения"))
        if len(problems) > problems_before:
            continue  # this entry cannot be read; keep checking the others
        forms = set()
        for phrase in [item["term"], *variants]:
            forms |= phrase_forms(phrase)
        forms |= {" ".join(f.split()) if is_abbreviation(f) else " ".join(f.lower().split()) for f in extra}
        for form in sorted(forms):
            folded = _fold(form)
            if owner_of_form.get(folded, key) != key:
                problems.append(_problem(name, "forms", f"форма «{form}» уже есть у «{owner_of_form[folded]}»"))
            owner_of_form[folded] = key
        terms.append(Term(key, item["term"].strip(), " ".join(item["explanation"].split()), guide,
                          tuple(v.strip() for v in variants), tuple(sorted(forms, key=lambda f: (-len(f), f)))))
    if problems:
        raise GlossaryError(problems)
    return terms


def load_glossary(content_dir, guide_keys=None):
    """The terms of `content_dir/glossary.yaml`; an empty list when the folder has no glossary."""
    path = Path(content_dir) / GLOSSARY_FILE
    if not path.exists():
        return []
    try:
        data = load_yaml_file(path)
    except (OSError, yaml.YAMLError) as error:
        raise GlossaryError([f"{GLOSSARY_FILE}: не читается: {error}"]) from error
    return parse_glossary(data, guide_keys)


def _fold(text):
    return text.lower().replace("ё", "е")


def _form_pattern(form):
    return re.escape(form).replace("е", "[её]").replace("Е", "[ЕЁ]").replace(r"\ ", r"\s+")


@dataclass(frozen=True)
class Matcher:
    """One regular expression over every form, longest first, and the way back from a form to its term."""

    pattern: re.Pattern
    by_form: dict    # folded form -> Term
    name_of: dict    # folded form -> the term or variant it is a form of, as the note names it

    def terms_in(self, text):
        """(start, end, term) for each use of a term in plain text, left to right."""
        for match in self.pattern.finditer(text):
            word = " ".join(match.group(0).split())
            term = self.by_form.get(_fold(word))
            if term is None or (term.abbreviation and word not in term.forms):
                continue  # «удо» in lower case is not the abbreviation УДО
            yield match.start(), match.end(), term

    def name(self, written):
        """«уголовно-исполнительную инспекцию» -> «уголовно-исполнительная инспекция»; «пробацией» -> «пробация»."""
        return self.name_of.get(_fold(" ".join(written.split())))


def build_matcher(terms):
    if not terms:
        return None
    forms = sorted({form for term in terms for form in term.forms}, key=lambda f: (-len(f), f))
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(_form_pattern(f) for f in forms) + r")(?![\w-])",
                         re.IGNORECASE)
    name_of = {}
    for term in terms:
        for phrase in term.variants:
            name_of.update({_fold(form): phrase for form in phrase_forms(phrase)})
        name_of.update({_fold(form): term.term for form in phrase_forms(term.term)})
    return Matcher(pattern, {_fold(form): term for term in terms for form in term.forms}, name_of)


def note_html(term, guide_url, name=None):
    """The explanation that follows a term's first use: a <details> that opens without JavaScript."""
    more = f' <a href="{html.escape(guide_url)}">{MORE}</a>' if guide_url else ""
    question = QUESTION.format(term=name or term.term)
    return (f'<details class="term-note"><summary>{html.escape(question)}</summary>'
            f"<p>{html.escape(term.explanation)}{more}</p></details>")


class _TermMarker(HTMLParser):
    def __init__(self, matcher, guide_url, skip_keys):
        super().__init__(convert_charrefs=True)
        self.matcher = matcher
        self.guide_url = guide_url
        self.out = []
        self.stack = []     # open tags
        self.pending = {}   # stack depth of a block -> notes to place when it closes
        self.explained = list(skip_keys)
        self.skipped = set()  # terms seen only where they cannot be explained

    def handle_starttag(self, tag, attrs):
        self.out.append(self.get_starttag_text())
        if tag not in VOID_TAGS:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.out.append(self.get_starttag_text())

    def handle_endtag(self, tag):
        if tag not in self.stack:
            return
        while self.stack:
            depth = len(self.stack)
            open_tag = self.stack.pop()
            notes = "".join(self.pending.pop(depth, []))
            if open_tag in NOTE_AFTER:
                self.out.append(f"</{open_tag}>{notes}")
            else:
                self.out.append(f"{notes}</{open_tag}>")
            if open_tag == tag:
                break

    def handle_data(self, data):
        if any(tag in SKIP_TAGS for tag in self.stack):
            self.skipped.update(term.key for _s, _e, term in self.matcher.terms_in(data))
            self.out.append(html.escape(data, quote=False))
            return
        position = 0
        for start, end, term in self.matcher.terms_in(data):
            if term.key in self.explained:
                continue
            self.explained.append(term.key)
            self.out.append(html.escape(data[position:start], quote=False))
            self.out.append(f'<dfn class="term">{html.escape(data[start:end], quote=False)}</dfn>')
            position = end
            note = note_html(term, self.guide_url(term), self.matcher.name(data[start:end]))
            depth = next((i + 1 for i in range(len(self.stack) - 1, -1, -1)
                          if self.stack[i] in NOTE_AFTER | NOTE_INSIDE), None)
            if depth is None:
                self.out.append(html.escape(data[position:], quote=False) + note)
                return
            self.pending.setdefault(depth, []).append(note)
        self.out.append(html.escape(data[position:], quote=False))

    def result(self):
        self.close()
        while self.stack:  # sanitised HTML is balanced; this only guards a truncated fragment
            self.handle_endtag(self.stack[-1])
        return "".join(self.out)


@dataclass(frozen=True)
class Explained:
    html: str
    explained: tuple    # term keys explained on the page, in order of first use
    unexplained: tuple  # term keys used on the page only inside links, headings or code


def explain_terms(fragment, matcher, guide_url=lambda term: None, page_guide=None):
    """Mark the first use of each glossary term in an HTML fragment and add its explanation.

    `guide_url(term)` gives the "more" link (or None); on the term's own guide (`page_guide`) the term is
    left as it is, because the whole page explains it.
    """
    if matcher is None:
        return Explained(fragment, (), ())
    own = [term.key for term in set(matcher.by_form.values()) if page_guide and term.guide == page_guide]
    marker = _TermMarker(matcher, guide_url, own)
    marker.feed(fragment)
    out = marker.result()
    explained = tuple(key for key in marker.explained if key not in own)
    unexplained = tuple(sorted(marker.skipped - set(marker.explained)))
    return Explained(out, explained, unexplained)
