"""Test helpers loaded as pytest plugins from tests/conftest.py (`pytest_plugins`): fixtures live here, so no
test module or conftest imports a fixture from another conftest."""
