"""What a request can be about: a vacancy, a friendly employer. Other areas register a kind with a resolver,
so the form never names them; a link such as `/zayavka?vacancy=12` or `/zayavka?employer=3` opens the form
with that subject shown, and the request keeps a copy of its title and link, so staff see what the person
asked about even after the vacancy closed or the card was hidden.

Only what the site itself published is kept (a vacancy's title and employer, a card's name), never text the
visitor typed: the resolver looks the subject up by its id, and an id it does not know is simply dropped.
"""
from dataclasses import dataclass

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from portal.database import StorageUnavailable
from portal.extensions import db

MAX_REF = 20
MAX_TITLE = 500


@dataclass(frozen=True)
class Subject:
    """A published thing a request is about: its kind (the query parameter), its id, what staff read, a link."""
    kind: str
    ref: str
    title: str
    url: str

    @property
    def token(self):
        """The form's hidden value, «vacancy:12»."""
        return f"{self.kind}:{self.ref}"


def register_subject(app, kind, label, resolve):
    """`resolve(ref)` returns (title, url) of a published subject of this kind, or None for an unknown id.
    `label` is what the form says before the title, e.g. «Вакансия»."""
    app.extensions.setdefault("request_subjects", {})[kind] = (label, resolve)


def kinds():
    return current_app.extensions.get("request_subjects", {})


def label(kind):
    return kinds().get(kind, (kind, None))[0]


def resolve(kind, ref):
    """The Subject for a kind and an id, or None: unknown kind, malformed or unknown id, database down."""
    ref = (ref or "").strip()
    if kind not in kinds() or not ref or len(ref) > MAX_REF or not ref.isdigit():
        return None
    try:
        found = kinds()[kind][1](ref)
    except (SQLAlchemyError, StorageUnavailable):  # the form must still open; the subject is a convenience
        db.session.rollback()
        return None
    if found is None:
        return None
    title, url = found
    return Subject(kind, ref, title[:MAX_TITLE], url)


def from_args(args):
    """The first registered kind present in the query string (`?vacancy=12`), resolved; else None."""
    for kind in kinds():
        if args.get(kind):
            return resolve(kind, args.get(kind))
    return None


def from_token(token):
    """The form's hidden «vacancy:12» back to a Subject, looked up again (the client's copy is not trusted)."""
    kind, _sep, ref = (token or "").partition(":")
    return resolve(kind, ref)
