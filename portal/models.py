"""Database tables. Personal data lives only in `Application` (and `EmployerSignup` contacts); every other
table is anonymous by construction: no IP, cookie, user agent or identifier columns."""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import now_utc
from portal.extensions import db

# ---------------------------------------------------------------- applications (issue 4)


class Application(db.Model):
    """A request to be contacted. Personal columns are nulled by the retention purge; the rest stay as counts."""

    __tablename__ = "application"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(12), unique=True, index=True)
    idempotency_key: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, index=True)
    applicant: Mapped[str] = mapped_column(String(20))              # self / relative / prison_staff
    help_needed: Mapped[str] = mapped_column(String(200))           # comma-separated codes
    status: Mapped[str] = mapped_column(String(20), default="new", index=True)
    status_changed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    consent_version: Mapped[str] = mapped_column(String(64))        # SHA-256 of the consent text shown
    consented_at: Mapped[datetime] = mapped_column(DateTime)
    purged_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    # Personal data: nulled by `flask requests purge`.
    name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    contact_method: Mapped[str | None] = mapped_column(String(20), nullable=True)
    contact_value: Mapped[str | None] = mapped_column(String(100), nullable=True)
    convenient_time: Mapped[str | None] = mapped_column(String(20), nullable=True)
    contact_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    district: Mapped[str | None] = mapped_column(String(40), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    # An officer's referral (applicant "prison_staff" through /zayavka/napravlenie): personal, purged too.
    release_date: Mapped[date | None] = mapped_column(Date, nullable=True, index=True)
    institution: Mapped[str | None] = mapped_column(String(120), nullable=True)
    reach_via: Mapped[str | None] = mapped_column(String(20), nullable=True)   # a code of REACH_VIA
    referrer_name: Mapped[str | None] = mapped_column(String(100), nullable=True)
    referrer_phone: Mapped[str | None] = mapped_column(String(20), nullable=True)
    # Which colleague handles the request (issue 17); every change is in the audit trail.
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    assigned_staff: Mapped["StaffUser | None"] = relationship()

    notes: Mapped[list["ApplicationNote"]] = relationship(back_populates="application",
                                                          cascade="all, delete-orphan",
                                                          order_by="ApplicationNote.created_at")

    @property
    def help_codes(self):
        return [code for code in (self.help_needed or "").split(",") if code]


class ApplicationNote(db.Model):
    """A staff member's internal note on a request (personal: deleted by the purge)."""

    __tablename__ = "application_note"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("application.id", ondelete="CASCADE"), index=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    text: Mapped[str] = mapped_column(Text)

    application: Mapped[Application] = relationship(back_populates="notes")
    staff: Mapped["StaffUser | None"] = relationship()


class AuditEvent(db.Model):
    """Who did what and when, without personal data: status changes, exports, logins, purges."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, index=True)
    actor: Mapped[str] = mapped_column(String(80))                 # staff username or "system"
    action: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str | None] = mapped_column(String(30), nullable=True)
    object_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    detail: Mapped[str | None] = mapped_column(String(200), nullable=True)


# ---------------------------------------------------------------- staff (issue 4)

class StaffUser(db.Model):
    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str | None] = mapped_column(String(200), nullable=True)
    totp_secret: Mapped[str | None] = mapped_column(String(64), nullable=True)
    totp_last_step: Mapped[int | None] = mapped_column(Integer, nullable=True)  # a code is used once
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)


class StaffSession(db.Model):
    """Server-side session: the cookie carries a random token whose hash is stored here, so logout revokes it."""

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)

    staff: Mapped[StaffUser] = relationship()


class StaffSetupToken(db.Model):
    """A one-time link to set a password and enrol the second factor; expires in 24 hours."""

    __tablename__ = "staff_setup_token"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id", ondelete="CASCADE"))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    staff: Mapped[StaffUser] = relationship()


# ---------------------------------------------------------------- anonymous feedback (issue 5)

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


# ---------------------------------------------------------------- friendly employers (issue 8)

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
