"""Generated sample vacancies in the API's exact envelope, each employer named «Пример: …».

None of these is a real vacancy, employer, address or amount: `flask demo load` stores them with
`is_demo` set and every card shows «Пример»; production refuses to load them. The same generator feeds the
fake API in tests and bench/vacancies.py (with `marker=""` there, since those never reach a page).
"""
import random
import uuid

from sqlalchemy import delete

from portal.extensions import db
from portal.vacancies.models import Vacancy
from portal.vacancies.sync import Fetched

DEMO_MARK = "Пример"
DEMO_COUNT = 60

# (title, specialisation, employer kind, duty, extra fields)
JOBS = [
    ("Сварщик", "Производство", "ООО", "Сварка металлоконструкций полуавтоматом.", {"shift": ["Только дневная смена"]}),
    ("Электросварщик ручной сварки", "Производство", "АО", "Сварка трубопроводов. Вахта 30/30.",
     {"benefit": "Оплата проживания,Оплата проезда", "employment": "Вахтовый метод"}),
    ("Грузчик", "Транспорт, логистика", "ООО", "Погрузка и разгрузка товара на складе. Опыт не требуется.", {}),
    ("Кладовщик", "Транспорт, логистика", "ООО", "Приёмка и выдача товара, учёт.", {"shift": ["Только дневная смена"]}),
    ("Комплектовщик на склад", "Транспорт, логистика", "ООО", "Сборка заказов. Работа без опыта, обучим.", {}),
    ("Разнорабочий", "Строительство", "ООО", "Подсобные работы на стройке. Вахта с проживанием в общежитии.",
     {"benefit": "Предоставление общежития", "employment": "Вахтовый метод"}),
    ("Водитель погрузчика", "Транспорт, логистика", "ООО", "Работа на складе, погрузчик.", {}),
    ("Водитель автобуса", "Транспорт, логистика", "МУП", "Городской маршрут. Нужна категория D.", {}),
    ("Водитель такси", "Транспорт, логистика", "ООО", "Работа на автомобиле компании.", {}),
    ("Охранник", "Безопасность", "ЧОО", "Охрана объекта, сутки через трое. Нужно удостоверение.", {}),
    ("Уборщик служебных помещений", "ЖКХ", "МБОУ «Школа № 0»", "Уборка классов и коридоров.",
     {"employment": "Частичная занятость"}),
    ("Помощник воспитателя", "Образование", "МБДОУ «Детский сад № 0»", "Помощь воспитателю в группе.",
     {"medicalDocuments": "Медицинская книжка"}),
    ("Повар", "Общепит", "ООО", "Приготовление блюд в столовой. Медицинская книжка обязательна.",
     {"medicalDocuments": "Медицинская книжка"}),
    ("Продавец-кассир", "Торговля", "ООО", "Работа в магазине у дома.", {"employment": "Частичная занятость"}),
    ("Слесарь-ремонтник", "Производство", "АО", "Ремонт оборудования цеха. Кандидаты без судимости.", {}),
    ("Дворник", "ЖКХ", "ООО", "Уборка придомовой территории.", {"employment": "Временная"}),
    ("Монтажник металлоконструкций", "Строительство", "ООО", "Монтаж на объектах по области.",
     {"benefit": "Оплата аренды жилья"}),
    ("Тракторист", "Сельское хозяйство", "ООО", "Работа в поле и на ферме.", {"benefit": "Предоставление жилья"}),
    ("Фасовщик", "Производство", "ООО", "Фасовка продукции. Без опыта.", {"shift": ["Только дневная смена"]}),
    ("Мойщик посуды", "Общепит", "ООО", "Мойка посуды в кафе.", {"employment": "Частичная занятость"}),
]
NAMES = ["Ромашка", "Василёк", "Одуванчик", "Подсолнух", "Колокольчик", "Незабудка", "Клевер", "Лютик"]


