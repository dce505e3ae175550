"""INN checksums (ФНС algorithm): valid and invalid 10- and 12-digit numbers."""

import random

import pytest

from portal.employers.cards import inn_is_valid, normalise_inn

# Written out again here, independently of portal/employers/cards.py, so that a wrong weight there fails.
W10 = [2, 4, 10, 3, 5, 9, 4, 6, 8]
W11 = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8]
W12 = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8]


def control(digits, weights):
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


def complete10(nine):
    return nine + control(nine, W10)


def complete12(ten):
    eleven = ten + control(ten, W11)
    return eleven + control(eleven, W12)


# Published INNs: Sberbank (organisation) and a sole trader's INN used as the textbook example.
KNOWN_VALID = ["7707083893", "500100732259"]
rng = random.Random(8)
GENERATED_VALID = [complete10(f"{rng.randrange(10**9):09d}") for _ in range(5)] + [
    complete12(f"{rng.randrange(10**10):010d}") for _ in range(5)
]


def test_the_known_public_examples_agree_with_the_test_algorithm():
    assert complete10("770708389") == "7707083893"
    assert complete12("5001007322") == "500100732259"


@pytest.mark.parametrize("inn", KNOWN_VALID + GENERATED_VALID)
def test_valid_inns_pass(inn):
    assert inn_is_valid(inn)
    assert normalise_inn(inn) == inn


def _wrong_digit(inn, position):
    return inn[:position] + str((int(inn[position]) + 1) % 10) + inn[position + 1 :]


INVALID = {
    "10 digits, wrong control digit": _wrong_digit("7707083893", 9),
    "10 digits, a digit changed in the middle": _wrong_digit("7707083893", 3),
    "12 digits, wrong 11th digit": _wrong_digit("500100732259", 10),
    "12 digits, wrong 12th digit": _wrong_digit("500100732259", 11),
    "12 digits, a digit changed in the middle": _wrong_digit("500100732259", 4),
    "11 digits": "77070838931",
    "9 digits": "770708389",
    "13 digits": "5001007322590",
    "letters": "77070838AB",
    "empty": "",
    "Arabic-Indic digits": "٧٧٠٧٠٨٣٨٩٣",
    "spaces inside a too short number": "770 708 389",
}


@pytest.mark.parametrize("inn", list(INVALID.values()), ids=list(INVALID))
def test_invalid_inns_fail(inn):
    assert not inn_is_valid(inn)
    assert normalise_inn(inn) is None


def test_spaces_and_dashes_people_type_are_dropped():
    assert normalise_inn(" 7707-083-893 ") == "7707083893"
    assert normalise_inn("5001 0073 2259") == "500100732259"


@pytest.mark.parametrize("value", [None, 7707083893, b"7707083893"])
def test_non_strings_are_not_valid(value):
    assert not inn_is_valid(value)
