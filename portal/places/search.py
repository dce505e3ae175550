"""The places directory in the site search: the directory page itself and every public place, as
documents of section "place" (registered with portal/search/index.py, which never imports this area)."""
import hashlib
import json
import logging

from flask import g, url_for
from flask_babel import force_locale
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db
from portal.places import directory

log = logging.getLogger("portal.places")
SECTION = "place"
DIRECTORY_KEY = "place/directory"
# What people type when they look for an address: slang and plain words, in Russian (the index's language).
DIRECTORY_KEYWORDS = ["куда обратиться", "адреса", "адрес центра занятости", "телефон центра занятости",
                      "где переночевать", "ночлег", "ночлежка", "негде жить", "где поспать", "приют",
                      "уии адрес", "инспекция адрес", "мфц адрес", "паспортный стол", "бесплатный юрист",
                      "часы работы", "открыто сейчас"]
KIND_KEYWORDS = {
    "centre": ["центр занятости", "биржа труда", "цзн", "встать на учёт"],
    "probation": ["уии", "инспекция", "пробация", "условка", "условный срок", "отметиться"],
    "mfc": ["мфц", "документы", "госуслуги"],
    "passport": ["паспорт", "паспортный стол", "миграционный отдел"],
    "shelter": ["ночлег", "ночлежка", "где переночевать", "приют", "негде жить"],
    "adaptation": ["центр адаптации", "социальная адаптация", "общежитие"],
    "legal_aid": ["юрист", "бесплатная юридическая помощь", "адвокат"],
    "medical": ["врач", "больница", "нарколог", "здоровье"],
    "ngo": ["помощь", "некоммерческая организация", "фонд"],
}


def place_document(place):
    kind = str(directory.kind_label(place.kind))
    district = str(directory.district_label(place.district) or "")
    keywords = "\n".join([kind, *KIND_KEYWORDS.get(place.kind, []), district])
    summary = ", ".join(part for part in (kind, district, place.address) if part)
    body = "\n".join(part for part in (summary, place.directions, place.serves, place.what_to_bring) if part)
    return {"key": f"{SECTION}/{place.id}", "section": SECTION, "title": place.name, "keywords": keywords,
            "summary": summary, "body": body, "plain": "\n".join((place.name, keywords, body))}


def directory_document():
    summary = ("Адреса, телефоны и часы работы в Челябинске: где переночевать сегодня, встать на учёт, "
               "пробация, документы, юрист, здоровье.")
    keywords = "\n".join(DIRECTORY_KEYWORDS + [kw for kws in KIND_KEYWORDS.values() for kw in kws])
    body = summary + "\n" + ", ".join(str(label) for label in directory.KINDS.values()) + "."
    return {"key": DIRECTORY_KEY, "section": SECTION, "title": "Куда обратиться сегодня", "keywords": keywords,
            "summary": summary, "body": body, "plain": "\n".join(("Куда обратиться сегодня", keywords, body))}


def documents(app):
    """(hash, documents): the directory page, plus every public place (none before `flask db upgrade`)."""
    with app.app_context(), force_locale("ru"):
        g.lang_code = "ru"
        docs = [directory_document()]
        try:
            docs += [place_document(place) for place in directory.public_places()]
        except SQLAlchemyError as error:
            db.session.rollback()
            log.info("places not indexed: %s", type(error).__name__)
    digest = hashlib.sha256(json.dumps(docs, ensure_ascii=False, sort_keys=True).encode("utf-8")).hexdigest()
    return digest, docs


def resolve(keys):
    """{key: link} for the directory and the places still public (a place hidden after the build is left out)."""
    found = {}
    for key in keys:
        if key == DIRECTORY_KEY:
            found[key] = {"title": "Куда обратиться сегодня", "url": url_for("places.directory_page"),
                          "label": directory_document()["summary"]}
            continue
        raw = key.partition("/")[2]
        place = directory.public_place(int(raw)) if raw.isascii() and raw.isdigit() else None
        if place is not None:
            label = f"{directory.kind_label(place.kind)}: {place.address}"
            found[key] = {"title": place.name + (" (Пример)" if place.is_demo else ""),
                          "url": url_for("places.place_page", place_id=place.id), "label": label}
    return found


def rebuild_index(app):
    """Rebuild the index after a change of places; a failure never undoes the change."""
    from portal.search import index as search_index
    try:
        return search_index.rebuild(app, force=False)
    except Exception as error:  # rebuilt at the next change, `flask search build` or restart
        log.error("search index not rebuilt after a places change: %s", type(error).__name__)
        return None


def init_app(app):
    from portal.search import index as search_index
    search_index.register_source(app, SECTION, documents, resolve)
