"""Reversing tenant URLs: every tenant route carries `tenant_slug`, filled from the context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.urls import reverse

from praja.core.tenancy.context import require_current_tenant

if TYPE_CHECKING:
    from praja.core.tenancy.models import Tenant


def tenant_reverse(
    view_name: str, *, tenant: Tenant | None = None, args: Any = (), kwargs: dict | None = None
) -> str:
    tenant = tenant or require_current_tenant()
    if args:
        return reverse(view_name, args=[tenant.slug, *args])
    return reverse(view_name, kwargs={"tenant_slug": tenant.slug, **(kwargs or {})})
