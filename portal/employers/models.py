"""Friendly employers: the published cards, the sign-up behind a card (its contact is personal data,
shown to staff only) and visitors' reports about a card."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import now_utc
from portal.extensions import db


class Employer(db.Model):
    """A card of the public directory /rabotodateli. Public only while confirmed by the centre within
    EMPLOYER_CONFIRMATION_MONTHS (portal/employers/cards.py); nothing in it is about a person."""

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    district: Mapped[str] = mapped_column(String(40), index=True)          # a code of DISTRICTS
    industry: Mapped[str] = mapped_column(String(40), index=True)          # a code of INDUSTRIES
    kinds_of_work: Mapped[str] = mapped_column(String(500))
    schedule: Mapped[str] = mapped_column(String(20))                      # a code of SCHEDULES
    pay_range: Mapped[str | None] = mapped_column(String(100), nullable=True)
    housing: Mapped[bool] = mapped_column(Boolean, default=False)
    transport: Mapped[bool] = mapped_column(Boolean, default=False)
    training: Mapped[bool] = mapped_column(Boolean, default=False)
    no_experience_ok: Mapped[bool] = mapped_column(Boolean, default=False)
    cannot_accept: Mapped[str | None] = mapped_column(String(300), nullable=True)
    asks_about_record_at: Mapped[str] = mapped_column(String(20))         # a code of RECORD_STAGES
    how_to_apply: Mapped[str] = mapped_column(String(20))                 # "centre" or "direct"
    apply_contact: Mapped[str | None] = mapped_column(String(200), nullable=True)  # public, for "direct"
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)  # pending/confirmed/hidden
    confirmed_at: Mapped[date | None] = mapped_column(Date, nullable=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, onupdate=now_utc)

    signup: Mapped["EmployerSignup | None"] = relationship(back_populates="employer", uselist=False,
                                                           cascade="all, delete-orphan")


class EmployerSignup(db.Model):
    """Who asked to join and how staff reach them: personal data of the representative, staff-only,
    erased by `flask employers purge` once the card has been hidden for EMPLOYER_CONTACT_RETENTION_DAYS."""

    __tablename__ = "employer_signup"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"), unique=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    consent_version: Mapped[str] = mapped_column(String(64))        # SHA-256 of the employer consent shown
    consented_at: Mapped[datetime] = mapped_column(DateTime)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    company: Mapped[str] = mapped_column(String(120))
    # Personal data (a sole trader's INN is one too): nulled by the purge.
    inn: Mapped[str | None] = mapped_column(String(12), nullable=True)
    contact_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    email: Mapped[str | None] = mapped_column(String(254), nullable=True)

    employer: Mapped[Employer] = relationship(back_populates="signup")


class EmployerReport(db.Model):
    """«Информация устарела»: a count per card and day. Nothing about who tapped it."""

    __tablename__ = "employer_report"
    __table_args__ = (UniqueConstraint("employer_id", "day"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date)
    count: Mapped[int] = mapped_column(Integer, default=0)
