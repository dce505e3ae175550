"""Places fixtures: a place inserted straight into the database, and the staff sign-in of tests/staff."""

import pytest

from tests.helpers.staff import make_staff, sign_in


@pytest.fixture
def staff_client(app, clock):
    """A test client signed in to the staff desk through the real forms."""
    user = make_staff(app)
    client = app.test_client()
    response = sign_in(client, user, clock)
    assert response.status_code == 303
    client.staff = user
    return client
