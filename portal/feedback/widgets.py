"""Anonymous feedback: «была ли страница полезной?», «посоветовать другу», the 0–10 loyalty question, and
the aggregate figures staff see on the dashboard.

Nothing here knows who a visitor is. A row holds a page, an answer, text with contacts masked out, and a
day: no IP, cookie, user agent, identifier or time of day (docs/feedback.md). Views stay thin over these
functions; only this module writes the three anonymous tables.
"""
import hashlib
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from urllib.parse import quote

import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.clock import local_date, local_day_bounds, today_local
from portal.database import storage_guard
from portal.extensions import db
from portal.guides.content import get_library
from portal.i18n import EXTRA_LANGS
from portal.models import Application, LoyaltyAnswer, PageFeedback, ShareCount
from portal.text import strip_controls

# ---------------------------------------------------------------- pages

SECTION_PATH_RE = re.compile(r"^/([a-z0-9-]{1,60})/$")
GUIDE_PATH_RE = re.compile(r"^/([a-z0-9-]{1,60})/([a-z0-9-]{1,60})$")
APPLY_PLACE = "/zayavka"


def split_lang(path):
    """'/en/posobie/x' -> ('en', '/posobie/x'); '/posobie/x' -> ('ru', '/posobie/x')."""
    for lang in EXTRA_LANGS:
        if path in (f"/{lang}", f"/{lang}/"):
            return lang, "/"
        if path.startswith(f"/{lang}/"):
            return lang, path[len(lang) + 1:]
    return "ru", path


def resolve_page(path):
    """The language-neutral path of a known public page (home, section or guide), else None."""
    if not isinstance(path, str) or not path.startswith("/") or len(path) > 200:
        return None
    _lang, neutral = split_lang(path)
    library = get_library()
    if neutral == "/":
        return "/"
    section = SECTION_PATH_RE.match(neutral)
    if section and section.group(1) in library.sections:
        return neutral
    guide = GUIDE_PATH_RE.match(neutral)
    if guide and f"{guide.group(1)}/{guide.group(2)}" in library.guides:
        return neutral
    return None


def resolve_guide(path):
    """The language-neutral path of a known guide ('/posobie/kto-poluchaet'), else None."""
    neutral = resolve_page(path)
    return neutral if neutral and GUIDE_PATH_RE.match(neutral) else None


def page_title(neutral_path, lang="ru"):
    """A human title for a stored page path: the guide's or section's title, else the path itself."""
    library = get_library()
    if neutral_path == "/":
        return str(_l("Home page"))
    if neutral_path == APPLY_PLACE:
        return str(_l("Request sent"))
    guide = GUIDE_PATH_RE.match(neutral_path or "")
    if guide:
        found, _fallback = library.guide(f"{guide.group(1)}/{guide.group(2)}", lang)
        if found:
            return found.title
    section = SECTION_PATH_RE.match(neutral_path or "")
    if section and section.group(1) in library.sections:
        return library.sections[section.group(1)].title(lang)
    return neutral_path


def canonical_url(path):
    """The public address of a local path, as printed and shared: SITE_URL + path, never a query string."""
    return current_app.config["SITE_URL"].rstrip("/") + path


def loyalty_place(asked_on):
    """Where the 0–10 question was asked, reduced to a place that says nothing about the person.

    The application confirmation page's path carries the request number, so every «/zayavka…» path (and
    the plain name "apply") becomes "/zayavka": an answer can never be joined to a request. Guides count
    only when they are in LOYALTY_GUIDES. Anything else is None.
    """
    if not isinstance(asked_on, str) or len(asked_on) > 200:
        return None
    if asked_on in ("apply", "zayavka"):
        return APPLY_PLACE
    _lang, neutral = split_lang(asked_on)
    if neutral == APPLY_PLACE or neutral.startswith(APPLY_PLACE + "/"):
        return APPLY_PLACE
    guide = resolve_guide(asked_on)
    if guide and guide.lstrip("/") in current_app.config["LOYALTY_GUIDES"]:
        return guide
    return None


# ---------------------------------------------------------------- personal data in free text

_EMAIL_RE = re.compile(r"\S+@\S+")
_LINK_RE = re.compile(r"(?:https?://|www\.)\S+|\b(?:t\.me|telegram\.me|vk\.com|vk\.ru|m\.vk\.com|wa\.me|ok\.ru"
                      r"|max\.ru)/\S*", re.IGNORECASE)
_HANDLE_RE = re.compile(r"(?<![\w@])@\w{2,}")
# A run of digits joined by the separators people type in phone numbers.
_NUMBER_RUN_RE = re.compile(r"[+(]?\d(?:[\d\s()+\-.\u00a0\u2010-\u2015/]*\d)?")
PHONE_MIN_DIGITS = 7  # a Chelyabinsk landline without its code has 7 digits

