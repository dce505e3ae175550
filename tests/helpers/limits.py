"""`limit_storage`: the rate-limit storage a test runs against — memory, and the real Redis that
scripts/test-services.sh starts (PORTAL_TEST_REDIS_URL), each test under its own key prefix."""
import os
import uuid

import pytest


def _redis_url():
    url = os.environ.get("PORTAL_TEST_REDIS_URL")
    if not url:
        pytest.skip("Redis is not running: `make test` starts it (scripts/test-services.sh)")
    return url


@pytest.fixture(params=["memory", "redis"])
def limit_storage(request):
    """Config overrides that put the app's rate limits in memory or in Redis."""
    uri = "memory://" if request.param == "memory" else _redis_url()
    return {"RATELIMIT_STORAGE_URI": uri, "RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}",
            "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": False}
