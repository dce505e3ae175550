"""The password policy: long, no composition rules, no common or context passwords, never truncated."""

import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.staff import credentials as staff_credentials
from portal.staff.credentials import hash_password, password_problems

PASSPHRASE_64 = "Мы идём 🚶 по Кировке в семь утра, берём кофе ☕ и пирожок с мясом"


def test_the_64_character_passphrase_is_really_64_characters():
    assert len(PASSPHRASE_64) == 64


@pytest.mark.parametrize(
    "password",
    [
        "Челябинск2025!",  # short, and the city
        "Челябинск2025!!!!",  # long enough, but the city
        "password123456789",  # the word «password»
        "P@ssw0rd-P@ssw0rd",  # l33t spelling
        "мой пароль от работы",  # «пароль»
        "ЦЗН лучший центр на свете",  # the centre
        "czn chelyabinsk 2025 forever",  # transliterated
        "Центр занятости — мой второй дом",  # «занятость»
        "123456789012345",  # a sequence
        "111111111111111111",  # one repeated character
        "qwertyuiopasdfgh",  # a keyboard row
        "Qwerty!!2025!!2025",  # a common core with digits and symbols
        "correct horse battery staple",  # the famous example
        "йцукенгшщзхъфыва",  # the Russian keyboard row
        "короткий",  # too short
        "a" * 129,  # too long
        "anna-anna-anna-2025",  # the username (checked below with username="anna")
    ],
)
def test_weak_passwords_are_refused(password):
    assert password_problems(password, username="anna"), password


@pytest.mark.parametrize(
    "password",
    [
        PASSPHRASE_64,
        "синий трамвай поёт под дождём",
        "Grüne Tomaten essen keine Suppe",
        "x" * 3 + "7Kp!qZ2m#Lw9Rv4t",
        "🐈 кот 🐈 спит 🐈 на 🐈 батарее",
    ],
)
def test_good_passphrases_are_accepted_without_composition_rules(password):
    assert password_problems(password, username="anna") == []


def test_the_limits_are_15_and_128_characters():
    assert password_problems("лиса " * 2 + "бежит") == []  # exactly 15
    assert password_problems("лиса бежит тут") != []  # 14
    long_ok = ("тихий вечер у реки " * 7)[:128]
    assert len(long_ok) == 128 and password_problems(long_ok) == []
    assert password_problems(long_ok + "!") != []


def test_a_64_character_passphrase_with_spaces_and_emoji_verifies_exactly(app):
    from types import SimpleNamespace

    stored = hash_password(PASSPHRASE_64)
    user = SimpleNamespace(password_hash=stored, is_active=True)
    with app.app_context():
        assert staff_credentials.verify_password(user, PASSPHRASE_64)
        assert not staff_credentials.verify_password(user, PASSPHRASE_64[:-1])  # no truncation
        assert not staff_credentials.verify_password(user, PASSPHRASE_64 + " ")  # no trimming
        assert not staff_credentials.verify_password(user, PASSPHRASE_64.replace("🚶", "🚴"))
        assert not staff_credentials.verify_password(user, PASSPHRASE_64.upper())


def test_the_same_letters_typed_composed_or_decomposed_are_the_same_password(app):
    from types import SimpleNamespace

    composed = "мой любимый чай — с мёдом и лимоном, й"
    decomposed = composed.replace("й", "и\u0306").replace("ё", "е\u0308")
    assert composed != decomposed
    user = SimpleNamespace(password_hash=hash_password(composed), is_active=True)
    with app.app_context():
        assert staff_credentials.verify_password(user, decomposed)


def test_a_hash_from_another_scheme_is_refused_not_an_error(app):
    from types import SimpleNamespace

    user = SimpleNamespace(password_hash="scrypt:32768:8:1$salt$abcdef", is_active=True)
    with app.app_context():
        assert staff_credentials.verify_password(user, "что угодно длинное и разное") is False


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_the_policy_never_crashes_and_explains_every_refusal(password):
    problems = password_problems(password, username="anna")
    assert all(str(problem) for problem in problems)
    if len(unicodedata.normalize("NFC", password)) < staff_credentials.PASSWORD_MIN:
        assert problems
