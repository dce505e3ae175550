"""Vacancies fall into the conviction check's ban groups by the rules in portal/content/vacancy_rules.yaml."""
import pytest

from portal.vacancies.classify import RulesError, ban_groups, conviction_ban_ids, load_rules, says_no_record

RULES = load_rules()

# (title, employer, expected ban ids) — real-looking Chelyabinsk postings, invented for the test.
TABLE = [
    ("Учитель математики", 'МБОУ "СОШ № 15 г. Челябинска"', {"deti", "pedagog"}),
    ("Уборщик служебных помещений", 'МАОУ "Лицей № 31 г. Челябинска"', {"deti"}),
    ("Сторож", 'МБДОУ "Детский сад № 123 г. Челябинска"', {"deti"}),
    ("Помощник воспитателя", 'МБДОУ "ДС № 45"', {"deti", "pedagog"}),
    ("Воспитатель", "МАДОУ «Детский сад № 2»", {"deti", "pedagog"}),
    ("Повар", 'МБОУ "Гимназия № 80"', {"deti"}),
    ("Тренер-преподаватель по боксу", 'МБУ ДО "СШОР № 1"', {"deti", "pedagog"}),
    ("Преподаватель сварочного дела", 'ГБПОУ "Челябинский механико-технологический техникум"', {"deti", "pedagog"}),
    ("Вожатый", 'МАУ "Детский оздоровительный лагерь Уральские зори"', {"deti", "pedagog"}),
    ("Медицинская сестра", 'ГАУЗ "Детская городская клиническая больница № 8"', {"deti"}),
    ("Санитар", 'ГБУЗ "Областная клиническая больница № 3"', {"deti"}),
    ("Социальный работник", 'МБУ "Комплексный центр социального обслуживания населения"', {"deti"}),
    ("Водитель такси", 'ООО "Такси Лидер"', {"taksi"}),
    ("Водитель легкового автомобиля (такси)", 'ООО "Транспортная компания"', {"taksi"}),
    ("Диспетчер службы такси", 'ООО "Такси 300"', set()),
    ("Водитель автобуса", 'МУП "Челябинское транспортное предприятие"', {"obshchestvennyy-transport"}),
    ("Водитель троллейбуса", 'МУП "Челябинский городской электрический транспорт"', {"obshchestvennyy-transport"}),
    ("Водитель трамвая", 'МУП "ЧелябГЭТ"', {"obshchestvennyy-transport"}),
    ("Вагоновожатый", 'МУП "ЧелябГЭТ"', {"obshchestvennyy-transport"}),
    ("Кондуктор", 'МУП "ЧелябГЭТ"', set()),
    ("Водитель категории D", 'ООО "Автоколонна 1"', {"obshchestvennyy-transport"}),
    ("Охранник", 'ООО ЧОО "Щит"', {"ohrana"}),
    ("Охранник 4 разряда", 'ООО "Частная охранная организация Барс"', {"ohrana", "oruzhie"}),
    ("Сотрудник охраны", 'ООО "Магнит"', {"ohrana"}),
    ("Инкассатор", "Российское объединение инкассации (РОСИНКАС)", {"oruzhie"}),
    ("Бухгалтер", 'ООО ЧОП "Кордон"', set()),
    ("Главный специалист-эксперт отдела", "Министерство социальных отношений Челябинской области", {"gossluzhba"}),
    ("Специалист 1 разряда (государственная гражданская служба)", "Управление Росреестра", {"gossluzhba"}),
    ("Уборщик территории", "Министерство сельского хозяйства Челябинской области", set()),
    ("Ведущий специалист", "Администрация Металлургического района города Челябинска", {"munsluzhba"}),
    ("Полицейский-водитель", "ГУ МВД России по Челябинской области", {"silovye"}),
    ("Младший инспектор", "ФКУ ИК-6 ГУФСИН России по Челябинской области", {"silovye"}),
    ("Секретарь судебного заседания", "Советский районный суд г. Челябинска", {"silovye"}),
    ("Помощник нотариуса", "Нотариальная контора", {"silovye"}),
    ("Фармацевт", 'ООО "Аптека Классика"', set()),
    ("Провизор", 'ООО "Аптечная сеть 36,6"', set()),
    ("Грузчик", 'АО "Международный аэропорт Челябинск"', set()),
    ("Перронный рабочий", 'АО "Челябинское авиапредприятие"', set()),
    ("Кладовщик", 'ООО "Склад-Логистик"', set()),
    ("Грузчик", 'ООО "Вайлдберриз"', set()),
    ("Комплектовщик на склад", 'ООО "Озон"', set()),
    ("Сварщик", 'ПАО "ЧТПЗ"', set()),
    ("Водитель погрузчика", 'ООО "Ромашка"', set()),
    ("Водитель грузового автомобиля категории C", 'ООО "Трансавто"', set()),
    ("Разнорабочий", 'ООО "СтройМонтаж"', set()),
    ("Продавец-кассир", 'АО "Тандер"', set()),
    ("Повар", 'ООО "Кафе Уют"', set()),
    ("Дворник", 'ООО "УК Ленинского района"', set()),
]


