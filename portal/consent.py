"""Consents to personal-data processing (ст. 9 152-ФЗ) and their version hashes.

Each text is generated from configuration and from its form's own field list, so the list of data in a
consent can never drift from what the form asks. Each stored record keeps the SHA-256 of the exact text it
was given with. One builder serves both consents: the application form's (`kind="application"`) and the
employer sign-up's (`kind="employer"`, portal/employers/cards.py).
"""
import hashlib
from dataclasses import dataclass

from flask import current_app

# What the form asks, in the words the consent uses (kept next to the form fields in portal/apply/forms.py).
CONSENT_DATA_ITEMS = {
    "applicant": "кто подаёт заявку (для себя, для близкого, сотрудник ГУФСИН)",
    "name": "имя или как к вам обращаться",
    "contact_method": "удобный способ связи",
    "contact_value": "номер телефона или имя в мессенджере или соцсети",
    "convenient_time": "удобное время для связи",
    "help_needed": "какая помощь нужна",
    "contact_from": "с какой даты с вами связаться",
    "district": "район Челябинска",
    "comment": "комментарий, если вы его написали",
}
# The employer sign-up form's fields (portal/employers/cards.py, EmployerSignupForm), in the same words.
EMPLOYER_DATA_ITEMS = {
    "company": "название организации или ИП",
    "inn": "ИНН",
    "contact_name": "имя контактного лица",
    "phone": "телефон контактного лица",
    "email": "электронная почта контактного лица",
    "district": "район, где работа",
    "industry": "отрасль",
    "kinds_of_work": "какая есть работа",
    "schedule": "график",
    "pay_range": "зарплата, если вы её указали",
    "offers": "есть ли жильё, доставка до работы, обучение, можно ли без опыта",
    "cannot_accept": "кого вы не можете взять, если вы это указали",
    "asks_about_record_at": "на каком этапе вы спрашиваете о судимости",
    "how_to_apply": "как откликнуться",
    "apply_contact": "контакт для отклика, если вы его указали",
}
# The officer's referral form's fields (portal/apply/forms.py, ReferralForm), in the same words.
REFERRAL_DATA_ITEMS = {
    "person_name": "имя человека",
    "release_date": "ожидаемая дата освобождения",
    "institution": "учреждение, если его указали",
    "institution_other": "название другого учреждения, если его написали",
    "reach_via": "как связаться с человеком после освобождения",
    "reach_phone": "телефон человека или его родственника",
    "help_needed": "какая помощь нужна",
    "referrer_name": "имя и должность сотрудника, который направил",
    "referrer_phone": "рабочий телефон сотрудника",
}
ACTIONS = ("сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), "
           "извлечение, использование, блокирование, удаление, уничтожение")
PLACEHOLDER = "[не задано: укажите в настройках {}]"


@dataclass(frozen=True)
class ConsentKind:
    """What differs between the consents; everything else is shared wording."""

    purpose: str
    data_items: dict
    data_note: str
    retention: str  # may use {days}
    retention_setting: str  # the config key holding {days}
    published: str = ""  # a «Что публикуется» paragraph, when part of the data goes on the site
    after_withdrawal: str = "После отзыва данные удаляются не позже чем через 30 дней."


CONSENTS = {
    "application": ConsentKind(
        purpose="Чтобы рассмотреть вашу заявку и связаться с вами по вопросам помощи в трудоустройстве, "
                "получения пособия по безработице и обучения.",
        data_items=CONSENT_DATA_ITEMS,
        data_note="Мы не спрашиваем о судимости, статье, колонии и дате освобождения. Не пишите о них в "
                  "комментарии.",
        retention="Пока заявка в работе и {days} дней после того, как она закрыта. "
                  "Потом данные удаляются, остаются только обезличенные подсчёты.",
        retention_setting="APPLICATION_RETENTION_DAYS",
    ),
    "referral": ConsentKind(
        purpose="Чтобы центр занятости связался с человеком после освобождения и помог ему с работой, "
                "пособием по безработице и обучением, а при вопросах — с сотрудником, который его направил.",
        data_items=REFERRAL_DATA_ITEMS,
        data_note="Мы не спрашиваем о судимости и статье. Сотрудник отправляет направление только с согласия "
                  "человека.",
        retention="Пока направление в работе и {days} дней после того, как оно закрыто. "
                  "Потом данные удаляются, остаются только обезличенные подсчёты.",
        retention_setting="APPLICATION_RETENTION_DAYS",
    ),
    "employer": ConsentKind(
        purpose="Чтобы проверить вашу заявку, связаться с вами и вести на сайте карточку вашей организации "
                "в списке работодателей, готовых брать людей после освобождения.",
        data_items=EMPLOYER_DATA_ITEMS,
        data_note="Не пишите в форме о конкретных людях и их судимостях.",
        published="После проверки центр публикует на сайте карточку: название, район, отрасль, какая "
                  "есть работа, график, зарплату, жильё, доставку, обучение, можно ли без опыта, кого вы "
                  "не можете взять, когда вы спрашиваете о судимости, как откликнуться и контакт для "
                  "отклика. Имя контактного лица, его телефон, электронная почта и ИНН не публикуются.",
        retention="Пока вы сотрудничаете с центром и {days} дней после того, как карточка снята с сайта. "
                  "Потом контактные данные удаляются.",
        retention_setting="EMPLOYER_CONTACT_RETENTION_DAYS",
        after_withdrawal="После отзыва карточка снимается с сайта, а данные удаляются не позже чем через "
                         "30 дней.",
    ),
}


def operator_details(config):
    """Operator's name, address and contacts from configuration; placeholders where not set (dev only)."""
    return {key: (config.get(f"OPERATOR_{key.upper()}") or PLACEHOLDER.format(f"PORTAL_OPERATOR_{key.upper()}"))
            for key in ("name", "address", "email", "phone")}


def consent_paragraphs(config=None, kind="application"):
    """The consent as a list of (heading, text) pairs — the single source for the page and the hash."""
    config = config or current_app.config
    spec = CONSENTS[kind]
    operator = operator_details(config)
    days = config.get(spec.retention_setting, 30)
    data_list = "; ".join(spec.data_items.values())
    paragraphs = [
        ("Кто обрабатывает данные",
         f"Оператор: {operator['name']}, адрес: {operator['address']}, "
         f"электронная почта: {operator['email']}, телефон: {operator['phone']}."),
        ("Зачем", spec.purpose),
        ("Какие данные", f"{data_list}. {spec.data_note}"),
    ]
    if spec.published:
        paragraphs.append(("Что публикуется", spec.published))
    paragraphs += [
        ("Что мы делаем с данными", f"{ACTIONS}. Обработка с использованием средств автоматизации и без них. "
                                    "Мы не передаём данные третьим лицам и не храним их за пределами России."),
        ("Сколько храним", spec.retention.format(days=days)),
        ("Как отозвать согласие", f"Напишите или позвоните оператору: {operator['email']}, {operator['phone']}. "
                                  f"{spec.after_withdrawal}"),
        ("Срок действия", "Согласие действует до достижения цели обработки или до его отзыва."),
    ]
    return paragraphs


def consent_text(config=None, kind="application"):
    return "\n".join(f"{heading}. {text}" for heading, text in consent_paragraphs(config, kind))


def consent_version(config=None, kind="application"):
    """SHA-256 of the exact consent text shown; stored with every record as proof (ч. 3 ст. 9)."""
    return hashlib.sha256(consent_text(config, kind).encode("utf-8")).hexdigest()
