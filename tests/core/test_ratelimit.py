"""praja.core.ratelimit: the fixed-window limit every public form and look-up uses."""

import pytest
from django.core.cache import cache

from praja.core import ratelimit

MESSAGE = "Terlalu banyak kiriman. Coba lagi dalam %(minutes)s menit."


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()
    yield
    cache.clear()


def _send(tenant, key="203.0.113.7", limit=2, scope="complaint"):
    ratelimit.hit(tenant=tenant, scope=scope, key=key, limit=limit, window=3600, message=MESSAGE)


def test_past_the_limit_the_caller_is_told_how_long_to_wait(tenant_a):
    _send(tenant_a)
    _send(tenant_a)
    with pytest.raises(ratelimit.RateLimited) as refused:
        _send(tenant_a)
    assert 0 < refused.value.retry_after <= 3600
    minutes = -(-refused.value.retry_after // 60)
    assert refused.value.message == f"Terlalu banyak kiriman. Coba lagi dalam {minutes} menit."


def test_counters_are_per_tenant_scope_and_address(tenant_a, tenant_b):
    _send(tenant_a)
    _send(tenant_a)
    _send(tenant_b)  # another region
    _send(tenant_a, key="203.0.113.8")  # another address
    _send(tenant_a, scope="survey")  # another form
    with pytest.raises(ratelimit.RateLimited):
        _send(tenant_a)


def test_a_refused_request_uses_up_nothing_so_a_raised_limit_applies_at_once(tenant_a):
    _send(tenant_a, limit=1)
    for _attempt in range(3):
        with pytest.raises(ratelimit.RateLimited):
            _send(tenant_a, limit=1)
    _send(tenant_a, limit=2)  # the tenant raised its limit: the second request of the hour passes
    with pytest.raises(ratelimit.RateLimited):
        _send(tenant_a, limit=2)
