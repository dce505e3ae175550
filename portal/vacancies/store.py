"""Write what a sync fetched: fold duplicates, classify, upsert by the API id, close what a complete sync
no longer sees, and log the run. A partial or failed sync upserts what it read but never closes anything.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy import select, text

from portal.clock import now_utc
from portal.extensions import db
from portal.vacancies import classify, records, search
from portal.vacancies.models import Vacancy, VacancySync


@dataclass
class Counts:
    added: int = 0
    updated: int = 0
    closed: int = 0
    unchanged: int = 0


def rules():
    return current_app.extensions["vacancy_rules"]


def fold(raw_records):
    """{fold key: (card values of the canonical record, number of API records folded)}."""
    groups = {}
    for raw in raw_records:
        values = records.card_values(raw)
        if values is None:
            continue
        key = values["fold_key"]
        if key in groups:
            kept, count = groups[key]
            if values["api_id"] == kept["api_id"]:
                continue  # the same record on two pages (the API pages while new records arrive)
            # The smallest id stays canonical, so the card keeps one identity from sync to sync.
            groups[key] = (min(kept, values, key=lambda v: v["api_id"]), count + 1)
        else:
            groups[key] = (values, 1)
    return groups


def derived_values(values):
    """Values a card gets from the rules and the analyser, computed once at sync time."""
    found = classify.ban_groups(rules(), values["title"], values["employer_name"],
                                " ".join(filter(None, (values.get("duty"), values.get("requirements")))),
                                values.get("code_profession"))
    everything = (values.get("duty"), values.get("requirements"), values.get("conditions"))
    return {
        "ban_groups": ",".join(ban_id for ban_id, _ in found),
        "ban_reasons": "\n".join(f"{ban_id}: {why}" for ban_id, why in found),
        "says_no_record": classify.says_no_record(rules(), values["title"], *everything),
        "title_text": search.analyse(values["title"]),
        "search_text": search.analyse(values["title"], values.get("specialisation"), values["employer_name"],
                                      *everything),
    }


def apply(fetched, source, is_demo=False, sync=None):
    """Store one fetch; return the finished VacancySync row (committed)."""
    sync = sync or VacancySync(source=source, started_at=now_utc())
    db.session.add(sync)
    moment = now_utc()
    groups = fold(fetched.records)
    counts = Counts()
    existing = {row.fold_key: row for row in db.session.execute(
        select(Vacancy).where(Vacancy.is_demo.is_(is_demo))).scalars()}
    by_api_id = {row.api_id: row for row in existing.values()}
    seen = set()
    for key, (values, count) in groups.items():
        row = existing.get(key) or by_api_id.get(values["api_id"])
        values = {**values, **derived_values(values), "duplicates": count - 1}
        digest = records.content_hash(values)
        if row is None:
            row = Vacancy(**values, content_hash=digest, status="open", is_demo=is_demo,
                          first_seen_at=moment, last_seen_at=moment)
            db.session.add(row)
            counts.added += 1
        else:
            if row.content_hash != digest or row.status != "open":
                for name, value in values.items():
                    if name != "api_id" or value not in by_api_id or by_api_id[value] is row:
                        setattr(row, name, value)
                row.content_hash, row.status, row.closed_at = digest, "open", None
                counts.updated += 1
            else:
                counts.unchanged += 1
            row.last_seen_at = moment
        seen.add(key)
    if fetched.complete:
        for key, row in existing.items():
            if key not in seen and row.status == "open":
                row.status, row.closed_at = "closed", moment
                counts.closed += 1
    sync.finished_at = now_utc()
    sync.status = "complete" if fetched.complete else ("failed" if not fetched.records else "partial")
    sync.pages, sync.pages_total, sync.records = fetched.pages, fetched.pages_total, len(fetched.records)
    sync.total_reported = fetched.total or 0
    sync.added, sync.updated, sync.closed = counts.added, counts.updated, counts.closed
    sync.errors = len(fetched.errors)
    sync.error_text = "\n".join(fetched.errors[:20]) or None
    db.session.flush()
    refresh_fts()
    db.session.commit()  # the cards and their word index become visible together, on every instance
    return sync


FTS_TABLE = "vacancy_words"
LEGACY_FTS_TABLES = ("vacancy_fts",)  # the first index (external content over every card), replaced


def refresh_fts():
    """On SQLite, rebuild the FTS5 index of the open cards in the current transaction (the caller commits).

    The index holds only open cards, with their lemma column and a `flags` column («housing»), so a search by
    words alone is counted by the index without reading a row (docs/search.md). It is contentless and
    outside the ORM metadata on purpose: derived data, rebuilt after every write, that the migration comparison
    must not see. PostgreSQL needs nothing here: its trigram index (migration 0008) is kept current by
    PostgreSQL itself."""
    if db.engine.dialect.name != "sqlite":
        return
    for legacy in LEGACY_FTS_TABLES:
        db.session.execute(text(f"DROP TABLE IF EXISTS {legacy}"))
    # unicode61 without diacritics removal: «й» must stay «й»; prefix indexes serve «свар*».
    db.session.execute(text(
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5(search_text, flags, content='', "
        "tokenize='unicode61 remove_diacritics 0', prefix='3 4 5')"))
    db.session.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')"))
    db.session.execute(text(
        f"INSERT INTO {FTS_TABLE}(rowid, search_text, flags) SELECT id, search_text, "
        f"CASE WHEN housing THEN '{search.HOUSING_FLAG}' ELSE '' END FROM vacancy WHERE status = 'open'"))


def fts_available():
    if db.engine.dialect.name != "sqlite":
        return False
    return db.session.connection().exec_driver_sql("SELECT count(*) FROM sqlite_master WHERE name = ?",
                                                   (FTS_TABLE,)).scalar() > 0


def last_sync():
    """The newest finished sync that stored something (its date is the source credit's date)."""
    return db.session.execute(select(VacancySync).where(VacancySync.finished_at.is_not(None),
                                                        VacancySync.status != "failed")
                              .order_by(VacancySync.id.desc()).limit(1)).scalar()


def recent_syncs(limit=30):
    return db.session.execute(select(VacancySync).order_by(VacancySync.id.desc()).limit(limit)).scalars().all()
