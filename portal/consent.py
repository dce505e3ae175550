"""The consent to personal-data processing (ст. 9 152-ФЗ) and its version hash.

The text is generated from configuration and from the application form's own field list, so the list of
data in the consent can never drift from what the form asks. Each stored request keeps the SHA-256 of the
exact text it was given with.
"""
import hashlib

from flask import current_app

# What the form asks, in the words the consent uses (kept next to the form fields in portal/forms.py).
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
ACTIONS = ("сбор, запись, систематизация, накопление, хранение, уточнение (обновление, изменение), "
           "извлечение, использование, блокирование, удаление, уничтожение")
PLACEHOLDER = "[не задано: укажите в настройках {}]"


def operator_details(config):
    """Operator's name, address and contacts from configuration; placeholders where not set (dev only)."""
    return {key: (config.get(f"OPERATOR_{key.upper()}") or PLACEHOLDER.format(f"PORTAL_OPERATOR_{key.upper()}"))
            for key in ("name", "address", "email", "phone")}


def consent_paragraphs(config=None):
    """The consent as a list of (heading, text) pairs — the single source for the page and the hash."""
    config = config or current_app.config
    operator = operator_details(config)
    days = config["APPLICATION_RETENTION_DAYS"]
    data_list = "; ".join(CONSENT_DATA_ITEMS.values())
    return [
        ("Кто обрабатывает данные",
         f"Оператор: {operator['name']}, адрес: {operator['address']}, "
         f"электронная почта: {operator['email']}, телефон: {operator['phone']}."),
        ("Зачем", "Чтобы рассмотреть вашу заявку и связаться с вами по вопросам помощи в трудоустройстве, "
                  "получения пособия по безработице и обучения."),
        ("Какие данные", f"{data_list}. Мы не спрашиваем о судимости, статье, колонии и дате освобождения. "
                         "Не пишите о них в комментарии."),
        ("Что мы делаем с данными", f"{ACTIONS}. Обработка с использованием средств автоматизации и без них. "
                                    "Мы не передаём данные третьим лицам и не храним их за пределами России."),
        ("Сколько храним", f"Пока заявка в работе и {days} дней после того, как она закрыта. "
                           "Потом данные удаляются, остаются только обезличенные подсчёты."),
        ("Как отозвать согласие", f"Напишите или позвоните оператору: {operator['email']}, {operator['phone']}. "
                                  "После отзыва данные удаляются не позже чем через 30 дней."),
        ("Срок действия", "Согласие действует до достижения цели обработки или до его отзыва."),
    ]


def consent_text(config=None):
    return "\n".join(f"{heading}. {text}" for heading, text in consent_paragraphs(config))


def consent_version(config=None):
    """SHA-256 of the exact consent text shown; stored with every request as proof (ч. 3 ст. 9)."""
    return hashlib.sha256(consent_text(config).encode("utf-8")).hexdigest()
