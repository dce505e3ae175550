"""Personal data typed into a «Нет» comment never reaches the database: phones, e-mails, handles, links."""
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portal.feedback.widgets import EMAIL_MASK, HANDLE_MASK, LINK_MASK, PHONE_MASK, mask_personal_data

# Words around the contact never contain digits or «@», so any digit left over would be the phone's.
WORDS = st.text(alphabet="абвгдеёжзийклмнопрстуфхцчшщъыьэюя АБВГДЕЖЗИЙКЛМНОПРСТУФХЦЧШЩЭЮЯ,.!?:;—-«»()\n",
                max_size=40)
SEPARATORS = st.sampled_from(["", " ", "-", ".", " - ", "\u00a0", "–", "  "])


@st.composite
def russian_phones(draw):
    """A Russian number the way people type it: +7 / 8 / 7 / nothing, brackets or not, any grouping."""
    first = draw(st.sampled_from("3489"))
    rest = draw(st.text(alphabet="0123456789", min_size=9, max_size=9))
    digits = first + rest
    code, body = digits[:3], digits[3:]
    groups = draw(st.sampled_from([(3, 2, 2), (3, 4), (7,), (2, 2, 3), (3, 2, 1, 1)]))
    parts, at = [], 0
    for size in groups:
        parts.append(body[at:at + size])
        at += size
    sep = draw(SEPARATORS)
    prefix = draw(st.sampled_from(["+7", "8", "7", "", "+7 ", "8 ", "+ 7 "]))
    bracket = draw(st.booleans())
    code_text = f"({code})" if bracket else code
    spelled = prefix + draw(SEPARATORS) + code_text + draw(SEPARATORS) + sep.join(parts)
    return digits, spelled


def _digits(text):
    return "".join(ch for ch in text if ch.isdigit())


@settings(max_examples=200, deadline=None)
@given(before=WORDS, phone=russian_phones(), after=WORDS)
def test_generated_russian_phone_numbers_are_masked_in_any_spelling(before, phone, after):
    digits, spelled = phone
    masked = mask_personal_data(f"{before} {spelled} {after}")
    assert PHONE_MASK in masked
    assert digits[-7:] not in _digits(masked), masked
    assert not re.search(r"\d", masked), masked


@settings(max_examples=200, deadline=None)
@given(before=WORDS, email=st.emails(), after=WORDS)
def test_generated_emails_are_masked(before, email, after):
    masked = mask_personal_data(f"{before} {email} {after}")
    assert EMAIL_MASK in masked
    assert email not in masked and "@" not in masked


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=600))
def test_masking_is_idempotent_and_never_leaves_a_long_digit_run(text):
    once = mask_personal_data(text)
    assert mask_personal_data(once) == once
    for run in re.findall(r"\d[\d\s()+\-.\u00a0\u2010-\u2015/]*", once):
        assert len(_digits(run)) < 7, once


@pytest.mark.parametrize(("text", "expected"), [
    ("Позвоните 8 (912) 345-67-89", f"Позвоните {PHONE_MASK}"),
    ("тел.89123456789", f"тел.{PHONE_MASK}"),
    ("+7-999-123-45-67, спасибо", f"{PHONE_MASK}, спасибо"),
    ("городской 123-45-67", f"городской {PHONE_MASK}"),
    ("пишите ivan.petrov@mail.ru", f"пишите {EMAIL_MASK}"),
    ("мой тг @ivan_petrov", f"мой тг {HANDLE_MASK}"),
    ("страница vk.com/id123456", f"страница {LINK_MASK}"),
    ("https://t.me/ivan", LINK_MASK),
    ("8\u200b912\u200b345\u200b67\u200b89", PHONE_MASK),
    ("８９１２３４５６７８９", PHONE_MASK),
])
def test_known_spellings_are_masked(text, expected):
    assert mask_personal_data(text) == expected


@pytest.mark.parametrize("text", [
    "Пособие 12 792 рубля в 2026 году",
    "Статья 86, часть 3",
    "Не понял, что делать на 2-й день",
])
def test_ordinary_numbers_in_a_comment_stay(text):
    assert mask_personal_data(text) == text
