"""The public statistics, cached per tenant and year for a few minutes.

Computing them reads every issued application of the tenant once (to count working days); a public
page must not let anyone make the server do that on every request.
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.calendar.selectors import local_date
from praja.modules.licensing.public import selectors

CACHE_SECONDS = 300
FIRST_YEAR = 2000


def parse_year(value) -> tuple[int | None, str]:
    """Return (year or None, error message)."""
    if value in (None, ""):
        return None, ""
    text = str(value).strip()
    if not text.isdigit() or not FIRST_YEAR <= int(text) <= 2100:
        return None, _("Tahun harus berupa angka empat digit, mis. 2026.")
    return int(text), ""


def cached_statistics(tenant, year: int | None) -> list[selectors.PermitTypeStatistics]:
    # created_at tells apart tenants that reuse a primary key (a re-created test database).
    stamp = tenant.created_at.timestamp() if tenant.created_at else 0
    key = f"praja:licensing-statistics:{tenant.pk}:{stamp}:{year or 'all'}"
    rows = cache.get(key)
    if rows is None:
        rows = selectors.list_permit_type_statistics(year)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def current_year(tenant) -> int:
    return local_date(tenant, timezone.now()).year
