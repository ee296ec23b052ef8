"""The limit on anonymous complaints and kiosk surveys: per tenant, scope and client address, an hour."""

from __future__ import annotations

from django.utils.translation import gettext as _

from praja.core import ratelimit
from praja.core.ratelimit import RateLimited
from praja.core.ratelimit import client_address as client_key

__all__ = ["RateLimited", "client_key", "hit"]

WINDOW_SECONDS = 3600


def hit(*, tenant, scope: str, key: str, limit: int, window: int = WINDOW_SECONDS) -> None:
    """Count one submission; raise RateLimited once `limit` were made in the current window."""
    ratelimit.hit(
        tenant=tenant,
        scope=f"licensing-feedback:{scope}",
        key=key,
        limit=limit,
        window=window,
        message=_(
            "Terlalu banyak kiriman dari alamat Anda. Coba lagi dalam %(minutes)s menit, atau "
            "hubungi kantor pelayanan."
        ),
    )
