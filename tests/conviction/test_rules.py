"""The conviction rules (portal/conviction/rules.py + content/conviction.yaml): expungement dates under УК РФ ст. 86
and ст. 95 with additional punishments, replacements and suspended sentences, the bans of ТК РФ and federal
laws, leap days, the 3 August 2013 change, and the validation of the rules file.

Every case names the article it checks. The lawful dates were worked out by hand from the official text of
the Criminal Code (ст. 47 ч. 4, 73 ч. 3, 74 ч. 2, 80, 86, 95; /work/shared/facts/facts-ru-2026-12.md §1),
not from the code. Each case asserts the day the tool shows AND that nothing it shows is earlier than the
law: an exact day equals the lawful one, and where the person does not know something, the tool says «не
раньше» and its day is not later than the lawful one (it states a lower bound, never a wrong exact day).
"""
import shutil
from datetime import date
from urllib.parse import urlsplit

import pytest
import yaml

from portal import create_app
from portal.conviction.bans import assess_all, closed_jobs, open_jobs, summary
from portal.conviction.loading import load_rules
from portal.conviction.questions import needed_fields, next_question
from portal.conviction.rules import (
    MILDER,
    NO,
    PRISON,
    SUSPENDED,
    UNKNOWN,
    YES,
    Answers,
    add_months,
    add_years,
    expungement,
    expungement_date,
    parse_date,
)
from portal.guides.content import ContentError
from tests.helpers.app import ROOT

RULES_FILE = ROOT / "portal" / "content" / "conviction.yaml"
RULES = load_rules(RULES_FILE)
TODAY = date(2026, 11, 26)
D = date.fromisoformat

BAN_CODES = {"deti": "deti", "pedagog": "pedagog", "taksi": "taksi", "bus": "obshchestvennyy-transport",
             "ohrana": "ohrana", "oruzhie": "oruzhie", "gos": "gossluzhba", "mun": "munsluzhba",
             "sil": "silovye"}
# The three bans whose answer never depends on the conviction's kind (only on intent, expungement, facts).
USUAL = "ohrana:closed_if mun:unclear sil:unclear"


def statuses(spec):
    """'deti:closed pedagog:-' -> {'deti': 'closed', 'pedagog': None}; '-': not shown (under ст. 351.1)."""
    pairs = dict(item.split(":") for item in f"{spec} {USUAL}".split())
    return {BAN_CODES[code]: (None if status == "-" else status) for code, status in pairs.items()}


def answers(kind, category, sentence, end=None, *, minor=False, replaced=None, verdict=None, months=None,
            additional=NO, additional_end=None, before=None):
    if sentence == PRISON and replaced is None:
        replaced = NO
    return Answers(kind, category, minor, sentence, end=D(end) if end else None, replaced=replaced,
                   verdict=D(verdict) if verdict else None, probation_months=months, additional=additional,
                   additional_end=D(additional_end) if additional_end else None, before_change=before)


def A(kind, category, sentence, end=None, **kw):  # noqa: N802 (reads like a table row)
    return answers(kind, category, sentence, end, **kw)


