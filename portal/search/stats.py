"""Anonymous search statistics for the content team: how often each normalised query was searched per day
and whether it found anything.

Nothing else is stored: no IP, cookie, user agent, time of day or identifier of any kind. A query that
contains a digit, `@` or a link is never stored (phone numbers, e-mails, case numbers, addresses). Staff
see a query only once it was counted SEARCH_STATS_MIN_COUNT times in the kept period, and rows older than
SEARCH_STATS_KEEP_DAYS are deleted. Recording never breaks a search and never logs the query.
"""
import atexit
import logging
import re
import threading
import time
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Mapped, mapped_column

from portal.clock import today_local
from portal.extensions import db
from portal.search.analysis import morph_analyzer

log = logging.getLogger("portal.search.stats")

MAX_QUERY_CHARS = 200
# Anything that may identify a person or point somewhere: digits (phones, dates, case numbers),
# e-mail and messenger handles, and links with or without a scheme.
UNSTORABLE_RE = re.compile(r"\d|@|://|www\.|\b[\w-]+\.(?:[a-z]{2,}|рф)\b", re.I)
WORD_RE = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


class SearchQueryDay(db.Model):
    """One row per normalised query and day: how many times it was searched and whether it found anything."""

    __tablename__ = "search_query_day"

    query: Mapped[str] = mapped_column(sa.String(MAX_QUERY_CHARS), primary_key=True)
    day: Mapped[date] = mapped_column(sa.Date, primary_key=True, index=True)
    count: Mapped[int] = mapped_column(sa.Integer, nullable=False, default=0)
    found: Mapped[bool] = mapped_column(sa.Boolean, nullable=False)


NAME_TAGS = frozenset({"Name", "Surn", "Patr"})


def names_a_person(text):
    """Whether a word of the query is most likely a first name, surname or patronymic («канарейкин пётр»):
    such a query, with «освободился» beside it, is exactly what the statistics must never keep (review F-8)."""
    morph = morph_analyzer()
    try:
        return any(NAME_TAGS & morph.parse(word)[0].tag.grammemes for word in WORD_RE.findall(text.casefold()))
    except ValueError:  # pymorphy3 asks unicodedata.name() for a letter that has none (Tangut «𗀀»): keep nothing
        return True


def storable(text):
    """Whether a query may be counted at all: no digits, addresses, links or personal names."""
    return bool(text) and not UNSTORABLE_RE.search(text) and not names_a_person(text)


def normalise(text):
    """Lower case, ё → е, words only, single spaces: «Пособие,  ПОСОБИЕ!» → «пособие пособие»."""
    words = WORD_RE.findall(text.casefold().replace("ё", "е"))
    return " ".join(words)[:MAX_QUERY_CHARS].strip()


_last_purge = None


def record(*texts, found):
    """Count one search of the normalised query; skip it when any given text is unstorable.

    `texts` are the raw query and the query actually searched (after a layout repair); the last one is
    stored. With SEARCH_STATS_FLUSH_SECONDS > 0 the count is added up in this worker's memory and written
    with the others at most that many seconds later (one transaction instead of one synchronous commit per
    search, the search page's largest cost); 0 writes at once. Returns True when the search was counted.
    Errors are logged without the query and swallowed.
    """
    config = current_app.config
    if not config.get("SEARCH_STATS_ENABLED", True) or not texts or not all(storable(t) for t in texts):
        return False
    query = normalise(texts[-1])
    if not query:
        return False
    if float(config.get("SEARCH_STATS_FLUSH_SECONDS") or 0) > 0:
        pending = _pending(current_app._get_current_object())
        pending.add(query, today_local(), bool(found))
        if pending.due(float(config["SEARCH_STATS_FLUSH_SECONDS"]), config.get("SEARCH_STATS_FLUSH_ROWS", 200)):
            flush()
        return True
    return _write({(query, today_local()): [1, bool(found)]})


def flush():
    """Write this worker's pending counts now (also at exit and before every report)."""
    pending = current_app.extensions.get("search_stats_pending")
    return _write(pending.take()) if pending is not None else True


def _write(counts):
    global _last_purge
    if not counts:
        return True
    today = today_local()
    try:
        for (query, day), (times, found) in counts.items():
            _upsert(query, day, found, times)
        if _last_purge != today:
            purge_old()
            _last_purge = today
        db.session.commit()
        return True
    except Exception as error:  # a statistics failure must never become a failed search
        db.session.rollback()
        # The exception text may quote the SQL parameters, i.e. the query: log only its type.
        log.warning("search statistics not recorded: %s", type(error).__name__)
        return False


