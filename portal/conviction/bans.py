"""Which work stays closed: `assess_all` sorts the bans of the rules file for one conviction (closed, closed
if, unclear, lifted, open), and `summary` groups them for the answer page."""
from dataclasses import dataclass

from portal.conviction.rules import UNKNOWN, Ban, Clause


@dataclass(frozen=True)
class Condition:
    """Something that must be true for a ban to apply: "category" (values: category ids), "subject"
    (values: ("chapter", group name) or ("crime", text) alternatives) or "intent" (no values)."""
    kind: str
    values: tuple = ()


@dataclass(frozen=True)
class ClauseResult:
    """A further clause of a ban (`Ban.also`) that applies to this conviction."""
    clause: Clause
    status: str          # closed, closed_if, unclear, lifted
    conditions: tuple


@dataclass(frozen=True)
class Assessment:
    ban: Ban
    status: str          # closed, closed_if, unclear, lifted (was closed, the conviction is expunged), open
    conditions: tuple    # Condition, ...: all must hold for the ban to apply
    after: str           # what expungement does: lifted, stays, unknown, depends (see ban.after_note)
    exception: str | None  # the commission route of ст. 351.1: yes, after, maybe, no; None: the ban has none
    notes: tuple         # texts, e.g. sources disagree about this category
    also: tuple = ()     # ClauseResult, ...: further clauses that apply (shown under the main one)


STRENGTH = {"closed": 4, "closed_if": 3, "unclear": 2, "lifted": 1, "open": 0}


def _assess_clause(rules, clause, kind, category):
    """(status, conditions) of one clause for this kind and category: closed, closed_if, unclear or open."""
    conditions = []
    if clause.categories is not None:
        if category == UNKNOWN:
            conditions.append(Condition("category", clause.categories))
        elif category not in clause.categories:
            return "open", ()
    unclear = False
    if not clause.any_chapter:
        covered = [g for g in kind.groups if g in clause.groups]
        if not (kind.groups and len(covered) == len(kind.groups)):
            alternatives = [("chapter", rules.groups[g].name) for g in covered]
            alternatives += [("crime", crime.text) for crime in clause.crimes if kind.id in crime.kinds]
            if alternatives:
                conditions.append(Condition("subject", tuple(alternatives)))
            elif kind.groups:
                return "open", ()
            else:
                unclear = True
    if clause.intentional_only:
        conditions.append(Condition("intent"))
    return ("unclear" if unclear else ("closed_if" if conditions else "closed")), tuple(conditions)


def _after(clause, category):
    after = clause.after_expungement
    if clause.stays_for:
        if category in clause.stays_for:
            after = "stays"
        elif category == UNKNOWN:
            after = "depends"
    return after


def assess(rules, ban, kind_id, category, expunged=False):
    """Whether `ban` keeps this work closed for a conviction of this kind and category. `expunged`: whether
    the conviction is already expunged (True, False, or None when that cannot be told)."""
    kind = rules.kind(kind_id)
    if ban.unknown:
        return Assessment(ban, "unclear", (), "unknown", None, ())
    status, conditions = _assess_clause(rules, ban.main, kind, category)
    after = _after(ban.main, category)
    also = []
    if status != "closed":
        for clause in ban.also:
            clause_status, clause_conditions = _assess_clause(rules, clause, kind, category)
            if clause_status == "open":
                continue
            if expunged is True and clause.after_expungement == "lifted":
                clause_status = "lifted"
            also.append(ClauseResult(clause, clause_status, clause_conditions))
    if status == "open":
        if not also:
            return Assessment(ban, "open", (), after, None, ())
        # The ban applies only through a further clause (ст. 351.1 for a grave theft): that clause decides.
        best = max(also, key=lambda result: STRENGTH[result.status])
        return Assessment(ban, best.status, best.conditions, best.clause.after_expungement, None,
                          (best.clause.text,))
    if expunged is True and after == "lifted":
        status = "lifted"
    live = [result.status for result in also if result.status != "lifted"]
    status = max([status, *live], key=STRENGTH.get)
    notes = tuple(note for cat, note in ban.category_notes if cat == category or category == UNKNOWN)
    return Assessment(ban, status, conditions, after, _exception(ban, kind, category, expunged), notes,
                      tuple(also))


def _exception(ban, kind, category, expunged):
    """The commission route of ст. 351.1: for a conviction a person *had* (expunged or removed), of minor or
    medium gravity, not sexual. "after": it opens once the conviction is expunged or removed."""
    exception = ban.exception
    if exception is None:
        return None
    if category != UNKNOWN and category not in exception.categories:
        return "no"
    excluded = [g for g in kind.groups if g in exception.not_groups]
    if kind.groups and len(excluded) == len(kind.groups):
        return "no"
    if category != UNKNOWN and kind.groups and not excluded:
        return {True: "yes", False: "after"}.get(expunged, "maybe")
    return "maybe"


def assess_all(rules, kind_id, category, expunged=False):
    """Every ban assessed, in file order; a ban `covered_by` one that surely applies is left out."""
    results = {ban.id: assess(rules, ban, kind_id, category, expunged) for ban in rules.bans}
    return [results[ban.id] for ban in rules.bans
            if not (ban.covered_by and results[ban.covered_by].status == "closed")]


def closed_jobs(rules, kind_id, category, expunged=False):
    """The work the law closes (or may close) for this conviction: every assessment that is not "open"."""
    return [a for a in assess_all(rules, kind_id, category, expunged) if a.status != "open"]


def open_jobs(rules, kind_id, category, expunged=False):
    """The bans of the file that do not touch this conviction."""
    return [a for a in assess_all(rules, kind_id, category, expunged) if a.status == "open"]


def summary(assessments):
    """The bans for the short answer at the top of the page, in four lists of assessments: closed even after
    expungement, closed until expungement, maybe closed (depends on the article, intent or category), and
    open again (lifted). Bans whose rule the facts do not give at all are left to the details."""
    forever, until, maybe, lifted = [], [], [], []
    for a in assessments:
        if a.status == "closed" and a.after == "stays":
            forever.append(a)
        elif a.status == "closed" and a.after == "lifted":
            until.append(a)
        elif a.status == "lifted":
            lifted.append(a)
        elif a.status in ("closed", "closed_if") or (a.status == "unclear" and not a.ban.unknown):
            maybe.append(a)
    return forever, until, maybe, lifted
