"""A fixed-window counter per tenant, scope and client (IP address) for anonymous submissions.

Kept in the default cache (Redis in production, local memory on a laptop): a counter lost with the
cache only lets a few more submissions through, it never refuses a person wrongly.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.utils.translation import gettext as _

WINDOW_SECONDS = 3600


class RateLimited(Exception):
    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def client_key(request) -> str:
    """The caller's address as the server sees it (REMOTE_ADDR; the proxy sets it in production)."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(*, tenant, scope: str, key: str, limit: int, window: int = WINDOW_SECONDS) -> None:
    """Count one submission; raise RateLimited once `limit` were made in the current window."""
    now = int(time.time())
    bucket = now // window
    cache_key = f"praja:feedback-rate:{tenant.pk}:{scope}:{key}:{bucket}"
    cache.add(cache_key, 0, window + 60)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, window + 60)
        count = 1
    if count > limit:
        retry_after = (bucket + 1) * window - now
        raise RateLimited(
            _(
                "Terlalu banyak kiriman dari alamat Anda. Coba lagi dalam %(minutes)s menit, atau "
                "hubungi kantor pelayanan."
            )
            % {"minutes": max(1, retry_after // 60)},
            retry_after,
        )
