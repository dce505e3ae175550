"""The demo employer cards loaded by `flask demo load`: invented companies, each named «Пример: …».

None of these is a real employer and none of the details is a fact: they exist so that developers, testers
and staff in training see a filled directory. Production refuses to load them.
"""

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
