"""The test suite's plugins: every shared fixture and helper lives in tests/helpers/ (docs/architecture.md,
«Tests»), so no test module or conftest imports another; tests/test_layers.py keeps it so."""
import pytest

from tests.helpers.pages import page_getter

pytest_plugins = [
    "tests.helpers.app",  # make_app, app, fixture_app, client, runner, postgres_url
    "tests.helpers.clock",  # clock
    "tests.helpers.limits",  # the rate limits' storage, reset between tests
    "tests.helpers.search_builds",  # each distinct search index built once per session
    "tests.helpers.staff",  # staff, signed_in and the sign-in steps
    "tests.helpers.browser",  # live_app, live_server, screenshots
]


@pytest.fixture
def page(client):
    """page(url) / page.post(url, data): a checked page (tests/helpers/pages.py). Defined here, not in the
    plugin, because a conftest fixture wins over pytest-playwright's own `page`."""
    return page_getter(client)
