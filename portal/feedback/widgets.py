"""Anonymous feedback: «была ли страница полезной?», «посоветовать другу», the NPS arithmetic of the 0–10
after-service question (portal/feedback/survey.py), and the aggregate figures of those answers (the staff
dashboard assembles them in portal/staff/overview.py).

Nothing here knows who a visitor is. A row holds a page, an answer, text with contacts masked out, and a
day: no IP, cookie, user agent, identifier or time of day (docs/feedback.md). Views stay thin over these
functions; only this module writes the two anonymous widget tables.
"""
import hashlib
import io
import re
import unicodedata
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from urllib.parse import quote

import segno
import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer

from portal.clock import today_local
from portal.database import storage_guard
from portal.extensions import db
from portal.feedback.models import PageFeedback, ShareCount
from portal.guides.content import get_library
from portal.i18n import EXTRA_LANGS
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


def qr_inline_svg(url):
    """The QR code of a URL as an <svg> element to put straight into a page (no XML declaration)."""
    buffer = io.BytesIO()
    segno.make(url, error="m", micro=False).save(buffer, kind="svg", border=2, omitsize=True, dark="#000",
                                                 light="#fff", xmldecl=False, svgclass="qr-inline")
    return buffer.getvalue().decode()


def qr_version():
    """Changes when SITE_URL changes, so a year-long cached QR image never shows an old address."""
    return hashlib.sha256(current_app.config["SITE_URL"].encode()).hexdigest()[:8]


# ---------------------------------------------------------------- NPS (the answers come from portal/feedback/survey.py)

SCORES = range(11)


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


def nps_interval(result, z=Decimal("1.96")):
    """(low, high): the 95 % confidence interval of an NPS, one decimal, clipped to −100…100.

    With p and d the shares of promoters and detractors among n answers, the variance of p − d is
    (p + d − (p − d)²) / n, and the interval is NPS ± 1.96 · 100 · √variance.
    """
    n = result.total
    p, d = Fraction(result.promoters, n), Fraction(result.detractors, n)
    variance = (p + d - (p - d) ** 2) / n
    half = z * 100 * (Decimal(variance.numerator) / Decimal(variance.denominator)).sqrt()
    centre = Decimal(100 * (result.promoters - result.detractors)) / n

    def clip(value):
        value = min(Decimal(100), max(Decimal(-100), value))
        return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))

    return clip(centre - half), clip(centre + half)


# ---------------------------------------------------------------- figures for staff

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


def shares_by_channel(start, end):
    """{channel: shares} in the period, every known channel present."""
    rows = db.session.execute(
        sa.select(ShareCount.channel, sa.func.sum(ShareCount.count))
        .where(ShareCount.day.between(start, end)).group_by(ShareCount.channel))
    counts = dict.fromkeys(SHARE_CHANNELS, 0)
    for channel, count in rows:
        counts[channel] = int(count or 0)
    return counts
