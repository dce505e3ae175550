"""Friendly employers' cards as documents of the site search (section "employer").

The index builder (portal/search/index.py) asks `search_documents(app)` for the public cards and
mixes a hash of them into the index's content hash, so an index built before a card changed reads as
stale; every staff change calls `refresh_search()`, which rebuilds only when that hash moved. The search
page drops any card hit that is no longer public (a card can age out between two builds).
"""
import hashlib
import json
import logging

from flask import current_app, g
from sqlalchemy.exc import SQLAlchemyError

from portal.employers.cards import INDUSTRIES, SCHEDULES, label, offers_of, public_cards, public_query
from portal.employers.models import Employer
from portal.extensions import db
from portal.text import DISTRICTS

log = logging.getLogger("portal.employers.cards")  # the logger name from before the split


def refresh_search():
    """Rebuild the search index if the public cards changed; a failure never undoes the staff change."""
    from portal.search import index as search_index
    app = current_app._get_current_object()
    try:
        return search_index.rebuild(app, force=False)
    except Exception as error:  # the index is rebuilt at the next change, `flask search build` or restart
        log.error("search index not rebuilt after an employer change: %s", type(error).__name__)
        return None


def card_document(card):
    """A card as a search document of section "employer"; labels in Russian, the language of the index."""
    labels = [label(INDUSTRIES, card.industry), label(DISTRICTS, card.district),
              label(SCHEDULES, card.schedule)]
    keywords = "\n".join([*labels, *offers_of(card), "работодатель", "работа после освобождения"])
    summary = f"{label(INDUSTRIES, card.industry)}, {label(DISTRICTS, card.district)}. {card.kinds_of_work}"
    body = "\n".join([summary, *offers_of(card), card.pay_range or ""]).strip()
    return {"key": f"employer/{card.id}", "section": "employer", "title": card.name, "keywords": keywords,
            "summary": summary, "body": body, "plain": "\n".join((card.name, keywords, body))}


def search_hits(keys):
    """{search key: card} for the keys ("employer/<id>") whose card is public today; others are left out."""
    ids = {}
    for key in keys:
        _kind, _, raw = key.partition("/")
        if raw.isascii() and raw.isdigit():
            ids[int(raw)] = key
    if not ids:
        return {}
    cards = db.session.execute(public_query().where(Employer.id.in_(ids))).scalars()
    return {ids[card.id]: card for card in cards}


def search_documents(app):
    """(hash, documents) of today's public cards for the index builder; ("", []) when there are none or
    the table does not exist yet (a fresh database before `flask db upgrade`)."""
    with app.app_context():
        g.lang_code = "ru"  # the index is Russian whatever page asked for the rebuild
        try:
            cards = public_cards()
        except SQLAlchemyError as error:
            db.session.rollback()
            log.info("employer cards not indexed: %s", type(error).__name__)
            return "", []
        documents = [card_document(card) for card in cards]
    if not documents:
        return "", []
    digest = hashlib.sha256(json.dumps(documents, ensure_ascii=False, sort_keys=True).encode("utf-8"))
    return digest.hexdigest(), documents


def init_app(app):
    from portal.search import index as search_index
    search_index.register_source(app, "employer", search_documents, resolve=search_hits, shown_as="employer")
