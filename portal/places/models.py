"""The places directory's one table: a place the centre keeps current (office, shelter, МФЦ …).

Nothing here is about a person: a place is public information the centre has checked by phone or visit.
Opening hours are one short text per weekday («9:00-13:00, 14:00-18:00»; empty: closed), read by
portal/places/hours.py, so staff type them as they would say them and the import file keeps one column a day.
"""
from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import now_utc
from portal.extensions import db

WEEKDAY_COLUMNS = ("hours_mon", "hours_tue", "hours_wed", "hours_thu", "hours_fri", "hours_sat", "hours_sun")


class Place(db.Model):
    """A place of the public directory /kuda-obratitsya; public unless hidden, marked stale when its
    confirmation is older than PLACES_STALE_DAYS (portal/places/directory.py)."""

    __tablename__ = "place"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)            # a code of directory.KINDS
    name: Mapped[str] = mapped_column(String(200))
    district: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)  # a code of DISTRICTS
    address: Mapped[str] = mapped_column(String(300))
    directions: Mapped[str | None] = mapped_column(String(500), nullable=True)  # landmark, transport
    phones: Mapped[str | None] = mapped_column(String(300), nullable=True)      # one per line, «+7 … — label»
    hours_mon: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hours_tue: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hours_wed: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hours_thu: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hours_fri: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hours_sat: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hours_sun: Mapped[str | None] = mapped_column(String(100), nullable=True)
    hours_note: Mapped[str | None] = mapped_column(String(300), nullable=True)  # «приём по записи» …
    what_to_bring: Mapped[str | None] = mapped_column(Text, nullable=True)
    serves: Mapped[str | None] = mapped_column(String(500), nullable=True)     # who it serves
    note: Mapped[str | None] = mapped_column(Text, nullable=True)
    is_main: Mapped[bool] = mapped_column(Boolean, default=False)  # the centre's office shown on every page
    hidden: Mapped[bool] = mapped_column(Boolean, default=False, index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    confirmed_on: Mapped[date | None] = mapped_column(Date, nullable=True)     # a Chelyabinsk date
    confirmed_by: Mapped[str | None] = mapped_column(String(80), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, onupdate=now_utc)

    def weekly_hours(self):
        """The seven weekday texts, Monday first."""
        return [getattr(self, column) for column in WEEKDAY_COLUMNS]
