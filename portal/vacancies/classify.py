"""Which conviction bans may close a vacancy, and whether its text refuses people with a record.

The rules are data (portal/content/vacancy_rules.yaml), keyed by the ban ids of portal/content/conviction.yaml,
so the conviction check can hand its answer to the search as `?closed=deti,taksi`. They are loaded and
validated once at start-up; a bad file stops the app naming the file and the field. A match means «may be
closed for some convictions», never «closed»: the page sends the person to the check for their own answer.
"""
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from portal.yaml_files import load_yaml_file

CONTENT = Path(__file__).resolve().parent.parent / "content"
RULES_FILE = CONTENT / "vacancy_rules.yaml"
CONVICTION_FILE = CONTENT / "conviction.yaml"
FIELDS = ("title", "employer", "text", "codes", "unless_title")


class RulesError(ValueError):
    """vacancy_rules.yaml is wrong; the message names the file and the field."""


@dataclass(frozen=True)
class Group:
    id: str
    why: str
    title: tuple
    employer: tuple
    text: tuple
    codes: frozenset
    unless_title: tuple


@dataclass(frozen=True)
class Rules:
    groups: tuple
    no_record: tuple

    def ids(self):
        return [group.id for group in self.groups]


def normal(text):
    """Lower case, ё → е, single spaces: the form every pattern is written against."""
    return " ".join((text or "").casefold().replace("ё", "е").split())


def conviction_ban_ids(path=CONVICTION_FILE):
    """The ban ids the conviction check knows (read from its file, so a renamed id fails here at start-up)."""
    data = load_yaml_file(path) or {}
    return [ban["id"] for ban in data.get("bans") or [] if isinstance(ban, dict) and ban.get("id")]


def _patterns(name, where, values):
    if values is None:
        return ()
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise RulesError(f"{name}: {where} must be a list of strings")
    compiled = []
    for value in values:
        try:
            compiled.append(re.compile(value))
        except re.error as error:
            raise RulesError(f"{name}: {where}: bad pattern {value!r}: {error}") from None
    return tuple(compiled)


def load_rules(path=RULES_FILE, known_ids=None):
    """Read and validate the rules file; RulesError names the file and the field."""
    path = Path(path)
    try:
        data = load_yaml_file(path)
    except (OSError, yaml.YAMLError) as error:
        raise RulesError(f"{path.name}: cannot read: {error}") from None
    if not isinstance(data, dict) or not isinstance(data.get("groups"), dict):
        raise RulesError(f"{path.name}: `groups` must be a mapping of ban id → rules")
    known = set(conviction_ban_ids() if known_ids is None else known_ids)
    groups = []
    for ban_id, spec in data["groups"].items():
        where = f"{path.name}: groups.{ban_id}"
        if known and ban_id not in known:
            raise RulesError(f"{where}: not a ban id of conviction.yaml ({', '.join(sorted(known))})")
        if not isinstance(spec, dict) or not isinstance(spec.get("why"), str) or not spec["why"].strip():
            raise RulesError(f"{where}.why: a plain-words reason is required")
        unknown = set(spec) - set(FIELDS) - {"why"}
        if unknown:
            raise RulesError(f"{where}: unknown field(s) {', '.join(sorted(unknown))}")
        codes = spec.get("codes") or []
        if not isinstance(codes, list):
            raise RulesError(f"{where}.codes must be a list")
        groups.append(Group(ban_id, spec["why"].strip(), _patterns(where, "title", spec.get("title")),
                            _patterns(where, "employer", spec.get("employer")),
                            _patterns(where, "text", spec.get("text")), frozenset(str(c) for c in codes),
                            _patterns(where, "unless_title", spec.get("unless_title"))))
    markers = _patterns(f"{path.name}: no_record_markers", "no_record_markers", data.get("no_record_markers"))
    return Rules(tuple(groups), markers)


def _any(patterns, text):
    return bool(text) and any(pattern.search(text) for pattern in patterns)


def ban_groups(rules, title, employer="", text="", code=None):
    """[(ban id, why)] of the bans that may close this vacancy, in the rules file's order."""
    title_n, employer_n, text_n = normal(title), normal(employer), normal(text)
    found = []
    for group in rules.groups:
        if _any(group.unless_title, title_n):
            continue
        if (_any(group.title, title_n) or _any(group.employer, employer_n) or _any(group.text, text_n)
                or (code and str(code) in group.codes)):
            found.append((group.id, group.why))
    return found


def says_no_record(rules, *texts):
    """True when the vacancy's own text says it does not take people with a record."""
    joined = normal(" ".join(t for t in texts if t))
    return _any(rules.no_record, joined)


def why_of(rules, ban_id):
    for group in rules.groups:
        if group.id == ban_id:
            return group.why
    return None
