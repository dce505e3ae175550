"""Employer fixtures: a movable «today», the real sign-up form filled like a browser, a signed-in staff
client (the staff desk's own fixtures), cards inserted straight into the database."""


import pytest

from tests.helpers.employers import TODAY


@pytest.fixture
def today(clock):
    """The shared clock, set to a fixed Chelyabinsk day; `today.day` is that day."""
    clock.set_local(TODAY)
    return clock


