"""Property: for any valid answers, no day the conviction check shows is earlier than the law allows.

The oracle below is written from the text of the Criminal Code, independently of portal/conviction/rules.py: the
period runs from the latest of the ends the person entered (the main punishment — release, the end of a
replacement, the day served, the verdict plus the probation period — and the additional punishment;
ст. 86 ч. 4, ст. 73 ч. 3), and lasts at least the shortest period ст. 86 ч. 3 or ст. 95 could mean for
that sentence and category (for a date that does not exist, the earlier candidate). The tool may be later
(it takes the later reading where the law is unclear), never earlier; and it says «погашена» only when
even its own latest day has passed.
"""
import calendar
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.conviction.loading import load_rules
from portal.conviction.rules import CATEGORY_IDS, MILDER, NO, PRISON, SUSPENDED, UNKNOWN, YES, Answers, expungement
from tests.helpers.app import ROOT

RULES = load_rules(ROOT / "portal" / "content" / "conviction.yaml")
TODAY = date(2026, 11, 26)
CHANGE = date(2013, 8, 3)
DAYS = st.dates(min_value=date(1950, 1, 1), max_value=date(2056, 11, 26))


def plus_months_floor(start, months):
    """The earliest day `months` after `start` could mean: a missing 29–31 becomes the month's last day."""
    year, month = divmod(start.month - 1 + months, 12)
    year, month = start.year + year, month + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def shortest_months(minor, sentence, category, before):
    """The shortest period the law can mean, in months (УК РФ ст. 86 ч. 3 and ст. 95)."""
    if sentence == SUSPENDED:
        return 0                                   # ст. 86 ч. 3 «а», also before 18
    if minor:
        if sentence == MILDER:
            return 6                               # ст. 95 «а»
        return 12 if category in ("nebolshoy", "sredney") else 36   # ст. 95 «б», «в»
    if sentence == MILDER:
        return 12                                  # ст. 86 ч. 3 «б» (the shorter reading for «особо тяжкое»)
    if category in ("nebolshoy", "sredney"):
        return 36                                  # «в»
    if category == "tyazhkoe":
        return 72 if before is not False else 96   # «г»: 6 years before 3.8.2013, 8 after
    return 96 if before is not False else 120      # «д»: 8 / 10


@st.composite
def valid_answers(draw):
    sentence = draw(st.sampled_from([PRISON, SUSPENDED, MILDER]))
    kw = {}
    if sentence == SUSPENDED:
        kw["verdict"] = draw(st.dates(min_value=date(1950, 1, 1), max_value=TODAY))
        kw["probation_months"] = draw(st.integers(min_value=6, max_value=72))
    else:
        kw["end"] = draw(DAYS)
    if sentence == PRISON:
        kw["replaced"] = draw(st.sampled_from([NO, YES, UNKNOWN]))
    additional = draw(st.sampled_from([NO, YES, UNKNOWN]))
    if additional == YES:
        kw["additional_end"] = draw(DAYS)
    return Answers(kind=draw(st.sampled_from([k.id for k in RULES.kinds])),
                   category=draw(st.sampled_from([*CATEGORY_IDS, UNKNOWN])), minor=draw(st.booleans()),
                   sentence=sentence, additional=additional,
                   before_change=draw(st.sampled_from([True, False, None])), **kw)


def entered_ends(answers):
    if answers.sentence == SUSPENDED:
        main = plus_months_floor(answers.verdict, answers.probation_months)
    else:
        main = answers.end
    ends = [main]
    if answers.additional == YES:
        ends.append(answers.additional_end)
    return main, max(ends)


@settings(max_examples=200, deadline=None)
@given(answers=valid_answers())
def test_no_day_shown_is_earlier_than_the_latest_end_plus_the_lawful_period(answers):
    outcome = expungement(RULES, answers, TODAY)
    main, latest_end = entered_ends(answers)
    surely_before = True if main < CHANGE else None

    if outcome.date is not None:
        before = surely_before if surely_before is not None else answers.before_change
        bound = plus_months_floor(latest_end, shortest_months(answers.minor, answers.sentence, answers.category,
                                                              before))
        assert outcome.date >= bound
        assert not outcome.options
    else:
        assert outcome.options, "no day and no table of days"
        for option in outcome.options:
            before = surely_before if surely_before is not None else option.before_change
            bound = plus_months_floor(latest_end, shortest_months(answers.minor, answers.sentence,
                                                                  option.category, before))
            assert option.date >= bound, option
    assert outcome.start >= latest_end
    if outcome.expunged is True:
        assert not outcome.earliest and max(outcome.dates) < TODAY
    if answers.additional == UNKNOWN or (answers.sentence == PRISON and answers.replaced == UNKNOWN):
        assert outcome.earliest  # something not known can only make it later: the page says «не раньше»
