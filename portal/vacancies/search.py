"""Vacancy search: text analysed in Python by the guides' Russian analyser (portal/search/analysis.py), stored
as lemma columns, and matched by the database itself, so every app instance serves the same data.

Why this engine (docs/search.md): the vacancies live in SQLite or PostgreSQL already; a second index outside
the database would need a generation stamp and a rebuild on every instance after each sync. A card stores
its lemmas as " lemma lemma … "; a query word matches a card when one of its lemmas starts a stored lemma
(so «свар» finds «сварщик»), every word must match, unknown words are corrected against the vocabulary
of open cards («грущик» → «грузчик»), and Latin typed in the wrong layout is retyped («cdfhobr» → «сварщик»).
"""
import threading
from dataclasses import dataclass, field

from sqlalchemy import and_, case, func, literal_column, not_, or_, select, table, text

from portal.extensions import db
from portal.search.analysis import RU_STOP as STOP_WORDS
from portal.search.analysis import (
    damerau,
    fix_layout,
    is_dictionary_word,
    plain_words,
    ru_lemmas,
    sanitize_query,
)
from portal.vacancies import nearby
from portal.vacancies.models import Vacancy, VacancySync

PER_PAGE = 20
MAX_PAGE = 50
# Words every vacancy «has»: a query «работа сварщиком» means «сварщик».
GENERIC = frozenset({"работа", "работать", "вакансия", "требоваться", "срочно", "город", "челябинск",
                     "челябинский", "область", "в", "на", "с", "для", "по", "и"})
HOUSING_WORDS = frozenset({"проживание", "жилье", "общежитие", "жилой", "жильё", "проживать", "квартира"})
NO_EXPERIENCE_PHRASES = ("без опыта", "опыт не нужен", "опыт не требуется", "без опыта работы")
HOUSING_FLAG = "housing"  # the word SQLite's index stores in its `flags` column for a card with housing


def analyse(*texts):
    """The lemma column of a card: every lemma of every word, stop words left out, as " a b c "."""
    terms = set()
    for part in texts:
        for word in plain_words(part or ""):
            if word in STOP_WORDS or len(word) < 2:
                continue
            terms.add(word)
            terms.update(ru_lemmas(word))
    return " " + " ".join(sorted(terms)) + " " if terms else ""


def _prefix(term):
    """How much of a lemma must start a stored word: the ending is free («вахта» finds «вахтовый»)."""
    term = term.replace("%", "").replace("_", "")
    return term if len(term) <= 4 else term[:max(4, len(term) - 2)]


@dataclass
class Query:
    """What the visitor asked, already checked (portal/vacancies/forms.py builds it from the URL)."""
    text: str = ""
    salary_from: int | None = None
    day_shift: bool = False
    housing: bool = False
    no_experience: bool = False
    no_medical_book: bool = False
    part_time: bool = False
    closed: tuple = ()
    sort: str = "new"
    page: int = 1
    employer_inn: str | None = None
    near: object = None        # a nearby.Centre or nearby.Point: only vacancies within radius_km of it
    radius_km: int = 5


@dataclass
class Result:
    cards: list = field(default_factory=list)
    total: int = 0
    page: int = 1
    pages: int = 0
    corrected: str | None = None    # the text actually searched when it differs from the visitor's
    hidden_by_law: int = 0           # cards left out because of `closed`
    words: list = field(default_factory=list)


def _is_housing_word(term):
    return term in HOUSING_WORDS or bool(set(ru_lemmas(term)) & HOUSING_WORDS)


def _candidates(term):
    return sorted(c for c in {term, *ru_lemmas(term)} if c)


def _word_condition(term):
    """One query word on the lemma column (PostgreSQL, and SQLite before its index exists)."""
    likes = [Vacancy.search_text.like(f"% {_prefix(c)}%") for c in _candidates(term)]
    if _is_housing_word(term):
        likes.append(Vacancy.housing.is_(True))
    return or_(*likes)


def match_expression(words):
    """The FTS5 query of SQLite's index (store.refresh_fts) for every word: each word is any of its lemmas'
    prefixes in the lemma column; a housing word also matches the card's housing flag."""
    groups = []
    for term in words:
        prefixes = " OR ".join('"' + _prefix(c).replace('"', "") + '"*' for c in _candidates(term))
        group = f"search_text : ({prefixes})"
        groups.append(f"({group} OR flags : {HOUSING_FLAG})" if _is_housing_word(term) else f"({group})")
    return " AND ".join(groups)


def _title_hit(words):
    if not words:
        return None
    return and_(*[or_(*[Vacancy.title_text.like(f"% {_prefix(c)}%") for c in {w, *ru_lemmas(w)}])
                  for w in words])


def query_words(text):
    """(words to match, flags the text implies): «без опыта» becomes the no-experience filter."""
    lowered = " ".join(text.casefold().replace("ё", "е").split())
    flags = set()
    for phrase in NO_EXPERIENCE_PHRASES:
        if phrase in lowered:
            flags.add("no_experience")
            lowered = lowered.replace(phrase, " ")
    words = [w for w in plain_words(lowered) if w not in STOP_WORDS and w not in GENERIC and len(w) > 1
             and not (set(ru_lemmas(w)) & GENERIC)]
    return words[:8], flags