PHONE_MASK = "[телефон скрыт]"
EMAIL_MASK = "[e-mail скрыт]"
LINK_MASK = "[ссылка скрыта]"
HANDLE_MASK = "[контакт скрыт]"


def _mask_number(match):
    digits = sum(ch.isdigit() for ch in match.group(0))
    return PHONE_MASK if digits >= PHONE_MIN_DIGITS else match.group(0)


def mask_personal_data(text):
    """Replace phone numbers, e-mails, messenger handles and profile links with a neutral mark.

    Invisible characters are removed first, so «8\u200b912…» cannot slip through; digits of any script
    count. Any run of 7 or more digits is treated as a phone number: masking a large sum by mistake is
    cheaper than storing a phone.
    """
    text = unicodedata.normalize("NFC", text or "")
    text = strip_controls(text)
    text = _EMAIL_RE.sub(EMAIL_MASK, text)
    text = _LINK_RE.sub(LINK_MASK, text)
    text = _HANDLE_RE.sub(HANDLE_MASK, text)
    return _NUMBER_RUN_RE.sub(_mask_number, text)


def clean_comment(text):
    """What is stored of a «Нет» comment: masked, spaces folded, at most FEEDBACK_COMMENT_MAX characters."""
    masked = mask_personal_data(text)
    lines = [re.sub(r"[ \t]+", " ", line).strip() for line in masked.replace("\r\n", "\n").split("\n")]
    cleaned = re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
    return cleaned[:current_app.config["FEEDBACK_COMMENT_MAX"]] or None


# ---------------------------------------------------------------- «была ли страница полезной?»

def record_vote(neutral_path, useful):
    """Store one answer; returns the row id (used only to sign the follow-up comment token)."""
    row = PageFeedback(page=neutral_path, useful=bool(useful), day=today_local())
    with storage_guard():
        db.session.add(row)
        db.session.commit()
    return row.id


def _comment_signer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="feedback-comment")


def comment_token(row_id):
    """A signed, short-lived permission to add a comment to one «Нет» answer: no cookie needed."""
    return _comment_signer().dumps(row_id)


def attach_comment(token, text):
    """Add masked text to the «Нет» answer the token names. False when the token is bad or expired.

    A comment is attached once: a second one never overwrites the first.
    """
    try:
        row_id = _comment_signer().loads(token or "", max_age=current_app.config["FEEDBACK_COMMENT_WINDOW"])
    except BadSignature:
        return False
    if not isinstance(row_id, int):
        return False
    cleaned = clean_comment(text)
    if cleaned is None:
        return True
    with storage_guard():
        db.session.execute(
            sa.update(PageFeedback)
            .where(PageFeedback.id == row_id, PageFeedback.useful.is_(False), PageFeedback.text.is_(None))
            .values(text=cleaned))
        db.session.commit()
    return True


# ---------------------------------------------------------------- «посоветовать другу»

# Public share addresses. Each carries only the canonical page URL: no title, no tracking parameter.
SHARE_TARGETS = {
    "vk": "https://vk.com/share.php?url={url}",
    "telegram": "https://t.me/share/url?url={url}",
    "whatsapp": "https://wa.me/?text={url}",
    "max": "https://max.ru/:share?text={url}",
    "sms": "sms:?&body={url}",
}
CHANNEL_LABELS = {
    "vk": _l("VK"),
    "telegram": _l("Telegram"),
    "whatsapp": _l("WhatsApp"),
    "max": _l("MAX"),
    "sms": _l("SMS"),
    "copy": _l("Copied the link"),
}
SHARE_CHANNELS = tuple(CHANNEL_LABELS)


def share_links(url):
    """[(channel, label, share address)] for the plain share links of one canonical URL."""
    encoded = quote(url, safe="")
    return [(channel, CHANNEL_LABELS[channel], target.format(url=encoded))
            for channel, target in SHARE_TARGETS.items()]


def record_share(neutral_path, channel):
    """Count one share of a page through a channel today (one row per page, channel and day)."""
    with storage_guard():
        _count_share(neutral_path, channel, today_local())


def _count_share(neutral_path, channel, day):
    table = ShareCount.__table__
    dialect = db.session.get_bind().dialect.name
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        statement = insert(table).values(page=neutral_path, channel=channel, day=day, count=1)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.page, table.c.channel, table.c.day], set_={"count": table.c.count + 1})
        db.session.execute(statement)
    else:
        updated = db.session.execute(
            sa.update(table)
            .where(table.c.page == neutral_path, table.c.channel == channel, table.c.day == day)
            .values(count=table.c.count + 1))
        if not updated.rowcount:
            db.session.execute(sa.insert(table).values(page=neutral_path, channel=channel, day=day, count=1))
    db.session.commit()


