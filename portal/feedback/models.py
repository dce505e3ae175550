"""The anonymous widgets' tables: counts and answers only, no IP, cookie, user agent or identifier
columns (docs/privacy.md)."""
import secrets
from datetime import date

from sqlalchemy import Boolean, Date, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class PageFeedback(db.Model):
    """«Была ли эта страница полезной?»: page, answer, masked text, day. Nothing about the visitor."""

    __tablename__ = "page_feedback"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page: Mapped[str] = mapped_column(String(120), index=True)
    useful: Mapped[bool] = mapped_column(Boolean)
    text: Mapped[str | None] = mapped_column(String(500), nullable=True)
    day: Mapped[date] = mapped_column(Date, index=True)


class ShareCount(db.Model):
    """How often a page was passed on, per channel and day."""

    __tablename__ = "share_count"
    __table_args__ = (UniqueConstraint("page", "channel", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    page: Mapped[str] = mapped_column(String(120))
    channel: Mapped[str] = mapped_column(String(20))
    day: Mapped[date] = mapped_column(Date, index=True)
    count: Mapped[int] = mapped_column(Integer, default=0)


def _random_id():
    return secrets.token_hex(16)


class SurveyInvitation(db.Model):
    """One unused link to the after-service question: the SHA-256 of its token, how the person was served and
    the month. No request, person, staff member or time of day: an answer can never be joined back."""

    __tablename__ = "survey_invitation"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    served_via: Mapped[str] = mapped_column(String(20))
    month: Mapped[str] = mapped_column(String(7))


class ServiceAnswer(db.Model):
    """One answer to «посоветуете ли вы центр?» after the service: 0–10, the masked «что улучшить» text, how
    the person was served and the month. The key is random, so even the order of answers is not kept."""

    __tablename__ = "service_answer"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=_random_id)
    score: Mapped[int] = mapped_column(Integer)
    served_via: Mapped[str] = mapped_column(String(20))
    month: Mapped[str] = mapped_column(String(7), index=True)
    improve: Mapped[str | None] = mapped_column(String(500), nullable=True)
