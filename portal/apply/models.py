"""Requests from the form: the one table with a visitor's personal data (a name and a contact), and staff
notes on them. Kept for APPLY_RETENTION_DAYS (portal/staff/retention.py); the notes go with their request."""
from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.clock import now_utc
from portal.extensions import db


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
    # What the person asked about, when the form was opened from a vacancy or an employer's card: a copy of
    # what the site published (portal/apply/subjects.py), so staff still see it after the vacancy closed.
    about_kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    about_ref: Mapped[str | None] = mapped_column(String(20), nullable=True)
    about_title: Mapped[str | None] = mapped_column(String(500), nullable=True)
    about_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    # Which colleague handles the request (issue 17); every change is in the audit trail.
    assigned_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), nullable=True)
    assigned_staff: Mapped["StaffUser | None"] = relationship()  # noqa: F821 (staff/models.py; found by name)

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
    staff: Mapped["StaffUser | None"] = relationship()  # noqa: F821 (staff/models.py; found by name)
