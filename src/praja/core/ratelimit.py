"""Fixed-window counters for what anyone may send or look up without logging in.

One counter per tenant, scope and client address, in the default cache (Redis in production, local
memory on a laptop): a counter lost with the cache only lets a few more requests through, it never
refuses a person wrongly. Modules choose the scope, the limit, the window and the words.
"""

from __future__ import annotations

import contextlib
import time

from django.core.cache import cache


class RateLimited(Exception):
    """Past the limit: `message` says so in the user's language, `retry_after` in seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def client_address(request) -> str:
    """The caller's address as the server sees it (REMOTE_ADDR; the proxy sets it in production)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def _count(tenant, scope: str, key: str, window: int) -> tuple[int, int, str]:
    now = int(time.time())
    bucket = now // window
    cache_key = f"praja:rate:{tenant.pk}:{scope}:{key}:{bucket}"
    # Increment first: every request of a window but its first finds the counter, so one cache
    # operation instead of a failed add and an increment (on Redis one round trip fewer).
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # the window's first request (or the counter was lost with the cache)
        if cache.add(cache_key, 1, window + 60):
            hits = 1
        else:  # another request created it meanwhile
            try:
                hits = cache.incr(cache_key)
            except ValueError:  # and it expired at once
                cache.set(cache_key, 1, window + 60)
                hits = 1
    return hits, (bucket + 1) * window - now, cache_key


def count(*, tenant, scope: str, key: str, window: int) -> tuple[int, int]:
    """Count one request in the current window; return (requests so far in it, seconds left in it)."""
    hits, retry_after, _cache_key = _count(tenant, scope, key, window)
    return hits, retry_after


def hit(*, tenant, scope: str, key: str, limit: int, window: int, message: str) -> None:
    """Count one request; raise RateLimited once `limit` came in the current window.

    `message` is translated text with a `%(minutes)s` placeholder for the wait. A refused request
    uses up nothing, so a limit the tenant raises applies at once.
    """
    hits, retry_after, cache_key = _count(tenant, scope, key, window)
    if hits > limit:
        with contextlib.suppress(ValueError):  # the window ended meanwhile
            cache.decr(cache_key)
        raise RateLimited(message % {"minutes": max(1, -(-retry_after // 60))}, retry_after)
