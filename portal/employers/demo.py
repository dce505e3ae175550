"""The demo employer cards loaded by `flask demo load`: invented companies, each named «Пример: …».

None of these is a real employer and none of the details is a fact: they exist so that developers, testers
and staff in training see a filled directory. Production refuses to load them. `load_demo` and `clear_demo`
put them in and take them out.
"""
from sqlalchemy import delete, select

from portal.audit import record
from portal.clock import now_utc, today_local
from portal.employers.cards import DEMO_PREFIX
from portal.employers.models import Employer, EmployerReport, EmployerSignup
from portal.extensions import db

DEMO_CARDS = [
    {
        "name": 'Пример: ООО "Ромашка-Строй"',
        "district": "traktorozavodsky", "industry": "construction",
        "kinds_of_work": "Подсобные рабочие, бетонщики, арматурщики на строительстве жилых домов.",
        "schedule": "shifts", "pay_range": "от 45 000 до 70 000 ₽ в месяц",
        "housing": True, "transport": True, "training": True, "no_experience_ok": True,
        "cannot_accept": None, "asks_about_record_at": "after_interview",
        "how_to_apply": "centre", "apply_contact": None,
    },
    {
        "name": 'Пример: ООО "Василёк-Металл"',
        "district": "metallurgichesky", "industry": "metalwork",
        "kinds_of_work": "Сварщики, слесари, помощники сварщика в цехе металлоконструкций.",
        "schedule": "day", "pay_range": "от 55 000 ₽ в месяц",
        "housing": False, "transport": True, "training": True, "no_experience_ok": False,
        "cannot_accept": "Нужен опыт или готовность учиться 2 месяца.",
        "asks_about_record_at": "at_interview",
        "how_to_apply": "direct", "apply_contact": "Отдел кадров: +7 (351) 000-00-01, с 9 до 16",
    },
    {
        "name": 'Пример: ИП "Одуванчик-Склад"',
        "district": "sovetsky", "industry": "warehouse",
        "kinds_of_work": "Грузчики, комплектовщики, кладовщики на складе продуктов.",
        "schedule": "shifts", "pay_range": "2 500 ₽ за смену",
        "housing": False, "transport": False, "training": True, "no_experience_ok": True,
        "cannot_accept": "Не можем взять на должность кладовщика тех, у кого судимость за кражу "
                         "(материальная ответственность). Грузчиками — всех.",
        "asks_about_record_at": "never",
        "how_to_apply": "centre", "apply_contact": None,
    },
    {
        "name": 'Пример: ООО "Подсолнух-Агро"',
        "district": "outside", "industry": "agriculture",
        "kinds_of_work": "Разнорабочие на ферме, трактористы, работа на теплицах.",
        "schedule": "rotation", "pay_range": None,
        "housing": True, "transport": True, "training": False, "no_experience_ok": True,
        "cannot_accept": None, "asks_about_record_at": "law_only",
        "how_to_apply": "centre", "apply_contact": None,
    },
    {
        "name": 'Пример: ООО "Колокольчик-Сервис"',
        "district": "kalininsky", "industry": "utilities",
        "kinds_of_work": "Дворники, уборщики, разнорабочие в управляющей компании.",
        "schedule": "part_time", "pay_range": "от 25 000 ₽ в месяц",
        "housing": False, "transport": False, "training": False, "no_experience_ok": True,
        "cannot_accept": None, "asks_about_record_at": "in_application",
        "how_to_apply": "direct", "apply_contact": "Приходите в будни с 10 до 12: офис управляющей компании",
    },
]


def load_demo(actor="cli"):
    """Replace the demo cards with the marked demo set; returns how many were loaded."""
    clear_demo(actor=None)
    moment = now_utc()
    day = today_local()
    for values in DEMO_CARDS:
        if not values["name"].startswith(DEMO_PREFIX):  # a demo card must never pass for a real employer
            raise ValueError(f"demo card without «{DEMO_PREFIX}»: {values['name']}")
        db.session.add(Employer(**values, status="confirmed", confirmed_at=day, status_changed_at=moment,
                                is_demo=True, created_at=moment, updated_at=moment))
    record(actor, "demo_load", "employer", detail=f"cards={len(DEMO_CARDS)}")
    return len(DEMO_CARDS)


def clear_demo(actor="cli"):
    """Delete every demo card (and its reports); real cards are never touched."""
    ids = db.session.execute(select(Employer.id).where(Employer.is_demo.is_(True))).scalars().all()
    if ids:
        db.session.execute(delete(EmployerReport).where(EmployerReport.employer_id.in_(ids)))
        db.session.execute(delete(EmployerSignup).where(EmployerSignup.employer_id.in_(ids)))
        db.session.execute(delete(Employer).where(Employer.id.in_(ids)))
    if actor:
        record(actor, "demo_clear", "employer", detail=f"cards={len(ids)}")
    else:
        db.session.flush()
    return len(ids)