def api_record(number, rng, marker=DEMO_MARK):
    """One vacancy shaped exactly like `results.vacancies[i].vacancy` of the API (vacancies-api.md §2.2)."""
    title, specialisation, kind, duty, extra = JOBS[number % len(JOBS)]
    name = NAMES[(number // len(JOBS)) % len(NAMES)]
    company = f'{kind} "{name}-{number % 7}"' if '«' not in kind else kind.replace("0", str(number % 90 + 1))
    company = f"{marker}: {company}" if marker else company
    code = f"{1027400000000 + number % 97}"
    vacancy_id = str(uuid.UUID(int=rng.getrandbits(128)))
    salary = rng.choice([0, 25000, 30000, 35000, 40000, 45000, 50000, 60000, 70000, 80000])
    record = {
        "id": vacancy_id, "source": "Вакансия работодателя",
        "region": {"region_code": "7400000000000", "name": "Челябинская область"},
        "company": {"companycode": code, "email": "hr@example.invalid", "hr-agency": False,
                    "inn": f"74{number % 97:08d}", "kpp": "745301001", "name": company, "ogrn": code,
                    "url": f"https://trudvsem.ru/company/{code}"},
        "creation-date": f"2026-11-{number % 28 + 1:02d}",
        "date_modify": f"2026-11-{number % 28 + 1:02d}T{number % 24:02d}:00:00+0300",
        "salary": f"от {salary}", "salary_min": salary, "salary_max": salary + rng.choice([0, 10000, 20000]),
        "job-name": title, "vac_url": f"https://trudvsem.ru/vacancy/card/{code}/{vacancy_id}",
        "employment": extra.get("employment", "Полная занятость"), "schedule": "Полный рабочий день",
        "requirements": "Ответственность.", "duty": f"<p>{duty}</p>",
        "category": {"specialisation": specialisation},
        "requirement": {"education": "Среднее", "experience": 0},
        "addresses": {"address": [{"location": f"Челябинская область, г Челябинск, Примерная улица, {number % 50 + 1}",
                                   "lng": f"{61.30 + rng.random() * 0.2:.6f}",
                                   "lat": f"{55.10 + rng.random() * 0.12:.6f}"}]},
        "social_protected": "", "contact_list": [{"contact_type": "Телефон", "contact_value": "+7 000 000-00-00"}],
        "contact_person": "Пример Контакт", "work_places": 1, "code_profession": "",
        "workPlaceType": {"workPlaceQuota": False}, "currency": "«руб.»",
    }
    for key in ("shift", "benefit", "medicalDocuments"):
        if key in extra:
            record[key] = extra[key]
    return record


def sample_records(count, seed=74, marker=DEMO_MARK):
    rng = random.Random(seed)
    return [api_record(number, rng, marker) for number in range(count)]


def envelope(records, total=None):
    """The API's page envelope around records."""
    return {"status": "200", "meta": {"total": len(records) if total is None else total, "limit": 100},
            "results": {"vacancies": [{"vacancy": record} for record in records]}}


def load_demo():
    """Replace the demo vacancies with a fresh generated sample; returns the sync row."""
    from portal.vacancies import store
    db.session.execute(delete(Vacancy).where(Vacancy.is_demo.is_(True)))
    records = sample_records(DEMO_COUNT)
    fetched = Fetched(records=records, total=len(records), pages=1, pages_total=1, complete=True)
    return store.apply(fetched, "demo", is_demo=True)


def clear_demo():
    from portal.vacancies import store
    count = db.session.execute(delete(Vacancy).where(Vacancy.is_demo.is_(True))).rowcount
    store.refresh_fts()
    db.session.commit()
    return count


def register_demo(app):
    """`flask demo load|clear` (portal/cli.py's registry) also load or clear the sample vacancies."""
    from portal.cli import register_demo_set

    def load():
        row = load_demo()
        return row.added + row.updated

    register_demo_set(app, "вакансии", load, clear_demo)
