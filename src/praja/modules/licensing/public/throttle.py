"""A per-minute counter per tenant and caller (IP address) for the public tracking look-ups.

Tracking numbers are sequential, so a caller trying many numbers is slowed down: at most
settings.PRAJA_LICENSING_TRACKING_PER_MINUTE look-ups a minute per address (default 60) — many
more than a person checking their own files needs. Kept in the default cache (Redis in production):
a lost counter only lets a few more look-ups through.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache

DEFAULT_PER_MINUTE = 60


def per_minute() -> int:
    return int(getattr(settings, "PRAJA_LICENSING_TRACKING_PER_MINUTE", DEFAULT_PER_MINUTE))


def client_address(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, *, scope: str = "tracking") -> tuple[bool, int]:
    """Count one look-up; return (allowed, seconds until the window resets)."""
    now = int(time.time())
    bucket = now // 60
    key = f"praja:licensing-{scope}:{request.tenant.pk}:{client_address(request)}:{bucket}"
    if cache.add(key, 1, 120):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 120)
            count = 1
    return count <= per_minute(), (bucket + 1) * 60 - now
