"""Fixtures of the vacancies area: a fake API over real HTTP, and an app whose sync points at it."""
import pytest

from tests.helpers.app import make_app
from tests.helpers.vacancies import FakeApi, records_with_quirks


@pytest.fixture
def fake_api():
    with FakeApi(records_with_quirks()) as api:
        yield api


@pytest.fixture
def vacancy_app(tmp_path, fake_api):
    return make_app(tmp_path, VACANCY_API_URL=fake_api.url, VACANCY_SYNC_BACKOFF=0.01,
                    VACANCY_SYNC_TIMEOUT=0.5, VACANCY_SYNC_RETRIES=2, VACANCY_SYNC_WORKERS=3)