def qr_svg(url):
    """The QR code of a URL as a standalone SVG document (black on white, scales to any size)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", border=2, omitsize=True, dark="#000",
                                                 light="#fff")
    return buffer.getvalue()


def qr_version():
    """Changes when SITE_URL changes, so a year-long cached QR image never shows an old address."""
    return hashlib.sha256(current_app.config["SITE_URL"].encode()).hexdigest()[:8]


# ---------------------------------------------------------------- loyalty question and NPS

SCORES = range(11)


def record_loyalty(score, place):
    with storage_guard():
        db.session.add(LoyaltyAnswer(score=int(score), asked_on=place, day=today_local()))
        db.session.commit()


def _round_half_up(value, places=1):
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class Nps:
    total: int
    promoters: int   # 9–10
    passives: int    # 7–8
    detractors: int  # 0–6
    score: float     # % promoters − % detractors, −100…100, one decimal rounded half away from zero


def nps(distribution):
    """NPS the standard way from {score: count}; None when nobody answered."""
    counts = {score: int(distribution.get(score, 0)) for score in SCORES}
    total = sum(counts.values())
    if not total:
        return None
    promoters = counts[9] + counts[10]
    detractors = sum(counts[s] for s in range(7))
    passives = total - promoters - detractors
    exact = Fraction(100 * (promoters - detractors), total)
    rounded = _round_half_up(abs(exact))
    return Nps(total, promoters, passives, detractors, rounded if exact >= 0 else -rounded)


# ---------------------------------------------------------------- figures for staff

def suppress(count, minimum=None):
    """A count of people's requests as shown to staff: below the minimum (5) it reads «<5»."""
    minimum = minimum or current_app.config["DASHBOARD_MIN_CELL"]
    return f"<{minimum}" if count < minimum else str(count)


@dataclass(frozen=True)
class Usefulness:
    page: str
    title: str
    yes: int
    no: int

    @property
    def total(self):
        return self.yes + self.no

    @property
    def share_yes(self):
        return round(100 * self.yes / self.total) if self.total else 0


def usefulness(start, end, lang="ru"):
    """Per guide: how many said «Да» and «Нет» in the period, most answered first."""
    yes = sa.func.sum(sa.case((PageFeedback.useful.is_(True), 1), else_=0))
    rows = db.session.execute(
        sa.select(PageFeedback.page, yes, sa.func.count())
        .where(PageFeedback.day.between(start, end)).group_by(PageFeedback.page))
    result = [Usefulness(page, page_title(page, lang), int(y), int(n) - int(y)) for page, y, n in rows]
    return sorted(result, key=lambda r: (-r.total, r.page))


def latest_comments(start, end, limit=20, lang="ru"):
    """The newest «Нет» comments in the period: (day, page, title, masked text)."""
    rows = db.session.execute(
        sa.select(PageFeedback.day, PageFeedback.page, PageFeedback.text)
        .where(PageFeedback.day.between(start, end), PageFeedback.useful.is_(False),
               PageFeedback.text.is_not(None))
        .order_by(PageFeedback.day.desc(), PageFeedback.id.desc()).limit(limit))
    return [(day, page, page_title(page, lang), text) for day, page, text in rows]


def loyalty_distribution(start, end):
    """{score: answers} for every score 0–10 in the period."""
    rows = db.session.execute(
        sa.select(LoyaltyAnswer.score, sa.func.count())
        .where(LoyaltyAnswer.day.between(start, end)).group_by(LoyaltyAnswer.score))
    counts = dict.fromkeys(SCORES, 0)
    for score, count in rows:
        if score in counts:
            counts[score] = int(count)
    return counts


def shares_by_channel(start, end):
    """{channel: shares} in the period, every known channel present."""
    rows = db.session.execute(
        sa.select(ShareCount.channel, sa.func.sum(ShareCount.count))
        .where(ShareCount.day.between(start, end)).group_by(ShareCount.channel))
    counts = dict.fromkeys(SHARE_CHANNELS, 0)
    for channel, count in rows:
        counts[channel] = int(count or 0)
    return counts


def requests_per_week(start, end):
    """[(monday, ISO week label, count)] for every ISO week touching the period, in the centre's time zone."""
    low, high = local_day_bounds(start, end)
    created = db.session.execute(
        sa.select(Application.created_at).where(Application.created_at >= low, Application.created_at < high))
    per_week = Counter()
    for (moment,) in created:
        local = local_date(moment)
        per_week[local - timedelta(days=local.weekday())] += 1
    weeks = []
    monday = start - timedelta(days=start.weekday())
    while monday <= end:
        year, week, _ = monday.isocalendar()
        weeks.append((monday, f"{year}-W{week:02d}", per_week.get(monday, 0)))
        monday += timedelta(days=7)
    return weeks


