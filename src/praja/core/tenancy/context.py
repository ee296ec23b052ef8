"""The active tenant of the current request, task or command.

Tenant-owned models refuse to query without one, so forgetting to set it fails loudly instead of
leaking another region's rows.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from praja.core.tenancy.models import Tenant

_current_tenant: contextvars.ContextVar[Tenant | None] = contextvars.ContextVar("praja_tenant", default=None)


class TenantContextMissing(RuntimeError):
    """A tenant-owned model was queried with no active tenant."""


def get_current_tenant() -> Tenant | None:
    return _current_tenant.get()


def require_current_tenant() -> Tenant:
    tenant = _current_tenant.get()
    if tenant is None:
        raise TenantContextMissing(
            "No active tenant. Wrap the code in `use_tenant(tenant)` or use the named cross-tenant path."
        )
    return tenant


@contextmanager
def use_tenant(tenant: Tenant | None) -> Iterator[Tenant | None]:
    token = _current_tenant.set(tenant)
    try:
        yield tenant
    finally:
        _current_tenant.reset(token)


def activate_tenant(tenant: Tenant | None) -> contextvars.Token:
    """Set the tenant until `deactivate_tenant(token)`; for middleware and worker loops."""
    return _current_tenant.set(tenant)


def deactivate_tenant(token: contextvars.Token) -> None:
    _current_tenant.reset(token)