class _Pending:
    """Counts not written yet, {(query, day): [times, found]}, and when the oldest of them came in."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = {}
        self.since = None

    def add(self, query, day, found):
        with self.lock:
            entry = self.counts.setdefault((query, day), [0, found])
            entry[0] += 1
            entry[1] = found
            if self.since is None:
                self.since = time.monotonic()

    def due(self, seconds, max_rows):
        return self.since is not None and (time.monotonic() - self.since >= seconds
                                           or len(self.counts) >= max_rows)

    def take(self):
        with self.lock:
            counts, self.counts, self.since = self.counts, {}, None
        return counts


def _pending(app):
    pending = app.extensions.get("search_stats_pending")
    if pending is None:
        with _pending_lock:
            pending = app.extensions.get("search_stats_pending")
            if pending is None:
                pending = app.extensions["search_stats_pending"] = _Pending()
                atexit.register(_flush_at_exit, app)  # a worker that stops writes what it counted
    return pending


_pending_lock = threading.Lock()


def _flush_at_exit(app):
    with app.app_context():
        flush()


def _upsert(query, day, found, times=1):
    table = SearchQueryDay.__table__
    dialect = db.session.get_bind().dialect.name
    values = {"query": query, "day": day, "count": times, "found": found}
    if dialect in ("sqlite", "postgresql"):
        if dialect == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:
            from sqlalchemy.dialects.postgresql import insert
        statement = insert(table).values(**values)
        statement = statement.on_conflict_do_update(
            index_elements=[table.c.query, table.c.day],
            set_={"count": table.c.count + times, "found": statement.excluded.found})
        db.session.execute(statement)
        return
    updated = db.session.execute(sa.update(table).where(table.c.query == query, table.c.day == day)
                                 .values(count=table.c.count + times, found=found))
    if not updated.rowcount:
        db.session.execute(sa.insert(table).values(**values))


def purge_old(keep_days=None):
    """Delete rows older than SEARCH_STATS_KEEP_DAYS; returns how many went. The caller commits."""
    keep_days = keep_days or current_app.config["SEARCH_STATS_KEEP_DAYS"]
    cutoff = today_local() - timedelta(days=keep_days)
    result = db.session.execute(sa.delete(SearchQueryDay).where(SearchQueryDay.day < cutoff))
    return result.rowcount or 0


def purge_and_commit():
    """`flask search purge`: delete rows older than SEARCH_STATS_KEEP_DAYS now."""
    removed = purge_old()
    db.session.commit()
    return removed


def visible_queries(limit=20, only_not_found=False, min_count=None):
    """[(query, times), …] most searched first, only queries counted min_count (3) times or more."""
    flush()  # this worker's pending counts first; other workers write theirs within SEARCH_STATS_FLUSH_SECONDS
    config = current_app.config
    min_count = min_count or config["SEARCH_STATS_MIN_COUNT"]
    cutoff = today_local() - timedelta(days=config["SEARCH_STATS_KEEP_DAYS"])
    total = sa.func.sum(SearchQueryDay.count)
    # Distinct days, not repeats: one visitor searching the same words three times in a row (the second and
    # third from the page cache) must not put them in front of staff (review F-8).
    days = sa.func.count(sa.distinct(SearchQueryDay.day))
    statement = (sa.select(SearchQueryDay.query, total).where(SearchQueryDay.day >= cutoff)
                 .group_by(SearchQueryDay.query).having(days >= min_count)
                 .order_by(total.desc(), SearchQueryDay.query).limit(limit))
    if only_not_found:
        statement = statement.where(SearchQueryDay.found.is_(False))
    return [(query, int(times)) for query, times in db.session.execute(statement)]


def report_text(limit=20):
    """The `flask search report` text: top queries and top queries that found nothing."""
    config = current_app.config
    lines = [f"Поисковые запросы за {config['SEARCH_STATS_KEEP_DAYS']} дней "
             f"(показаны только набранные {config['SEARCH_STATS_MIN_COUNT']} раза и больше).", "",
             "Чаще всего ищут:"]
    top = visible_queries(limit)
    lines += [f"  {times:>5}  {query}" for query, times in top] or ["  —"]
    lines += ["", "Ничего не нашлось:"]
    missing = visible_queries(limit, only_not_found=True)
    lines += [f"  {times:>5}  {query}" for query, times in missing] or ["  —"]
    return "\n".join(lines)
