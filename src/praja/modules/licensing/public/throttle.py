"""A per-minute limit per tenant and caller (IP address) on the public tracking look-ups.

Tracking numbers are sequential, so a caller trying many numbers is slowed down: at most
settings.PRAJA_LICENSING_TRACKING_PER_MINUTE look-ups a minute per address (default 60) — many
more than a person checking their own files needs.
"""

from __future__ import annotations

from django.conf import settings

from praja.core.ratelimit import client_address, count

DEFAULT_PER_MINUTE = 60


def per_minute() -> int:
    return int(getattr(settings, "PRAJA_LICENSING_TRACKING_PER_MINUTE", DEFAULT_PER_MINUTE))


def allow(request, *, scope: str = "tracking") -> tuple[bool, int]:
    """Count one look-up; return (allowed, seconds until the window resets)."""
    hits, wait = count(
        tenant=request.tenant, scope=f"licensing-{scope}", key=client_address(request), window=60
    )
    return hits <= per_minute(), wait
