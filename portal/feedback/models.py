"""The anonymous widgets' tables: counts and answers only, no IP, cookie, user agent or identifier
columns (docs/privacy.md)."""
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


class LoyaltyAnswer(db.Model):
    """One 0–10 answer to «посоветуете ли вы центр?», with where it was asked and the day."""

    __tablename__ = "loyalty_answer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    score: Mapped[int] = mapped_column(Integer)
    asked_on: Mapped[str] = mapped_column(String(120))
    day: Mapped[date] = mapped_column(Date, index=True)
