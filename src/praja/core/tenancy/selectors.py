"""Tenant look-ups on the hot path of every request, cached per process."""

from __future__ import annotations

import time

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from praja.core.tenancy.models import Tenant, TenantModule

_CACHE_SECONDS = 30.0
_by_slug: dict[str, tuple[float, Tenant | None]] = {}
_by_host: dict[str, tuple[float, Tenant | None]] = {}


def _cached(cache: dict, key: str, load) -> Tenant | None:
    now = time.monotonic()
    hit = cache.get(key)
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    tenant = load()
    cache[key] = (now, tenant)
    return tenant


def get_active_tenant_by_slug(slug: str) -> Tenant | None:
    return _cached(_by_slug, slug, lambda: Tenant.objects.filter(slug=slug, is_active=True).first())


def get_active_tenant_by_host(host: str) -> Tenant | None:
    return _cached(_by_host, host, lambda: Tenant.objects.filter(host_name=host, is_active=True).first())


def list_active_tenants():
    return Tenant.objects.filter(is_active=True).order_by("code")


def get_tenant_by_code_or_slug(value: str) -> Tenant | None:
    return Tenant.objects.filter(code=value).first() or Tenant.objects.filter(slug=value).first()


def list_enabled_modules(tenant: Tenant) -> list[str]:
    return list(
        TenantModule.all_tenants.filter(tenant=tenant, is_enabled=True).values_list("module", flat=True)
    )


def is_module_enabled(tenant: Tenant, module: str) -> bool:
    return TenantModule.all_tenants.filter(tenant=tenant, module=module, is_enabled=True).exists()


def clear_tenant_cache() -> None:
    _by_slug.clear()
    _by_host.clear()


@receiver([post_save, post_delete], sender=Tenant)
def _forget_cached_tenants(**_kwargs) -> None:
    clear_tenant_cache()
