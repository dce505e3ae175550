"""The vacancy tables: one card per folded «Работа России» vacancy, and the log of every sync.

No personal data is stored by construction: there is no column for `contact_person`, `contact_list` or
`company.email`, and the free texts are scrubbed of phones and e-mails before they reach these columns
(portal/vacancies/sync.py). The person goes to the official card (`vac_url`) or asks the centre."""
from datetime import datetime

from sqlalchemy import Boolean, DateTime, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import now_utc
from portal.extensions import MIGRATION_ONLY_OBJECTS, db

# The columns every filter of /vakansii reads (search.py `_narrowing`), carried in the two ordering indexes:
# a page of 20 walks the index in its order and tests the filters on the index entries, and the count is a
# covering scan of the same index, so neither reads the wide table rows (docs/performance.md, «filters only»).
FILTER_COLUMNS = ("housing", "day_shift", "part_time", "no_experience", "medical_book", "pay", "ban_groups", "lat",
                  "lng")
# PostgreSQL only: the trigram index that serves the word search's `search_text LIKE '% свар%'` (migration
# 0008). The models cannot describe it for both engines, so the migration comparison leaves it out.
TRIGRAM_INDEX = "ix_vacancy_search_trgm"
MIGRATION_ONLY_OBJECTS.add(TRIGRAM_INDEX)


class Vacancy(db.Model):
    """One vacancy card. `api_id` is the API's id of the card's canonical record (the smallest id of its
    duplicates); `status` is open or closed (a complete sync that no longer sees it closes it)."""

    __tablename__ = "vacancy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    api_id: Mapped[str] = mapped_column(String(64), unique=True)
    fold_key: Mapped[str] = mapped_column(String(64), index=True)   # SHA-256 of employer, title, address
    duplicates: Mapped[int] = mapped_column(Integer, default=0)      # API records folded into this card
    content_hash: Mapped[str] = mapped_column(String(64))            # what the last sync stored
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False)
    title: Mapped[str] = mapped_column(String(300))
    employer_name: Mapped[str] = mapped_column(String(300))
    employer_inn: Mapped[str | None] = mapped_column(String(12), nullable=True, index=True)
    hr_agency: Mapped[bool] = mapped_column(Boolean, default=False)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    lat: Mapped[float | None] = mapped_column(Float, nullable=True)
    lng: Mapped[float | None] = mapped_column(Float, nullable=True)
    salary_min: Mapped[int | None] = mapped_column(Integer, nullable=True, index=True)
    salary_max: Mapped[int | None] = mapped_column(Integer, nullable=True)
    # The pay the search filters and sorts by: the top of the range, else its bottom, else 0 (records.py).
    pay: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    employment: Mapped[str | None] = mapped_column(String(100), nullable=True)
    schedule: Mapped[str | None] = mapped_column(String(100), nullable=True)
    specialisation: Mapped[str | None] = mapped_column(String(200), nullable=True)
    code_profession: Mapped[str | None] = mapped_column(String(20), nullable=True)
    education: Mapped[str | None] = mapped_column(String(200), nullable=True)
    duty: Mapped[str | None] = mapped_column(Text, nullable=True)
    requirements: Mapped[str | None] = mapped_column(Text, nullable=True)
    conditions: Mapped[str | None] = mapped_column(Text, nullable=True)   # benefit, shift, term, medical
    social_protected: Mapped[str | None] = mapped_column(String(300), nullable=True)
    vac_url: Mapped[str | None] = mapped_column(String(500), nullable=True)
    modified_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True, index=True)
    # Derived by portal/vacancies/classify.py and search.py at sync time, so a search reads columns only.
    day_shift: Mapped[bool] = mapped_column(Boolean, default=False)
    housing: Mapped[bool] = mapped_column(Boolean, default=False)
    no_experience: Mapped[bool] = mapped_column(Boolean, default=False)
    medical_book: Mapped[bool] = mapped_column(Boolean, default=False)
    part_time: Mapped[bool] = mapped_column(Boolean, default=False)
    ban_groups: Mapped[str] = mapped_column(String(200), default="")   # comma-separated conviction ban ids
    ban_reasons: Mapped[str] = mapped_column(Text, default="")         # "id: why" lines
    says_no_record: Mapped[bool] = mapped_column(Boolean, default=False)
    search_text: Mapped[str] = mapped_column(Text, default="")         # " lemma lemma … " (search.py)
    title_text: Mapped[str] = mapped_column(Text, default="")          # the title's lemmas: ranks and corrects
    first_seen_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)

    @property
    def ban_ids(self):
        return [code for code in (self.ban_groups or "").split(",") if code]


# Both are walked backwards for «newest first» and «highest pay first» (ORDER BY … DESC on every column).
Index("ix_vacancy_open_newest", Vacancy.status, Vacancy.modified_at, Vacancy.id,
      *(getattr(Vacancy, name) for name in FILTER_COLUMNS))
Index("ix_vacancy_open_pay", Vacancy.status, Vacancy.pay, Vacancy.modified_at, Vacancy.id,
      *(getattr(Vacancy, name) for name in FILTER_COLUMNS if name != "pay"))


class VacancySync(db.Model):
    """One run of `flask vacancies sync` (or `flask demo load`): what it fetched and changed."""

    __tablename__ = "vacancy_sync"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=now_utc, index=True)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime, nullable=True)
    source: Mapped[str] = mapped_column(String(20))        # api / file / demo
    status: Mapped[str] = mapped_column(String(20), default="running")  # running / complete / partial / failed
    pages: Mapped[int] = mapped_column(Integer, default=0)
    pages_total: Mapped[int] = mapped_column(Integer, default=0)
    records: Mapped[int] = mapped_column(Integer, default=0)
    total_reported: Mapped[int] = mapped_column(Integer, default=0)   # meta.total of the region query
    added: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    closed: Mapped[int] = mapped_column(Integer, default=0)
    errors: Mapped[int] = mapped_column(Integer, default=0)
    error_text: Mapped[str | None] = mapped_column(Text, nullable=True)
