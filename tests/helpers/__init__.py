"""Test helpers, the plugins among them loaded by tests/conftest.py (`pytest_plugins`): every fixture and
helper shared by more than one test module lives here, so no test module or conftest imports another."""
