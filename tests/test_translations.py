"""The Russian catalogue is complete and the .pot is not stale."""
from babel.messages.pofile import read_po

from portal.cli import extract_messages
from tests.helpers.app import ROOT

TRANSLATIONS = ROOT / "portal" / "translations"


def _ids(catalog):
    return {m.id if isinstance(m.id, str) else m.id[0] for m in catalog if m.id}


def test_pot_file_matches_the_strings_in_the_code(tmp_path):
    fresh = tmp_path / "messages.pot"
    extract_messages(fresh)
    with fresh.open("rb") as new, (TRANSLATIONS / "messages.pot").open("rb") as committed:
        assert _ids(read_po(new)) == _ids(read_po(committed)), "run `flask translate update`"


def test_every_interface_string_has_a_russian_translation():
    with (TRANSLATIONS / "messages.pot").open("rb") as pot, \
            (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        template, russian = read_po(pot), read_po(po, locale="ru")
    missing = []
    for message in template:
        if not message.id:
            continue
        translated = russian.get(message.id)
        strings = [] if translated is None else (
            list(translated.string) if isinstance(translated.string, tuple) else [translated.string])
        if not strings or not all(strings) or translated.fuzzy:
            missing.append(message.id)
    assert not missing, missing


def test_russian_plurals_have_three_forms():
    with (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        russian = read_po(po, locale="ru")
    assert russian.num_plurals == 3
    for message in russian:
        if message.pluralizable:
            assert len(message.string) == 3 and all(message.string), message.id


def test_no_translation_is_marked_fuzzy():
    with (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").open("rb") as po:
        russian = read_po(po, locale="ru")
    assert [m.id for m in russian if m.id and m.fuzzy] == []


def test_russian_catalogue_keeps_its_plural_forms_header():
    # `pybabel update --omit-header` drops it, and compiled Russian plurals then silently fall back to English rules.
    text = (TRANSLATIONS / "ru" / "LC_MESSAGES" / "messages.po").read_text(encoding="utf-8")
    assert '"Plural-Forms: nplurals=3;' in text