# (case id, the answers, the day the tool shows, the lawful day for the person's real situation, the bans
#  (None: not checked in this row), the commission route of ст. 351.1, the article the case checks).
# The lawful day differs from the shown one only where the person answered «не знаю»: then the tool says
# «не раньше» the shown day.
CASES = [
    # ---- the cases of the review (content-legal.md, H1, H2, M6, M7): the old tool was early in each
    ("T18", A("sobstvennost", "tyazhkoe", PRISON, "2022-04-01", minor=True), "2025-04-01", "2025-04-01",
     None, None, "УК ст. 95 п. «в»: до 18 лет — 3 года, не 8 (старая проверка давала «не позже 2030»)"),
    ("T20", A("zhizn-zdorove", "tyazhkoe", PRISON, "2020-06-10", additional=YES, additional_end="2021-06-10",
              before=False), "2029-06-10", "2029-06-10", None, None,
     "УК ст. 86 ч. 4: ограничение свободы 1 год после колонии — 8 лет от его конца (было на год раньше)"),
    ("T21", A("transport", "nebolshoy", MILDER, "2024-10-01", additional=YES, additional_end="2027-06-15"),
     "2028-06-15", "2028-06-15", "deti:open pedagog:open taksi:open bus:open oruzhie:closed_if gos:closed",
     None, "УК ст. 264.1: обязательные работы + 3 года лишения прав (ст. 47 ч. 4, с вступления в силу) — "
     "год от конца запрета; старая проверка говорила «погашена» в 2026"),
    ("T22", A("sobstvennost", "sredney", PRISON, "2024-05-01", replaced=YES), "2027-05-01", "2027-05-01",
     None, None, "УК ст. 80, 86 ч. 4: остаток заменён принудительными работами на 1 год — срок от их конца"),
    ("T23", A("zhizn-zdorove", "sredney", SUSPENDED, verdict="2025-02-10", months=24), "2027-02-10",
     "2027-02-10", None, None, "УК ст. 73 ч. 3: день приговора + 2 года, а не день приговора"),

    # ---- the earlier table (ст. 86 for adults, 2013, leap days, bans), now with the new questions
    ("01", A("sobstvennost", "nebolshoy", PRISON, "2020-03-15"), "2023-03-15", "2023-03-15",
     "deti:open pedagog:open taksi:open bus:open oruzhie:lifted gos:lifted", None,
     "УК ст. 86 ч. 3 «в» (3 года); ТК ст. 351.1 не включает гл. 21; 79-ФЗ ст. 16 снимается погашением"),
    ("02", A("sobstvennost", "sredney", PRISON, "2025-06-01"), "2028-06-01", "2028-06-01",
     "deti:open pedagog:open taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "ТК ст. 328.1: грабёж и разбой — условие для такси"),
    ("03", A("sobstvennost", "tyazhkoe", PRISON, "2024-05-20", before=False), "2032-05-20", "2032-05-20",
     "deti:closed_if pedagog:closed_if taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "УК ст. 86 ч. 3 «г» (8 лет); ТК ст. 351.1 через ст. 331 абз. 4 — умышленное тяжкое, например "
     "кража по ч. 3 ст. 158, пока не погашена"),
    ("04", A("sobstvennost", "tyazhkoe", PRISON, "2019-05-20", before=True), "2025-05-20", "2025-05-20",
     "deti:lifted pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ: прежние 6 лет; ст. 351.1 абз. 4 и ст. 331 уходят с погашением; 150-ФЗ п. 3.1 — нет"),
    ("05", A("sobstvennost", "osobo-tyazhkoe", PRISON, "2022-01-10", before=False), "2032-01-10",
     "2032-01-10", "deti:closed_if pedagog:closed_if taksi:closed_if bus:open oruzhie:closed_if gos:closed",
     None, "УК ст. 86 ч. 3 «д» (10 лет)"),
    ("06", A("zhizn-zdorove", "osobo-tyazhkoe", PRISON, "2022-01-10", before=True), "2030-01-10",
     "2030-01-10", "deti:closed pedagog:- taksi:closed_if bus:open oruzhie:closed_if gos:closed", "no",
     "218-ФЗ: прежние 8 лет; ТК ст. 351.1; КДН только для небольшой и средней"),
    ("07", A("zhizn-zdorove", "nebolshoy", MILDER, "2025-09-01"), "2026-09-01", "2026-09-01",
     "deti:closed pedagog:- taksi:open bus:open oruzhie:lifted gos:lifted", "yes",
     "УК ст. 86 ч. 3 «б» (1 год); ТК ст. 351.1 действует и после погашения"),
    ("08", A("zhizn-zdorove", "sredney", SUSPENDED, verdict="2025-04-30", months=24), "2027-04-30",
     "2027-04-30", "deti:closed pedagog:- taksi:closed_if bus:open oruzhie:closed_if gos:closed", "after",
     "УК ст. 86 ч. 3 «а»: конец испытательного срока; КДН — когда судимость в прошлом"),
    ("09", A("narkotiki", "tyazhkoe", PRISON, "2021-07-01", before=False), "2029-07-01", "2029-07-01",
     "deti:closed pedagog:- taksi:open bus:open oruzhie:closed_if gos:closed", "no",
     "ТК ст. 351.1: наркотики — гл. 25 «против здоровья населения», закрыто навсегда (H3 обзора); "
     "ТК ст. 328.1 гл. 25 не называет"),
    ("10", A("narkotiki", "nebolshoy", MILDER, "2026-01-15"), "2027-01-15", "2027-01-15",
     "deti:closed pedagog:- taksi:open bus:open oruzhie:closed_if gos:closed", "after",
     "ТК ст. 351.1 ч. 3: ст. 228 ч. 1 — небольшая тяжесть, КДН после погашения"),
    ("11", A("deti-polovye", "sredney", PRISON, "2023-02-28"), "2026-02-28", "2026-02-28",
     "deti:closed pedagog:- taksi:lifted bus:open oruzhie:lifted gos:lifted", "maybe",
     "ТК ст. 351.1 (КДН — если не половое); ТК ст. 328.1 снимается погашением"),
    ("12", A("deti-polovye", "tyazhkoe", PRISON, "2016-02-29", before=False), "2024-02-29", "2024-02-29",
     "deti:closed pedagog:- taksi:lifted bus:open oruzhie:closed_if gos:lifted", "no",
     "УК ст. 86 ч. 3: 29.02 + 8 лет — снова 29.02 (високосный)"),
    ("13", A("obshchestvennaya-bezopasnost", "tyazhkoe", PRISON, "2020-02-29", before=True), "2026-03-01",
     "2026-03-01", "deti:closed pedagog:- taksi:lifted bus:lifted oruzhie:closed_if gos:lifted", "no",
     "УК ст. 86 ч. 3, 6 лет от 29.02 → 1 марта (решение о високосном дне)"),
    ("14", A("transport", "sredney", PRISON, "2024-02-29"), "2027-03-01", "2027-03-01",
     "deti:open pedagog:open taksi:open bus:open oruzhie:closed_if gos:closed", None,
     "УК ст. 86 ч. 3, 3 года от 29.02 → 1 марта; гл. 27 не в ст. 351.1 и 328.1"),
    ("15", A("drugoe", "nebolshoy", MILDER, "2028-02-29"), "2029-03-01", "2029-03-01",
     "deti:unclear pedagog:open taksi:open bus:open oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 86 ч. 3, 1 год от 29.02 → 1 марта"),
    ("16", A("sobstvennost", "sredney", SUSPENDED, verdict="2026-02-28", months=24), "2028-02-28",
     "2028-02-28", "deti:open pedagog:open taksi:closed_if bus:open oruzhie:closed_if gos:closed", None,
     "УК ст. 73 ч. 3: 28.02 + 2 года — 28.02, в високосный год не сдвигается"),
    ("17", A("obshchestvennaya-bezopasnost", "osobo-tyazhkoe", PRISON, "2012-02-29"), "2020-02-29",
     "2020-02-29", "deti:closed pedagog:- taksi:lifted bus:lifted oruzhie:closed_if gos:lifted", "no",
     "218-ФЗ: вышел до 03.08.2013 — значит, преступление до него; 8 лет"),
    ("18", A("sobstvennost", "tyazhkoe", PRISON, "2013-08-02"), "2019-08-02", "2019-08-02",
     "deti:lifted pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ: освобождение за день до 03.08.2013 — прежние 6 лет без вопроса"),
    ("19", A("sobstvennost", "tyazhkoe", PRISON, "2013-08-03", before=False), "2021-08-03", "2021-08-03",
     "deti:lifted pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ: преступление 03.08.2013 или позже — новые 8 лет"),
    ("20", A("sobstvennost", "tyazhkoe", PRISON, "2013-08-03", before=True), "2019-08-03", "2019-08-03",
     "deti:lifted pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "218-ФЗ и УК ст. 10: преступление до 03.08.2013 — прежние 6 лет"),
    ("21", A("sobstvennost", "tyazhkoe", PRISON, "2020-01-01"), {("tyazhkoe", True): "2026-01-01",
                                                                 ("tyazhkoe", False): "2028-01-01"},
     "2028-01-01", "deti:closed_if pedagog:closed_if taksi:closed_if bus:open oruzhie:closed_if gos:closed",
     None, "218-ФЗ: дата преступления не известна — две даты, не одна (здесь на деле после 2013)"),
    ("22", A("zhizn-zdorove", UNKNOWN, PRISON, "2022-06-01", before=False),
     {("nebolshoy", None): "2025-06-01", ("sredney", None): "2025-06-01", ("tyazhkoe", False): "2030-06-01",
      ("osobo-tyazhkoe", False): "2032-06-01"}, "2030-06-01",
     "deti:closed pedagog:- taksi:closed_if bus:open oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 86 ч. 3: категория не известна — дата для каждой категории (на деле тяжкое)"),
    ("23", A("zhizn-zdorove", "sredney", PRISON, "2024-10-01", minor=True), "2025-10-01", "2025-10-01",
     "deti:closed pedagog:- taksi:lifted bus:open oruzhie:lifted gos:lifted", "yes",
     "УК ст. 95 п. «б»: 1 год; ТК ст. 351.1 не зависит от возраста"),
    ("24", A("sobstvennost", "tyazhkoe", PRISON, "2010-01-01", minor=True), "2013-01-01", "2013-01-01",
     "deti:lifted pedagog:lifted taksi:lifted bus:open oruzhie:closed_if gos:lifted", None,
     "УК ст. 95 п. «в»: 3 года"),
    ("25", A("narkotiki", "sredney", SUSPENDED, minor=True, verdict="2025-12-30", months=18), "2027-06-30",
     "2027-06-30", "deti:closed pedagog:- taksi:open bus:open oruzhie:closed_if gos:closed", "after",
     "УК ст. 95 условный срок не сокращает: ст. 86 ч. 3 «а»"),
    ("26", A("obshchestvennaya-bezopasnost", "sredney", PRISON, "2025-12-01"), "2028-12-01", "2028-12-01",
     "deti:closed pedagog:- taksi:closed bus:open oruzhie:closed_if gos:closed", "after",
     "ТК ст. 328.1: общественная безопасность — такси закрыто; автобус только для тяжких"),
    ("27", A("obshchestvennaya-bezopasnost", "osobo-tyazhkoe", PRISON, "2021-03-03", before=False),
     "2031-03-03", "2031-03-03", "deti:closed pedagog:- taksi:closed bus:closed oruzhie:closed_if gos:closed",
     "no", "ТК ст. 328.1: автобус, трамвай, троллейбус — тяжкие и особо тяжкие против общественной "
     "безопасности"),
    ("28", A("drugoe", UNKNOWN, SUSPENDED, verdict="2024-01-01", months=36), "2027-01-01", "2027-01-01",
     "deti:closed_if pedagog:closed_if taksi:unclear bus:unclear oruzhie:closed_if gos:closed", "maybe",
     "УК ст. 86 ч. 3 «а»: при условном сроке категория для даты не нужна"),
    ("29", A("deti-polovye", "nebolshoy", MILDER, "2026-05-01"), "2027-05-01", "2027-05-01",
     "deti:closed pedagog:- taksi:open bus:open oruzhie:closed_if gos:closed", "maybe",
     "ТК ст. 351.1: половые преступления и против семьи — в перечне"),
    ("30", A("zhizn-zdorove", "tyazhkoe", SUSPENDED, verdict="2022-01-01", months=36), "2025-01-01",
     "2025-01-01", "deti:closed pedagog:- taksi:lifted bus:open oruzhie:closed_if gos:lifted", "no",
     "ТК ст. 328.1 и 79-ФЗ ст. 16 снимаются погашением; ТК ст. 351.1 — нет"),

    # ---- additional punishment (УК ст. 86 ч. 4, ст. 47 ч. 4, Пленум ВС № 14 пп. 13–14)
    ("A1", A("sobstvennost", "sredney", PRISON, "2021-01-20", additional=YES, additional_end="2020-12-01"),
     "2024-01-20", "2024-01-20", None, None, "УК ст. 86 ч. 4: штраф оплачен раньше выхода — считают от выхода"),
    ("A2", A("obshchestvennaya-bezopasnost", "tyazhkoe", PRISON, "2019-09-01", additional=YES,
             additional_end="2021-09-01", before=False), "2029-09-01", "2029-09-01", None, None,
     "УК ст. 53 ч. 2, 86 ч. 4: 2 года ограничения свободы после колонии — 8 лет от их конца"),
    ("A3", A("transport", "nebolshoy", SUSPENDED, verdict="2023-04-05", months=12, additional=YES,
             additional_end="2026-04-21"), "2026-04-21", "2026-04-21", None, None,
     "Пленум № 14 п. 14: запрет водить кончается позже испытательного срока — погашение с его концом"),
    ("A4", A("sobstvennost", "nebolshoy", MILDER, "2025-03-01", additional=UNKNOWN), "2026-03-01",
     "2027-09-01", None, None, "«Не знаю» про дополнительное — «не раньше 1 марта 2026»; на деле запрет до "
     "01.09.2026, и по закону — 01.09.2027"),
    ("A5", A("zhizn-zdorove", "sredney", PRISON, "2024-02-01", minor=True, additional=YES,
             additional_end="2024-08-01"), "2025-08-01", "2025-08-01", None, None,
     "УК ст. 95 п. «б» и ст. 86 ч. 4: до 18 лет, 6 месяцев ограничения свободы — год от их конца"),
    ("A6", A("narkotiki", "nebolshoy", MILDER, "2024-05-05", additional=YES, additional_end="2026-05-20"),
     "2027-05-20", "2027-05-20", None, None, "УК ст. 86 ч. 3 «б», ч. 4: год от конца запрета, а не от штрафа"),

    # ---- replacement of the unserved rest by a milder punishment (УК ст. 80, 86 ч. 4)
    ("Z1", A("zhizn-zdorove", "tyazhkoe", PRISON, "2025-07-15", replaced=YES, before=False), "2033-07-15",
     "2033-07-15", None, None, "УК ст. 80: принудительные работы до 15.07.2025 — 8 лет от их конца"),
    ("Z2", A("sobstvennost", "sredney", PRISON, "2022-11-30", replaced=UNKNOWN), "2025-11-30", "2026-11-30",
     None, None, "«Не знаю» про замену — «не раньше»; на деле ограничение свободы ещё год, по закону 2026"),
    ("Z3", A("sobstvennost", "sredney", PRISON, "2024-03-10", minor=True, replaced=YES), "2025-03-10",
     "2025-03-10", None, None, "УК ст. 95 п. «б», ст. 86 ч. 4: до 18 лет — год от конца замены"),
    ("Z4", A("obshchestvennaya-bezopasnost", "sredney", PRISON, "2023-01-01", replaced=YES, additional=YES,
             additional_end="2024-01-01"), "2027-01-01", "2027-01-01", None, None,
     "УК ст. 86 ч. 4: замена и дополнительное — от более позднего конца"),
    ("Z5", A("sobstvennost", "tyazhkoe", PRISON, "2013-07-01", replaced=YES), "2019-07-01", "2019-07-01",
     None, None, "218-ФЗ: замена кончилась до 03.08.2013 — преступление раньше, прежние 6 лет"),

    # ---- suspended sentence: the verdict day plus the probation period (УК ст. 73 ч. 3, 74 ч. 2)
    ("S1", A("deti-polovye", "sredney", SUSPENDED, verdict="2024-08-31", months=6), "2025-03-01",
     "2025-03-01", None, None, "31.08 + 6 месяцев: 31 февраля нет — 1 марта, позже, не раньше"),
    ("S2", A("narkotiki", "sredney", SUSPENDED, verdict="2022-03-15", months=42), "2025-09-15", "2025-09-15",
     "deti:closed pedagog:- taksi:open bus:open oruzhie:lifted gos:lifted", "yes",
     "3 года 6 месяцев условно; КДН для средней тяжести после погашения"),
    ("S3", A("alimenty", "nebolshoy", SUSPENDED, verdict="2025-06-01", months=12), "2026-06-01",
     "2026-06-01", "deti:closed pedagog:- taksi:open bus:open oruzhie:lifted gos:lifted", "yes",
     "ТК ст. 351.1: ст. 157 — гл. 20 «против семьи и несовершеннолетних», и после погашения"),
    ("S4", A("sobstvennost", "tyazhkoe", SUSPENDED, verdict="2023-12-20", months=48), "2027-12-20",
     "2027-12-20", "deti:closed_if pedagog:closed_if taksi:closed_if bus:open oruzhie:closed_if gos:closed",
     None, "УК ст. 74 ч. 2: 3 года + продление на 1 год"),
    ("S5", A("sobstvennost", "nebolshoy", SUSPENDED, minor=True, verdict="2025-01-10", months=18),
     "2026-07-10", "2026-07-10", None, None, "ст. 95 не сокращает условный срок"),
    ("S6", A("zhizn-zdorove", "nebolshoy", SUSPENDED, verdict="2024-02-29", months=24), "2026-03-01",
     "2026-03-01", None, None, "29.02 + 2 года — 1 марта"),

    # ---- crimes before 18 (УК ст. 95)
    ("M1", A("sobstvennost", "nebolshoy", MILDER, "2026-03-01", minor=True), "2026-09-01", "2026-09-01", None,
     None, "УК ст. 95 п. «а»: 6 месяцев после наказания мягче лишения свободы"),
    ("M2", A("zhizn-zdorove", "osobo-tyazhkoe", PRISON, "2020-05-05", minor=True), "2023-05-05",
     "2023-05-05", None, None, "УК ст. 95 п. «в»: 3 года и за особо тяжкое"),
    ("M3", A("obshchestvennaya-bezopasnost", "nebolshoy", PRISON, "2026-06-30", minor=True), "2027-06-30",
     "2027-06-30", None, None, "УК ст. 95 п. «б»: 1 год"),
    ("M4", A("sobstvennost", UNKNOWN, PRISON, "2024-01-15", minor=True),
     {("nebolshoy", None): "2025-01-15", ("sredney", None): "2025-01-15", ("tyazhkoe", None): "2027-01-15",
      ("osobo-tyazhkoe", None): "2027-01-15"}, "2027-01-15", None, None,
     "УК ст. 95: категория не известна — 1 или 3 года; 218-ФЗ ст. 95 не менял"),
    ("M5", A("sobstvennost", "sredney", MILDER, "2024-08-31", minor=True), "2025-03-01", "2025-03-01", None,
     None, "31.08 + 6 месяцев → 1 марта"),

    # ---- 29 February
    ("F1", A("zhizn-zdorove", "tyazhkoe", PRISON, "2024-02-29", minor=True), "2027-03-01", "2027-03-01",
     None, None, "ст. 95: 29.02.2024 + 3 года → 1 марта"),
    ("F2", A("sobstvennost", "nebolshoy", MILDER, "2027-11-01", additional=YES, additional_end="2028-02-29"),
     "2029-03-01", "2029-03-01", None, None, "запрет до 29.02.2028 + 1 год → 1 марта"),
    ("F3", A("sobstvennost", "nebolshoy", SUSPENDED, verdict="2023-02-28", months=12), "2024-02-28",
     "2024-02-28", None, None, "28.02 + 1 год — 28.02, хотя 2024 високосный"),
    ("F4", A("narkotiki", "tyazhkoe", PRISON, "2028-02-29", before=False), "2036-02-29", "2036-02-29", None,
     None, "29.02.2028 + 8 лет — 29.02.2036"),

    # ---- 3 August 2013
    ("Y1", A("zhizn-zdorove", "osobo-tyazhkoe", PRISON, "2013-08-02"), "2021-08-02", "2021-08-02", None,
     None, "218-ФЗ: вышел 02.08.2013 — прежние 8 лет без вопроса"),
    ("Y2", A("sobstvennost", "osobo-tyazhkoe", MILDER, "2015-05-05", before=True), "2023-05-05", "2023-05-05",
     None, None, "УК ст. 86 ч. 3 «д» (прежние 8 лет) при наказании мягче лишения свободы — поздний вариант"),
    ("Y3", A("sobstvennost", "osobo-tyazhkoe", MILDER, "2020-01-01", before=False), "2030-01-01",
     "2030-01-01", None, None, "УК ст. 86 ч. 3 «д»: 10 лет — более поздний из двух вариантов прочтения"),
    ("Y4", A("sobstvennost", "tyazhkoe", PRISON, "2014-01-01", additional=YES, additional_end="2015-01-01"),
     {("tyazhkoe", True): "2021-01-01", ("tyazhkoe", False): "2023-01-01"}, "2021-01-01", None, None,
     "218-ФЗ: «не знаю» — обе даты, от конца дополнительного наказания (на деле до 2013)"),
    ("Y5", A("zhizn-zdorove", "tyazhkoe", PRISON, "2013-08-03", minor=True), "2016-08-03", "2016-08-03",
     None, None, "ст. 95: 218-ФЗ сроки для несовершеннолетних не менял — вопрос о 2013 не нужен"),
]


def _option_dates(outcome):
    return {(o.category, o.before_change): o.date for o in outcome.options}


@pytest.mark.parametrize(("case", "given", "shown", "lawful", "bans", "kdn", "article"), CASES,
                         ids=[case[0] for case in CASES])
def test_the_day_is_the_lawful_one_and_never_earlier_than_the_law(case, given, shown, lawful, bans, kdn,
                                                                   article):
    outcome = expungement(RULES, given, TODAY)
    lawful = D(lawful)
    if isinstance(shown, dict):
        assert outcome.date is None, article
        assert _option_dates(outcome) == {key: D(day) for key, day in shown.items()}, article
        # the row for the person's real situation is the lawful day; lighter rows are conditional
        assert lawful in outcome.dates, article
    else:
        assert outcome.date == D(shown), article
        assert expungement_date(RULES, given) == D(shown), article
        if outcome.earliest:
            assert outcome.date <= lawful, article  # «не раньше» a day that is not after the law's
        else:
            assert outcome.date == lawful, article
    # never early: no exact day before the lawful one, and «погашена» only when the law says so
    assert outcome.earliest or isinstance(shown, dict) or outcome.date >= lawful, article
    if outcome.expunged is True:
        assert lawful < TODAY, article
    if bans is not None:
        assessed = {a.ban.id: a for a in assess_all(RULES, given.kind, given.category,
                                                     expunged=outcome.expunged)}
        got = {ban.id: (assessed[ban.id].status if ban.id in assessed else None) for ban in RULES.bans}
        assert got == statuses(bans), article
        children = assessed["deti"]
        assert children.status in ("open", "closed_if", "lifted") or children.exception == kdn, article


def test_the_table_covers_the_review_and_twenty_more_hard_cases():
    ids = [case[0] for case in CASES]
    assert {"T18", "T20", "T21", "T22", "T23"} <= set(ids)
    new = [i for i in ids if i[0] in "AZSMFY"]
    assert len(new) >= 20
    givens = [case[1] for case in CASES]
    assert sum(1 for g in givens if g.additional != NO) >= 6
    assert sum(1 for g in givens if g.replaced in (YES, UNKNOWN)) >= 4
    assert sum(1 for g in givens if g.sentence == SUSPENDED) >= 8
    assert sum(1 for g in givens if g.minor) >= 8
    leap = [g for g in givens if any(d and (d.month, d.day) == (2, 29)
                                     for d in (g.end, g.verdict, g.additional_end))]
    assert len(leap) >= 8
    ends = [g.main_end for g in givens]
    assert any(e < date(2013, 8, 3) for e in ends) and any(e >= date(2013, 8, 3) for e in ends)
    assert {g.kind for g in givens} == {k.id for k in RULES.kinds}


# ---------------------------------------------------------------- the pieces of the date

def test_the_period_runs_from_the_later_end_of_the_main_and_the_additional_punishment():
    main_later = A("sobstvennost", "sredney", PRISON, "2021-01-20", additional=YES, additional_end="2020-12-01")
    extra_later = A("sobstvennost", "sredney", PRISON, "2021-01-20", additional=YES, additional_end="2022-01-20")
    assert expungement(RULES, main_later, TODAY).start_from == "release"
    outcome = expungement(RULES, extra_later, TODAY)
    assert outcome.start_from == "additional" and outcome.start == D("2022-01-20")
    assert outcome.date == D("2025-01-20")


def test_not_knowing_about_an_additional_punishment_gives_no_later_than_claim_and_says_so_above():
    outcome = expungement(RULES, A("sobstvennost", "nebolshoy", MILDER, "2025-03-01", additional=UNKNOWN),
                          TODAY)
    assert outcome.earliest and outcome.expunged is None  # the day has passed, but that proves nothing
    assert outcome.conditions == ("additional-unknown",)
    future = expungement(RULES, A("sobstvennost", "nebolshoy", MILDER, "2026-03-01", additional=UNKNOWN),
                         TODAY)
    assert future.earliest and future.expunged is False


def test_a_replacement_counts_from_its_end_with_the_longer_prison_periods_and_says_so():
    outcome = expungement(RULES, A("sobstvennost", "sredney", PRISON, "2024-05-01", replaced=YES), TODAY)
    assert outcome.start_from == "replacement" and outcome.date == D("2027-05-01")
    assert "replacement-period" in outcome.conditions
    assert RULES.conditions["replacement-period"].confidence == "средняя"  # the page says: check it
    assert "с его конца" in RULES.conditions["replacement-unknown"].text
    assert "а не со дня выхода" in RULES.replacement.text


def test_parole_still_counts_from_the_day_of_release_and_the_old_wording_is_gone():
    assert "со дня выхода" in RULES.parole.text
    assert "заменили более мягким, срок считают с того дня, когда вы вышли" not in RULES.parole.text


def test_a_suspended_sentence_ends_on_the_verdict_day_plus_the_period_and_warns_about_extensions():
    outcome = expungement(RULES, A("zhizn-zdorove", "sredney", SUSPENDED, verdict="2025-02-10", months=24),
                          TODAY)
    assert outcome.start == D("2027-02-10") and outcome.start_from == "probation"
    assert outcome.conditions == ("probation-extension",)
    assert "74" in RULES.conditions["probation-extension"].article
    assert "не больше чем на 1 год" in RULES.suspended.text


def test_a_suspended_sentence_with_a_longer_additional_punishment_says_the_plenum_rule_above():
    outcome = expungement(RULES, A("transport", "nebolshoy", SUSPENDED, verdict="2023-04-05", months=12,
                                   additional=YES, additional_end="2026-04-21"), TODAY)
    assert outcome.conditions == ("probation-extension", "suspended-additional")
    assert outcome.start_from == "additional"


def test_crimes_before_18_get_the_article_95_periods():
    def months(sentence, category):
        return RULES.period(True, sentence, category).months
    assert months(MILDER, "nebolshoy") == 6 and months(MILDER, "osobo-tyazhkoe") == 6
    assert [months(PRISON, c) for c in ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe")] == [12, 12, 36, 36]
    assert months(SUSPENDED, UNKNOWN) == 0
    assert all(RULES.period(True, s, c).months_before_change is None
               for s in (PRISON, MILDER, SUSPENDED) for c in ("nebolshoy", "tyazhkoe"))


def test_a_milder_sentence_for_an_especially_grave_crime_takes_the_later_reading_and_says_so():
    outcome = expungement(RULES, A("sobstvennost", "osobo-tyazhkoe", MILDER, "2020-01-01", before=False), TODAY)
    assert outcome.date == D("2030-01-01")
    assert outcome.conditions == ("milder-especially-grave",)
    unknown = expungement(RULES, A("sobstvennost", UNKNOWN, MILDER, "2020-01-01", before=False), TODAY)
    assert _option_dates(unknown) == {("nebolshoy", None): D("2021-01-01"), ("sredney", None): D("2021-01-01"),
                                      ("tyazhkoe", None): D("2021-01-01"),
                                      ("osobo-tyazhkoe", False): D("2030-01-01")}


def test_unknown_2013_answer_shows_both_periods_and_cannot_tell_if_expunged():
    outcome = expungement(RULES, A("sobstvennost", "tyazhkoe", PRISON, "2020-01-01"), TODAY)
    assert [(o.before_change, o.date) for o in outcome.options] == [(True, D("2026-01-01")),
                                                                     (False, D("2028-01-01"))]
    assert outcome.expunged is None


def test_old_law_is_reported_when_the_pre_2013_period_was_applied():
    outcome = expungement(RULES, A("sobstvennost", "tyazhkoe", PRISON, "2014-01-01", before=True), TODAY)
    assert outcome.old_law and outcome.date == D("2020-01-01")
    assert "6 лет" in outcome.period.text_before_change


def test_expunged_means_the_day_has_passed_not_that_it_is_today():
    def outcome(end):
        return expungement(RULES, A("sobstvennost", "nebolshoy", MILDER, end), TODAY)
    on_the_day = outcome("2025-11-26")
    assert on_the_day.date == TODAY and on_the_day.expunged is False
    assert outcome("2025-11-25").expunged is True


@pytest.mark.parametrize(("start", "months", "expected"), [
    ("2020-02-29", 12, "2021-03-01"),   # not a leap year: the later day, 1 March
    ("2020-02-29", 48, "2024-02-29"),   # leap to leap: the same day
    ("2020-02-29", 72, "2026-03-01"),
    ("2020-02-29", 0, "2020-02-29"),
    ("2021-02-28", 36, "2024-02-28"),   # 28 February stays 28 February, even in a leap year
    ("2024-08-31", 6, "2025-03-01"),    # no 31 February: 1 March
    ("2024-03-31", 1, "2024-05-01"),    # no 31 April: 1 May
    ("2024-12-31", 2, "2025-03-01"),
    ("2024-07-31", 5, "2024-12-31"),    # the day exists: no shift
    ("2023-12-31", 120, "2033-12-31"),
    ("2024-11-30", 3, "2025-03-01"),
])
def test_adding_months_never_lands_on_an_earlier_day_than_the_law_could_mean(start, months, expected):
    assert add_months(D(start), months) == D(expected)


def test_add_years_is_add_months_times_twelve():
    assert add_years(D("2020-02-29"), 6) == D("2026-03-01") == add_months(D("2020-02-29"), 72)


@pytest.mark.parametrize(("text", "expected"), [
    ("2024-03-15", "2024-03-15"), ("15.03.2024", "2024-03-15"), ("5.3.2024", "2024-03-05"),
    (" 15. 03. 2024 ", "2024-03-15"), ("15/03/2024", "2024-03-15"), ("15-03-2024", "2024-03-15"),
    ("29.02.2024", "2024-02-29"),
])
def test_dates_are_read_from_the_date_picker_and_from_typed_text(text, expected):
    assert parse_date(text) == D(expected)


@pytest.mark.parametrize("text", ["", "31.02.2024", "29.02.2023", "15.13.2024", "2024", "15.03.24", "завтра",
                                  "0000-01-01", "15.03.2024.", "2024-03-15T10:00"])
def test_impossible_or_unclear_dates_are_refused(text):
    with pytest.raises(ValueError):
        parse_date(text)


# ---------------------------------------------------------------- which work stays closed

def assessed(kind, category, expunged=False):
    return {a.ban.id: a for a in assess_all(RULES, kind, category, expunged)}


def test_drug_convictions_close_work_with_children_for_life_chapter_25():
    assert RULES.kind("narkotiki").groups == ("zdorove-naseleniya",)
    assert RULES.groups["zdorove-naseleniya"].chapter == 25
    for category in ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe"):
        children = assessed("narkotiki", category, expunged=True)["deti"]
        assert children.status == "closed" and children.after == "stays"
    assert assessed("narkotiki", "sredney", expunged=True)["deti"].exception == "yes"   # КДН: small/medium
    assert assessed("narkotiki", "tyazhkoe", expunged=True)["deti"].exception == "no"   # ст. 228 ч. 2: never


def test_alimony_non_payment_is_a_kind_in_chapter_20_and_closes_work_with_children():
    kind = RULES.kind("alimenty")
    assert "157" in kind.label("ru") and kind.groups == ("semya-deti",)
    assert RULES.groups["semya-deti"].chapter == 20
    children = assessed("alimenty", "nebolshoy", expunged=True)["deti"]
    assert children.status == "closed" and children.exception == "yes"


def test_an_unexpunged_grave_theft_closes_work_with_children_through_article_331():
    children = assessed("sobstvennost", "tyazhkoe")["deti"]
    assert children.status == "closed_if" and [c.kind for c in children.conditions] == ["intent"]
    assert children.after == "lifted" and children.exception is None
    assert "158" in children.notes[0]
    assert assessed("sobstvennost", "tyazhkoe", expunged=True)["deti"].status == "lifted"
    assert assessed("sobstvennost", "sredney")["deti"].status == "open"
    ban = RULES.ban("deti")
    assert "ст. 158" in ban.rule.text and "пока судимость не погашена" in ban.rule.text.lower()
    assert "331" in ban.rule.article


def test_the_article_331_clause_shows_under_a_chapter_ban_that_is_not_certain():
    children = assessed("drugoe", "tyazhkoe")["deti"]
    assert children.status == "closed_if"   # at least while unexpunged, whatever the chapter
    assert [extra.status for extra in children.also] == ["closed_if"]


def test_drunk_driving_is_chapter_27_which_no_chapter_ban_lists():
    bans = assessed("transport", "nebolshoy")
    assert bans["deti"].status == "open" and bans["taksi"].status == "open"
    assert RULES.groups["transport"].chapter == 27


def test_taxi_covers_medium_gravity_as_the_official_text_says_and_no_longer_warns():
    taxi = {a.ban.id: a for a in closed_jobs(RULES, "obshchestvennaya-bezopasnost", "sredney")}["taksi"]
    assert taxi.status == "closed" and taxi.notes == ()
    assert RULES.ban("taksi").rule.sources[0].url.startswith("http://pravo.gov.ru/")


def test_conditions_name_what_must_be_true_for_a_conditional_ban():
    taxi = {a.ban.id: a for a in closed_jobs(RULES, "deti-polovye", UNKNOWN)}["taksi"]
    assert [c.kind for c in taxi.conditions] == ["category", "subject"]
    assert taxi.conditions[0].values == ("sredney", "tyazhkoe", "osobo-tyazhkoe")
    sexual = "Преступления против половой неприкосновенности и половой свободы"
    assert taxi.conditions[1].values == (("chapter", sexual),)
    robbery = {a.ban.id: a for a in closed_jobs(RULES, "sobstvennost", "tyazhkoe")}["taksi"]
    assert robbery.conditions[0].values == (("crime", "это грабёж или разбой"),)


def test_expungement_keeps_the_children_ban_and_says_the_guard_ban_is_unknown():
    after = {a.ban.id: a.after for a in closed_jobs(RULES, "zhizn-zdorove", "nebolshoy", expunged=True)}
    assert after["deti"] == "stays" and after["ohrana"] == "unknown" and after["gossluzhba"] == "lifted"
    assert assessed("zhizn-zdorove", "nebolshoy", expunged=True)["gossluzhba"].status == "lifted"


def test_weapons_ban_stays_after_expungement_only_for_grave_crimes():
    def after(category):
        return assessed("sobstvennost", category)["oruzhie"].after
    assert [after(c) for c in ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe", UNKNOWN)] == [
        "lifted", "lifted", "stays", "stays", "depends"]
    assert "сверьте" in RULES.ban("oruzhie").after_note  # m4: the wording changed, no firm promise


def test_every_ban_is_either_open_or_closed_never_both():
    for kind in RULES.kinds:
        for category in ("nebolshoy", "sredney", "tyazhkoe", "osobo-tyazhkoe", UNKNOWN):
            closed = {a.ban.id for a in closed_jobs(RULES, kind.id, category)}
            opened = {a.ban.id for a in open_jobs(RULES, kind.id, category)}
            assert not closed & opened
            assert "gossluzhba" in closed  # 79-ФЗ ст. 16: any conviction until it is expunged


def test_the_short_answer_sorts_bans_into_forever_until_maybe_and_open_again():
    forever, until, maybe, lifted = summary(assess_all(RULES, "narkotiki", "tyazhkoe"))
    assert [a.ban.id for a in forever] == ["deti"]
    assert [a.ban.id for a in until] == ["gossluzhba"]
    assert {a.ban.id for a in maybe} == {"ohrana", "oruzhie"}  # intent; facts-missing bans stay in details
    assert lifted == []
    forever, until, maybe, lifted = summary(assess_all(RULES, "sobstvennost", "nebolshoy", expunged=True))
    assert forever == [] and until == [] and {a.ban.id for a in lifted} == {"gossluzhba", "oruzhie"}


def test_ban_and_group_ids_stay_stable_for_the_vacancy_classification():
    assert [b.id for b in RULES.bans] == ["deti", "pedagog", "taksi", "obshchestvennyy-transport", "ohrana",
                                         "oruzhie", "gossluzhba", "munsluzhba", "silovye"]
    assert set(RULES.groups) == {"sobstvennost", "zhizn-zdorove", "svoboda-chest", "polovye", "semya-deti",
                                 "zdorove-naseleniya", "konstitutsiya", "mir", "obshchestvennaya-bezopasnost",
                                 "transport"}
    assert [k.id for k in RULES.kinds] == ["sobstvennost", "zhizn-zdorove", "narkotiki", "deti-polovye",
                                          "alimenty", "obshchestvennaya-bezopasnost", "transport", "drugoe"]


# ---------------------------------------------------------------- sources and wording

def _every_rule():
    return ([ban.rule for ban in RULES.bans] + [rule for _id, rule in RULES.employer]
            + [b.exception.rule for b in RULES.bans if b.exception]
            + [RULES.expungement, RULES.minors, RULES.chapters, RULES.category_rule, RULES.court_ban,
               RULES.obligations] + list(RULES.explained.values()) + list(RULES.conditions.values()))


def test_every_rule_names_an_article_and_a_source_from_the_facts_files():
    for ban in RULES.bans:
        assert ban.rule.sources or ban.unknown, ban.id
    for rule in _every_rule():
        assert rule.article and rule.facts
    facts = [ROOT.parent / "shared" / "facts" / name for name in ("facts-ru.md", "facts-ru-2026-12.md")]
    if not all(f.exists() for f in facts):
        pytest.skip("the shared facts files are not next to this checkout")
    text = "\n".join(f.read_text(encoding="utf-8") for f in facts)
    for rule in _every_rule():
        for source in rule.sources:
            parts = urlsplit(source.url)
            tail = (parts.path + (f"?{parts.query}" if parts.query else ""))[-25:]
            assert parts.netloc in text and tail in text, f"{source.url} is not a source in the facts files"


def test_official_texts_come_first_and_no_foreign_reprint_is_left():
    for rule in _every_rule():
        order = [("law", "authority", "other").index(s.type) for s in rule.sources]
        assert order == sorted(order), rule.article
    urls = [s.url for rule in _every_rule() for s in rule.sources]
    assert not [u for u in urls if urlsplit(u).netloc.endswith((".by", ".ua", ".kz"))]
    statements = [RULES.expungement, RULES.minors, RULES.parole, RULES.replacement, RULES.additional,
                  RULES.suspended, RULES.effect, RULES.ban("deti").rule, RULES.ban("taksi").rule,
                  RULES.employer[0][1], RULES.employer[1][1]]
    for rule in statements:  # codes with an official text cite it first
        assert rule.sources[0].type == "law", rule.article


def test_absolute_promises_are_softened():
    refusal = dict(RULES.employer)["otkaz"].text
    assert "письменной форме" in refusal and "7 рабочих дней" in refusal and "доказать это трудно" in refusal
    assert "отказать из-за судимости нельзя" not in refusal
    assert "бесплатн" in dict(RULES.employer)["besplatno"].text
    assert "уточните у юриста" in RULES.ban("deti").work  # M5: medicine and social care not settled
    assert "возместили вред" in RULES.court.text  # ст. 86 ч. 5 in the official text requires it


# ---------------------------------------------------------------- the questions

def test_the_questions_follow_the_sentence():
    assert needed_fields({"nakazanie": PRISON, "tyazhest": "sredney"}, RULES) == (
        "vid", "tyazhest", "vozrast", "nakazanie", "zamena", "data", "dop")
    assert needed_fields({"nakazanie": SUSPENDED}, RULES) == (
        "vid", "tyazhest", "vozrast", "nakazanie", "prigovor", "srok", "dop")
    assert needed_fields({"nakazanie": MILDER, "tyazhest": "nebolshoy", "dop": YES}, RULES) == (
        "vid", "tyazhest", "vozrast", "nakazanie", "data", "dop", "dop_data")


def test_2013_question_is_asked_only_when_it_can_change_the_date():
    assert "do2013" in needed_fields({}, RULES)
    assert "do2013" in needed_fields({"nakazanie": PRISON, "tyazhest": "tyazhkoe"}, RULES)
    assert "do2013" in needed_fields({"nakazanie": PRISON, "tyazhest": UNKNOWN}, RULES)
    assert "do2013" in needed_fields({"nakazanie": MILDER, "tyazhest": "osobo-tyazhkoe"}, RULES)
    assert "do2013" not in needed_fields({"nakazanie": MILDER, "tyazhest": "tyazhkoe"}, RULES)
    assert "do2013" not in needed_fields({"nakazanie": PRISON, "tyazhest": "sredney"}, RULES)
    assert "do2013" not in needed_fields({"nakazanie": SUSPENDED, "tyazhest": "tyazhkoe"}, RULES)
    assert "do2013" not in needed_fields({"nakazanie": PRISON, "tyazhest": "tyazhkoe", "vozrast": "do-18"},
                                         RULES)
    assert "do2013" not in needed_fields({"nakazanie": PRISON, "tyazhest": "tyazhkoe", "data": "2013-08-02"},
                                         RULES)
    assert "do2013" in needed_fields({"nakazanie": PRISON, "tyazhest": "tyazhkoe", "data": "2013-08-03"},
                                     RULES)


def test_next_question_is_the_first_unanswered_and_an_empty_submission_is_a_problem():
    assert next_question({}, RULES, TODAY).current == "vid"
    step = next_question({"shag": "vid"}, RULES, TODAY)
    assert step.current == "vid" and step.problems == {"vid": "missing"}
    step = next_question({"vid": "narkotiki", "shag": "vid"}, RULES, TODAY)
    assert step.current == "tyazhest" and not step.problems


def test_back_link_shows_an_answered_question_with_its_answer():
    step = next_question({"vid": "narkotiki", "tyazhest": "sredney", "vopros": "vid"}, RULES, TODAY)
    assert step.current == "vid" and step.values["vid"] == "narkotiki"


def test_complete_answers_have_no_current_question_and_a_canonical_query():
    args = {"do2013": "da", "vid": "narkotiki", "tyazhest": "sredney", "nakazanie": PRISON, "zamena": "net",
            "data": "15.03.2024", "vozrast": "18-i-starshe", "dop": "net", "shag": "dop", "extra": "x"}
    step = next_question(args, RULES, TODAY)
    assert step.current is None
    assert step.answers() == {"vid": "narkotiki", "tyazhest": "sredney", "vozrast": "18-i-starshe",
                              "nakazanie": PRISON, "zamena": "net", "data": "2024-03-15", "dop": "net"}


def test_the_probation_period_is_read_from_years_and_months():
    base = {"vid": "drugoe", "tyazhest": "sredney", "vozrast": "18-i-starshe", "nakazanie": SUSPENDED,
            "prigovor": "2024-01-10"}
    step = next_question({**base, "srok_let": "2", "srok_mes": ""}, RULES, TODAY)
    assert step.current == "dop" and (step.values["srok_let"], step.values["srok_mes"]) == ("2", "0")
    for let, mes, problem in [("", "", "missing"), ("два", "", "number"), ("0", "5", "probation_range"),
                              ("6", "1", "probation_range"), ("1", "12", "probation_range")]:
        step = next_question({**base, "srok_let": let, "srok_mes": mes}, RULES, TODAY)
        assert step.current == "srok" and step.problems == {"srok": problem}, (let, mes)
    step = next_question({**base, "srok_let": "6", "srok_mes": "0", "dop": "net"}, RULES, TODAY)
    assert step.current is None  # 5 years plus a 1-year extension


def test_the_verdict_cannot_be_in_the_future():
    step = next_question({"vid": "drugoe", "tyazhest": "sredney", "vozrast": "18-i-starshe",
                          "nakazanie": SUSPENDED, "prigovor": "2026-11-27"}, RULES, TODAY)
    assert step.current == "prigovor" and step.problems == {"prigovor": "date_future"}


@pytest.mark.parametrize(("value", "problem"), [("31.02.2024", "date_format"), ("01.01.1949", "date_range"),
                                                ("01.01.2100", "date_range"), ("", "missing")])
def test_a_bad_date_is_a_problem_and_is_kept_to_show_back(value, problem):
    step = next_question({"vid": "drugoe", "tyazhest": "sredney", "vozrast": "18-i-starshe",
                          "nakazanie": MILDER, "data": value}, RULES, TODAY)
    assert step.current == "data" and step.problems == {"data": problem} and step.raw["data"] == value


# ---------------------------------------------------------------- the rules file

@pytest.fixture
def rules_copy(tmp_path):
    """rules_copy(change) -> path of a copy of conviction.yaml after `change(data)`."""
    def build(change):
        data = yaml.safe_load(RULES_FILE.read_text(encoding="utf-8"))
        change(data)
        path = tmp_path / "conviction.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        return path
    return build


@pytest.mark.parametrize(("change", "field"), [
    (lambda d: d["bans"][2].pop("article"), "bans[2].article"),
    (lambda d: d["bans"][0].update(sources=["no-such-source"]), "bans[0].sources"),
    (lambda d: d["bans"][1].update(after_expungement="maybe"), "bans[1].after_expungement"),
    (lambda d: d["bans"][0].update(groups=["no-such-group"]), "bans[0].groups"),
    (lambda d: d["bans"][0]["also"][0].pop("text"), "bans[0].also[0].text"),
    (lambda d: d["bans"][0].pop("short"), "bans[0].short"),
    (lambda d: d["expungement"]["adult"][PRISON]["categories"]["tyazhkoe"].update(years="eight"),
     f"expungement.adult.{PRISON}.categories.tyazhkoe.years"),
    (lambda d: d["expungement"]["adult"][PRISON]["categories"]["tyazhkoe"].update(years_before_change=12),
     f"expungement.adult.{PRISON}.categories.tyazhkoe.years_before_change"),
    (lambda d: d["expungement"]["adult"][PRISON]["categories"].pop("sredney"), f"expungement.adult.{PRISON}"),
    (lambda d: d["expungement"]["minors"]["periods"][MILDER].pop("months"), f"expungement.minors.periods.{MILDER}"),
    (lambda d: d["expungement"]["court"].update(confidence="очень"), "expungement.court.confidence"),
    (lambda d: d["expungement"]["conditions"].pop("probation-extension"),
     "expungement.conditions.probation-extension"),
    (lambda d: d.update(reviewed_by_lawyer="вчера"), "reviewed_by_lawyer"),
    (lambda d: d.update(reviewed_by_lawyer=date(2999, 1, 1)), "reviewed_by_lawyer"),
    (lambda d: d["categories"].pop(), "categories"),
    (lambda d: d["kinds"][7].pop("chapter_unknown"), "kinds[7].chapter_unknown"),
    (lambda d: d["bans"][1].update(covered_by="nobody"), "bans[1].covered_by"),
    (lambda d: d["sources"]["rzhev"].update(url="ftp://x"), "sources.rzhev"),
    (lambda d: d["sources"]["rzhev"].update(type="news"), "sources.rzhev"),
    (lambda d: d["guides"].update(obligations="kuda-idti"), "guides.obligations"),
])
def test_a_bad_rules_file_fails_naming_the_file_and_the_field(rules_copy, change, field):
    with pytest.raises(ContentError) as error:
        load_rules(rules_copy(change))
    problems = error.value.problems
    assert any(p.startswith(f"conviction.yaml: поле «{field}»") for p in problems), problems


def test_the_app_refuses_to_start_with_a_bad_rules_file(rules_copy, tmp_path):
    bad = rules_copy(lambda d: d["bans"][0].pop("article"))
    with pytest.raises(ContentError, match="bans\\[0\\].article"):
        create_app({"TESTING": True, "SECRET_KEY": "k" * 40, "DATABASE_URL": f"sqlite:///{tmp_path}/d.db",
                    "SEARCH_INDEX_DIR": str(tmp_path / "idx"), "CONVICTION_RULES_FILE": str(bad)})


def test_an_unreadable_rules_file_fails_naming_the_file(tmp_path):
    broken = tmp_path / "conviction.yaml"
    broken.write_text("bans: [unclosed", encoding="utf-8")
    with pytest.raises(ContentError, match="conviction.yaml: не читается"):
        load_rules(broken)


def test_the_lawyers_review_date_is_empty_until_the_centre_fills_it(rules_copy):
    assert RULES.reviewed_by_lawyer is None
    filled = load_rules(rules_copy(lambda d: d.update(reviewed_by_lawyer=date(2026, 11, 20))), today=TODAY)
    assert filled.reviewed_by_lawyer == date(2026, 11, 20)


def test_a_fixed_rules_file_loads_again(rules_copy, tmp_path):
    path = rules_copy(lambda d: None)
    shutil.copy(path, tmp_path / "again.yaml")
    assert load_rules(tmp_path / "again.yaml").bans == RULES.bans
