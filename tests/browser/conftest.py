"""Playwright runs Debian's Chromium (never a downloaded browser), as a phone unless a test says otherwise."""
import pytest

from tests.helpers.browser import CHROMIUM_ARGS, PHONE


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, **PHONE}