def top_searches(start, end, limit=10):
    """(top queries, top queries that found nothing) in the period, each shown only from 3 searches on.

    None when the search statistics (portal/search/stats.py) are not installed.
    """
    try:
        from portal.search.stats import SearchQueryDay
    except ImportError:
        return None
    minimum = current_app.config.get("SEARCH_STATS_MIN_COUNT", 3)
    total = sa.func.sum(SearchQueryDay.count)

    def query(only_not_found):
        statement = (sa.select(SearchQueryDay.query, total).where(SearchQueryDay.day.between(start, end))
                     .group_by(SearchQueryDay.query).having(total >= minimum)
                     .order_by(total.desc(), SearchQueryDay.query).limit(limit))
        if only_not_found:
            statement = statement.where(SearchQueryDay.found.is_(False))
        return [(text, int(times)) for text, times in db.session.execute(statement)]

    return query(False), query(True)


# ---------------------------------------------------------------- charts and CSV

CHART_BAR_MAX = 300  # SVG user units for the longest bar


def chart_bars(items, suppressed=False):
    """[(label, value)] -> bars with a width for the inline SVG chart and the text shown beside each bar.

    With `suppressed`, a value below the minimum gets no bar at all: a bar's length would give away the
    number that the «<5» label hides.
    """
    minimum = current_app.config["DASHBOARD_MIN_CELL"]
    values = [value for _label, value in items if not suppressed or value >= minimum]
    largest = max(values, default=0) or 1
    bars = []
    for label, value in items:
        hidden = suppressed and value < minimum
        width = 0 if hidden else round(CHART_BAR_MAX * value / largest)
        label = str(label)
        bars.append({"label": label if len(label) <= 26 else label[:25] + "…", "width": width,
                     "display": f"<{minimum}" if hidden else str(value)})
    return bars


def default_period(days=None):
    days = days or current_app.config["DASHBOARD_DEFAULT_DAYS"]
    end = today_local()
    return end - timedelta(days=days - 1), end


# ---------------------------------------------------------------- the dashboard as one set of figures

@dataclass(frozen=True)
class Figures:
    start: object
    end: object
    usefulness: list
    comments: list
    loyalty: dict
    nps: object
    shares: dict
    weeks: list
    searches: object  # (top, not found) or None when search statistics are not installed


def dashboard_figures(start, end, lang="ru"):
    """Everything the dashboard and its CSV show for the period [start, end] (days, inclusive)."""
    distribution = loyalty_distribution(start, end)
    return Figures(start, end, usefulness(start, end, lang), latest_comments(start, end, lang=lang),
                   distribution, nps(distribution), shares_by_channel(start, end),
                   requests_per_week(start, end), top_searches(start, end))


def _decimal(value):
    return f"{value:.1f}".replace(".", ",")


def figures_csv_rows(figures):
    """The figures as rows for the CSV export: section; row; measure; value. «Нет» comments stay on screen."""
    from flask_babel import gettext as _

    rows = [[_("Section"), _("Row"), _("Measure"), _("Value")],
            [_("Period"), _("from"), "", figures.start.isoformat()],
            [_("Period"), _("to"), "", figures.end.isoformat()]]
    for item in figures.usefulness:
        rows += [[_("Page usefulness"), item.page, _("Yes"), item.yes],
                 [_("Page usefulness"), item.page, _("No"), item.no],
                 [_("Page usefulness"), item.page, _("Share of «Yes», %"), item.share_yes]]
    for score, count in figures.loyalty.items():
        rows.append([_("Answers 0–10"), score, _("Answers"), count])
    if figures.nps:
        rows += [["NPS", "", _("Answers"), figures.nps.total],
                 ["NPS", "", _("Promoters (9–10)"), figures.nps.promoters],
                 ["NPS", "", _("Passives (7–8)"), figures.nps.passives],
                 ["NPS", "", _("Detractors (0–6)"), figures.nps.detractors],
                 ["NPS", "", _("Value"), _decimal(figures.nps.score)]]
    for channel, count in figures.shares.items():
        rows.append([_("Shares"), str(CHANNEL_LABELS[channel]), _("Times"), count])
    for _monday, label, count in figures.weeks:
        rows.append([_("Requests per week"), label, _("Requests"), suppress(count)])
    if figures.searches:
        top, missing = figures.searches
        rows += [[_("Searches"), text, _("Times"), times] for text, times in top]
        rows += [[_("Searches that found nothing"), text, _("Times"), times] for text, times in missing]
    return rows
