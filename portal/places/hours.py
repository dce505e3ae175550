"""Opening hours: reading a weekday's text («9:00-13:00, 14:00-18:00»), and «открыто сейчас, до 18:00» /
«откроется завтра в 9:00» for a moment in Chelyabinsk time.

A day's text lists intervals separated by commas; a break is the gap between two intervals. Empty or
«выходной» means closed that day, «круглосуточно» means all day. An interval that ends at or before it
starts runs past midnight into the next day (a night stay «20:00-8:00»): the status looks one day back so
that at 02:00 such a place is open. The rules take values (texts and an aware local datetime) and never
read the clock themselves; views pass `portal.clock.now_local()`.
"""
import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

DAY = 24 * 60
CLOSED_WORDS = frozenset({"", "-", "—", "выходной", "закрыто", "нет", "closed"})
ALL_DAY_WORDS = frozenset({"круглосуточно", "24 часа", "24/7", "0:00-24:00", "00:00-24:00"})
TIME_RE = r"(\d{1,2})(?:[:.](\d{2}))?"
INTERVAL_RE = re.compile(rf"^{TIME_RE}\s*[-–—]\s*{TIME_RE}$")

WEEKDAYS = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"), _l("Saturday"),
            _l("Sunday"))
# «Откроется в понедельник в 9:00»: the weekday as it reads after «откроется».
ON_WEEKDAYS = (_l("on Monday"), _l("on Tuesday"), _l("on Wednesday"), _l("on Thursday"), _l("on Friday"),
               _l("on Saturday"), _l("on Sunday"))


class HoursError(ValueError):
    """A weekday's text that is not a list of intervals; `message` says how to write it."""

    def __init__(self, text):
        super().__init__(text)
        self.text = text

    @property
    def message(self):
        return _("Cannot read «%(text)s». Write the hours like 9:00-18:00, a break with a comma: "
                 "9:00-13:00, 14:00-18:00. Leave empty for a day off.", text=self.text)


def _minutes(hours, minutes, text):
    hours, minutes = int(hours), int(minutes or 0)
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise HoursError(text)
    return hours * 60 + minutes


def parse_day(text):
    """The intervals of one day as (start, end) minutes after midnight; end > DAY runs past midnight."""
    cleaned = re.sub(r"\s+", " ", str(text or "")).strip().lower().rstrip(".")
    if cleaned in CLOSED_WORDS:
        return ()
    if cleaned in ALL_DAY_WORDS:
        return ((0, DAY),)
    intervals = []
    for part in re.split(r"[,;]", cleaned):
        match = INTERVAL_RE.match(part.strip())
        if not match:
            raise HoursError(str(text).strip())
        start = _minutes(match[1], match[2], str(text).strip())
        end = _minutes(match[3], match[4], str(text).strip())
        if start == DAY:
            raise HoursError(str(text).strip())
        if end <= start:
            end += DAY  # past midnight
        intervals.append((start, end))
    intervals.sort()
    for (_s1, end1), (start2, _e2) in zip(intervals, intervals[1:], strict=False):
        if start2 < end1:
            raise HoursError(str(text).strip())
    return tuple(intervals)


def parse_week(texts):
    """Seven day texts (Monday first) -> seven interval tuples; raises HoursError on the first bad one."""
    return tuple(parse_day(text) for text in texts)


def normalise_day(text):
    """The canonical way to store a day's text: «9:00-13:00, 14:00-18:00», «круглосуточно» or ""."""
    intervals = parse_day(text)
    if intervals == ((0, DAY),):
        return "круглосуточно"
    return ", ".join(f"{clock_text(s)}-{clock_text(e)}" for s, e in intervals)


def clock_text(minutes):
    """«9:00», «13:30», «24:00»; past midnight wraps («8:00» for 32 hours)."""
    if minutes != DAY:
        minutes %= DAY
    return f"{minutes // 60}:{minutes % 60:02d}"


@dataclass(frozen=True)
class Status:
    """Whether a place is open at a moment, until when, and when it opens next."""

    known: bool                     # any hours entered at all
    is_open: bool = False
    all_the_time: bool = False      # open around the clock every day
    until: int | None = None        # minutes after today's midnight when it closes (may exceed DAY)
    opens_in_days: int | None = None  # 0 today, 1 tomorrow …
    opens_at: int | None = None     # minutes after that day's midnight
    opens_weekday: int | None = None  # 0 Monday


def _timeline(week, weekday):
    """Merged absolute intervals in minutes from today's midnight, from yesterday to a week ahead."""
    spans = []
    for offset in range(-1, 8):
        for start, end in week[(weekday + offset) % 7]:
            spans.append((offset * DAY + start, offset * DAY + end))
    spans.sort()
    merged = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def status_at(week, moment):
    """The Status of a place with `week` (seven interval tuples) at an aware local datetime."""
    if not any(week):
        return Status(known=False)
    weekday = moment.weekday()
    now = moment.hour * 60 + moment.minute
    timeline = _timeline(week, weekday)
    for start, end in timeline:
        if start <= now < end:
            if end - start >= 8 * DAY:  # open from yesterday to beyond next week: around the clock
                return Status(known=True, is_open=True, all_the_time=True)
            return Status(known=True, is_open=True, until=end)
    for start, _end in timeline:
        if start > now:
            return Status(known=True, opens_in_days=start // DAY, opens_at=start % DAY,
                          opens_weekday=(weekday + start // DAY) % 7)
    return Status(known=True)  # cannot happen with any hours entered; kept for safety


def describe(status):
    """The status in one short sentence for the page: «Открыто сейчас, до 18:00.»"""
    if not status.known:
        return _("Opening hours are not entered yet: call before you go.")
    if status.all_the_time:
        return _("Open around the clock.")
    if status.is_open:
        return _("Open now, until %(time)s.", time=clock_text(status.until))
    if status.opens_in_days is None:
        return _("Closed now.")
    time = clock_text(status.opens_at)
    if status.opens_in_days == 0:
        return _("Closed now. Opens today at %(time)s.", time=time)
    if status.opens_in_days == 1:
        return _("Closed now. Opens tomorrow at %(time)s.", time=time)
    return _("Closed now. Opens %(day)s at %(time)s.", day=ON_WEEKDAYS[status.opens_weekday], time=time)


def day_text(intervals):
    """One day for the hours table: «9:00–13:00, 14:00–18:00», «круглосуточно» or «выходной»."""
    if not intervals:
        return _("closed")
    if intervals == ((0, DAY),):
        return _("around the clock")
    return ", ".join(f"{clock_text(s)}–{clock_text(e)}" for s, e in intervals)


def week_rows(week, today_weekday=None):
    """(weekday name, hours text, is today) for the seven days, Monday first."""
    return [(WEEKDAYS[i], day_text(week[i]), i == today_weekday) for i in range(7)]
