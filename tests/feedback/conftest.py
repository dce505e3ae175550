"""Feedback fixtures: an app whose widget limit fuzzing cannot reach, same-origin headers, a staff client."""
import pytest

from tests.helpers.app import make_app
from tests.helpers.staff import make_staff, sign_in


@pytest.fixture
def roomy_app(tmp_path):
    """The real app with a widget rate limit no test run can reach (the limit itself is tested separately)."""
    return make_app(tmp_path, FEEDBACK_RATE_LIMIT="100000 per hour")


@pytest.fixture
def roomy_client(roomy_app):
    return roomy_app.test_client()


@pytest.fixture
def staff_client(app, clock):
    """A client signed in to the staff desk through the real two-step login."""
    user = make_staff(app)
    client = app.test_client()
    response = sign_in(client, user, clock)
    assert response.status_code == 303, response.get_data(as_text=True)
    return client
