"""The sample places loaded by `flask demo load`: invented, each named and addressed «Пример: …».

None of these is a real place and no detail is a fact (the phones are 000 numbers): they let developers,
testers and staff in training see a filled directory. Production refuses to load them
(the `demo` commands in portal/employers/cli.py); the public pages mark each one «Пример».
"""
from sqlalchemy import delete, select

from portal.audit import record
from portal.clock import today_local
from portal.extensions import db
from portal.places.directory import DEMO_PREFIX
from portal.places.models import Place

WEEKDAYS_9_18_LUNCH = {f"hours_{d}": "9:00-13:00, 14:00-18:00" for d in ("mon", "tue", "wed", "thu")}

DEMO_PLACES = [
    {"kind": "centre", "name": "Пример: отдел центра занятости", "district": "tsentralny", "is_main": True,
     "address": "Пример: ул. Образцовая, 1, каб. 5", "directions": "Пример: остановка «Образцовая», трамвай 0.",
     "phones": "+7 351 000-00-01 — запись на приём", **WEEKDAYS_9_18_LUNCH,
     "hours_fri": "9:00-13:00, 14:00-16:45", "what_to_bring": "Паспорт или справка об освобождении; СНИЛС; "
     "трудовая книжка, если есть.", "serves": "Все жители города; без записи."},
    {"kind": "shelter", "name": "Пример: ночлежка «Тёплый дом»", "district": "leninsky",
     "address": "Пример: ул. Примерная, 10", "phones": "+7 351 000-00-02 — дежурный",
     **{f"hours_{d}": "20:00-8:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")},
     "what_to_bring": "Любой документ, если есть. Можно и без документов.",
     "serves": "Мужчины и женщины старше 18 лет."},
    {"kind": "probation", "name": "Пример: филиал уголовно-исполнительной инспекции", "district": "kalininsky",
     "address": "Пример: пр. Тестовый, 3", "phones": "+7 351 000-00-03", **WEEKDAYS_9_18_LUNCH,
     "hours_fri": "9:00-13:00, 14:00-17:00", "what_to_bring": "Паспорт, приговор или справку об освобождении."},
    {"kind": "mfc", "name": "Пример: офис МФЦ", "district": "sovetsky", "address": "Пример: ул. Учебная, 7",
     "phones": "+7 351 000-00-04", **{f"hours_{d}": "8:00-20:00" for d in ("mon", "tue", "wed", "thu", "fri")},
     "hours_sat": "9:00-15:00", "what_to_bring": "Паспорт; для СНИЛС и ИНН — паспорт."},
    {"kind": "legal_aid", "name": "Пример: бесплатная юридическая консультация", "district": "kurchatovsky",
     "address": "Пример: ул. Образцовая, 20", "phones": "+7 351 000-00-05",
     "hours_tue": "10:00-14:00", "hours_thu": "14:00-18:00", "hours_note": "Пример: приём по записи."},
]


def load_demo(actor="cli"):
    """Replace the sample places with the marked set; returns how many were loaded."""
    clear_demo(actor=None)
    for values in DEMO_PLACES:
        if not values["name"].startswith(DEMO_PREFIX) or not values["address"].startswith(DEMO_PREFIX):
            raise ValueError(f"a sample place without «{DEMO_PREFIX}»: {values['name']}")
        db.session.add(Place(**values, is_demo=True, hidden=False, confirmed_on=today_local(),
                             confirmed_by="demo"))
    record(actor, "demo_load", "place", detail=f"places={len(DEMO_PLACES)}")
    return len(DEMO_PLACES)


def clear_demo(actor="cli"):
    """Delete every sample place; places the centre entered are never touched."""
    ids = db.session.execute(select(Place.id).where(Place.is_demo.is_(True))).scalars().all()
    if ids:
        db.session.execute(delete(Place).where(Place.id.in_(ids)))
    if actor:
        record(actor, "demo_clear", "place", detail=f"places={len(ids)}")
    else:
        db.session.flush()
    return len(ids)
