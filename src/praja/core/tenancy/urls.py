"""Reversing tenant URLs: every tenant route carries `tenant_slug`, filled from the context."""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.urls import get_resolver, get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

from praja.core.tenancy.context import require_current_tenant

if TYPE_CHECKING:
    from praja.core.tenancy.models import Tenant


def tenant_reverse(
    view_name: str, *, tenant: Tenant | None = None, args: Any = (), kwargs: dict | None = None
) -> str:
    tenant = tenant or require_current_tenant()
    if args:
        return reverse(view_name, args=[tenant.slug, *args])
    if kwargs:
        return reverse(view_name, kwargs={"tenant_slug": tenant.slug, **kwargs})
    # Navigation reverses the same few names on every page; remember them. The key holds everything
    # reverse() reads besides the name: the resolver object (a new one after clear_url_caches() or
    # another ROOT_URLCONF), the script prefix and the language (translated routes).
    urlconf = get_urlconf()
    return _reverse_without_arguments(
        get_resolver(urlconf), urlconf, get_script_prefix(), get_language(), view_name, tenant.slug
    )


@lru_cache(maxsize=4096)
def _reverse_without_arguments(resolver, urlconf, prefix: str, language, view_name: str, slug: str) -> str:
    return reverse(view_name, urlconf=urlconf, kwargs={"tenant_slug": slug})