def _narrowing(query, flags):
    """The visitor's filters other than the words: conditions on the card's columns."""
    conditions = []
    if query.employer_inn:
        conditions.append(Vacancy.employer_inn == query.employer_inn)
    if query.salary_from:
        conditions.append(Vacancy.pay >= query.salary_from)
    if query.day_shift:
        conditions.append(Vacancy.day_shift.is_(True))
    if query.housing:
        conditions.append(Vacancy.housing.is_(True))
    if query.no_experience or "no_experience" in flags:
        conditions.append(Vacancy.no_experience.is_(True))
    if query.no_medical_book:
        conditions.append(Vacancy.medical_book.is_(False))
    if query.part_time:
        conditions.append(Vacancy.part_time.is_(True))
    if query.near is not None:
        lat_low, lat_high, lng_low, lng_high = nearby.box(query.near, query.radius_km)
        conditions += [Vacancy.lat.between(lat_low, lat_high), Vacancy.lng.between(lng_low, lng_high),
                       nearby.squared_km(Vacancy.lat, Vacancy.lng, query.near) <= query.radius_km ** 2]
    return conditions


def match(query, words, flags):
    """(the SQL condition of the cards shown, their number) before the conviction filter. On SQLite, once its
    index exists, the words are one FTS5 query; a search by words alone is then counted by the index itself,
    which holds only open cards, without reading a row."""
    from portal.vacancies.store import FTS_TABLE, fts_available
    narrowing = _narrowing(query, flags)
    conditions = [Vacancy.status == "open", *narrowing]
    if words and fts_available():
        expression = match_expression(words)
        conditions.append(Vacancy.id.in_(select(literal_column("rowid")).select_from(table(FTS_TABLE)).where(
            text(f"{FTS_TABLE} MATCH :e").bindparams(e=expression))))
        if not narrowing:  # plain SQL: this count is most of a words-only search's work
            total = db.session.connection().exec_driver_sql(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH ?", (expression,)).scalar()
            return and_(*conditions), total
    else:
        conditions.extend(_word_condition(w) for w in words)
    where = and_(*conditions)
    return where, db.session.execute(select(func.count()).select_from(Vacancy).where(where)).scalar()


def _closed_condition(closed):
    wrapped = "," + Vacancy.ban_groups + ","
    return or_(*[wrapped.like(f"%,{ban_id},%") for ban_id in closed])


_vocabulary = {"generation": None, "words": frozenset()}
_vocabulary_lock = threading.Lock()


def generation():
    """The id of the newest finished sync: what every instance compares to notice new data."""
    return db.session.execute(select(func.max(VacancySync.id)).where(VacancySync.finished_at.is_not(None))
                              ).scalar() or 0


def vocabulary():
    """Every stored lemma of open cards (for typo correction), rebuilt when a new sync has finished."""
    current = generation()
    if _vocabulary["generation"] != current:
        with _vocabulary_lock:
            words = set()
            for (text,) in db.session.execute(select(Vacancy.title_text).where(Vacancy.status == "open")):
                words.update((text or "").split())
            _vocabulary.update(generation=current, words=frozenset(words))
    return _vocabulary["words"]


def correct_word(word, words):
    """The nearest known word within one edit (two from five letters: «грущик» → «грузчик»), or None."""
    if len(word) < 4 or any(w.startswith(_prefix(word)) for w in words):
        return None
    limit = 1 if len(word) < 5 else 2
    best = None
    for known in words:
        if abs(len(known) - len(word)) > limit:
            continue
        distance = damerau(word, known)
        if distance <= limit and (best is None or distance < best[0] or distance == best[0] and known < best[1]):
            best = (distance, known)
    return best[1] if best else None


def _run(query, words, flags):
    base, total = match(query, words, flags)
    visible, hidden = base, 0
    if query.closed:
        visible = and_(base, not_(_closed_condition(query.closed)))
        shown = db.session.execute(select(func.count()).select_from(Vacancy).where(visible)).scalar()
        total, hidden = shown, total - shown
    order = []
    title_hit = _title_hit(words)
    if title_hit is not None:
        order.append(case((title_hit, 0), else_=1))
    if query.sort == "pay":
        order.append(Vacancy.pay.desc())
    elif query.sort == "near" and query.near is not None:
        order.append(nearby.squared_km(Vacancy.lat, Vacancy.lng, query.near))
    order += [Vacancy.modified_at.desc(), Vacancy.id.desc()]
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, query.page), pages, MAX_PAGE)
    cards = db.session.execute(select(Vacancy).where(visible).order_by(*order)
                               .offset((page - 1) * PER_PAGE).limit(PER_PAGE)).scalars().all()
    return Result(cards=cards, total=total, page=page, pages=min(pages, MAX_PAGE), hidden_by_law=hidden,
                  words=words)


def search(query):
    """Cards matching the query, with the spelling or layout repair that found them."""
    text, _ = sanitize_query(query.text)
    words, flags = query_words(text)
    result = _run(query, words, flags)
    if result.total or not words:
        return result
    retyped = fix_layout(text)
    if retyped:
        new_words, new_flags = query_words(retyped)
        if new_words and all(is_dictionary_word(w) or w in vocabulary() for w in new_words):
            again = _run(query, new_words, new_flags)
            if again.total:
                again.corrected = retyped
                return again
    known = vocabulary()
    fixed = [correct_word(w, known) or w for w in words]
    if fixed != words:
        again = _run(query, fixed, flags)
        if again.total:
            again.corrected = " ".join(fixed)
            return again
    return result
