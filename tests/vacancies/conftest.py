"""Fixtures of the vacancies area: a fake API over real HTTP, and an app whose sync points at it."""
import pytest

from portal.vacancies.demo import sample_records
from tests.conftest import make_app
from tests.vacancies.fake_api import FakeApi


def records_with_quirks(count=250):
    """`count` generated records plus the API's quirks: two duplicates, HTML, one without coordinates or pay."""
    records = sample_records(count, marker="")
    records[3]["duty"] = "<p>Сварка&nbsp;<b>труб</b>.<br>Звонить: +7 (912) 345-67-89, hr@example.org</p>"
    records[5]["addresses"] = {"address": [{"location": "Челябинская область, г Копейск"}]}
    for key in ("salary_min", "salary_max", "salary"):
        records[5].pop(key, None)
    for source in (records[10], records[11]):
        twin = {**source, "id": source["id"][:-4] + "ffff"}
        records.append(twin)
    return records


@pytest.fixture
def fake_api():
    with FakeApi(records_with_quirks()) as api:
        yield api


@pytest.fixture
def vacancy_app(tmp_path, fake_api):
    return make_app(tmp_path, VACANCY_API_URL=fake_api.url, VACANCY_SYNC_BACKOFF=0.01,
                    VACANCY_SYNC_TIMEOUT=0.5, VACANCY_SYNC_RETRIES=2, VACANCY_SYNC_WORKERS=3)
