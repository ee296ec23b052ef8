"""The limit on the public "Laporkan" form (page and API): per tenant, client address and grant.

At the tenant's parameter `complaints_per_hour_per_grant` (module "grants") an hour. A person may
report several grants; one address cannot flood one grant's inspectorate queue. Only reports that
would be stored count.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from praja.core import ratelimit

PARAMETER = "complaints_per_hour_per_grant"
DEFAULT_PER_HOUR = 3


def per_hour(tenant) -> int:
    """The tenant's limit; a value below one (the admin form only checks the type) falls back to
    the default, since zero would silence every report."""
    from praja.modules.grants.selectors import get_grants_parameters

    value = get_grants_parameters(tenant).get(PARAMETER)
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return value
    return DEFAULT_PER_HOUR


def check_complaint_rate(request, *, proposal_id: int) -> None:
    """Count one report by this address about this grant; raise RateLimited past the limit."""
    ratelimit.hit(
        tenant=request.tenant,
        scope=f"grants-complaint:{proposal_id}",
        key=ratelimit.client_address(request),
        limit=per_hour(request.tenant),
        window=3600,
        message=_(
            "Terlalu banyak laporan dari alamat Anda tentang hibah ini. Coba lagi dalam %(minutes)s "
            "menit, atau sampaikan langsung ke Inspektorat."
        ),
    )