def test_the_table_has_at_least_forty_rows():
    assert len(TABLE) >= 40


@pytest.mark.parametrize(("title", "employer", "expected"), TABLE, ids=[f"{t} / {e}" for t, e, _ in TABLE])
def test_vacancy_falls_into_the_expected_ban_groups(title, employer, expected):
    assert {ban_id for ban_id, _ in ban_groups(RULES, title, employer)} == expected


def test_every_group_of_the_rules_is_a_ban_of_the_conviction_check():
    assert set(RULES.ids()) <= set(conviction_ban_ids())
    assert {"deti", "taksi", "obshchestvennyy-transport", "ohrana", "gossluzhba"} <= set(RULES.ids())


def test_each_match_carries_a_plain_reason():
    found = dict(ban_groups(RULES, "Водитель такси", ""))
    assert "такси" in found["taksi"] and "328.1" in found["taksi"]


def test_a_text_pattern_catches_a_weapon_licence():
    assert {b for b, _ in ban_groups(RULES, "Сторож", 'ООО "Завод"', "Требуется лицензия на оружие")} == {"oruzhie"}


@pytest.mark.parametrize("text", [
    "Рассматриваем кандидатов без судимости.",
    "Требования: отсутствие судимости, ответственность.",
    "Не привлекавшиеся к уголовной ответственности.",
    "Несудимые граждане РФ.",
    "Не имеющие судимости, без вредных привычек.",
    "Справка об отсутствии судимости обязательна.",
])
def test_texts_that_refuse_a_record_are_marked(text):
    assert says_no_record(RULES, "Кладовщик", text)


@pytest.mark.parametrize("text", [
    "Рассматриваем людей с судимостью.",
    "Берём после освобождения, помогаем с документами.",
    "Опыт работы от года.",
])
def test_other_texts_are_not_marked(text):
    assert not says_no_record(RULES, "Кладовщик", text)


def test_a_group_unknown_to_the_conviction_check_stops_the_app(tmp_path):
    bad = tmp_path / "vacancy_rules.yaml"
    bad.write_text("groups:\n  narkotiki-rabota:\n    why: x\n    title: ['x']\n", encoding="utf-8")
    with pytest.raises(RulesError, match="vacancy_rules.yaml: groups.narkotiki-rabota: not a ban id"):
        load_rules(bad)


def test_a_bad_pattern_names_the_file_and_field(tmp_path):
    bad = tmp_path / "vacancy_rules.yaml"
    bad.write_text("groups:\n  taksi:\n    why: x\n    title: ['(']\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"groups.taksi: title: bad pattern"):
        load_rules(bad)
