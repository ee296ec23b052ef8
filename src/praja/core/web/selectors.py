"""Reads behind the tenant admin, platform and work-queue pages.

Objects named by id in a URL are fetched through `access_*_by_id`, which looks only in the active
tenant and answers "missing" and "another tenant's" with the same Http404.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.utils import timezone

from praja.core.accounts.models import OrgUnit, OrgUnitKind, Position, RoleGrant, User
from praja.core.accounts.rules import normalize_number
from praja.core.modules.registry import Manifest, all_manifests, get_manifest
from praja.core.tenancy.context import require_current_tenant
from praja.core.tenancy.models import Tenant, TenantModule


def _active_grants():
    return RoleGrant.objects.filter(revoked_at__isnull=True).select_related("org_unit").order_by("role")


def list_officials(query: str = ""):
    """People holding a role in the active tenant, with their active grants, searchable by name or NIP."""
    people = User.objects.filter(pk__in=RoleGrant.objects.filter(revoked_at__isnull=True).values("user_id"))
    query = query.strip()
    if query:
        number = normalize_number(query)
        condition = Q(full_name__icontains=query) | Q(email__iexact=query)
        if number.isdigit():
            condition |= Q(nip__startswith=number)
        people = people.filter(condition)
    return people.prefetch_related(
        Prefetch("role_grants", queryset=_active_grants(), to_attr="active_grants")
    ).order_by("full_name", "pk")


def access_person_by_id(user_id: int) -> User:
    """A person registered in, or holding (or having held) a role in, the active tenant."""
    tenant = require_current_tenant()
    in_tenant = Q(home_tenant=tenant) | Q(pk__in=RoleGrant.objects.values("user_id"))
    person = User.objects.filter(in_tenant, pk=user_id).first()
    if person is None:
        raise Http404
    return person


def list_role_grants_of(person: User):
    return (
        RoleGrant.objects.filter(user=person)
        .select_related("org_unit", "granted_by")
        .order_by("revoked_at", "role")
    )


def access_role_grant_by_id(grant_id: int) -> RoleGrant:
    grant = RoleGrant.objects.filter(pk=grant_id).select_related("user", "org_unit").first()
    if grant is None:
        raise Http404
    return grant


def list_org_units_with_positions():
    positions = Position.objects.select_related("holder", "supervisor").order_by("title")
    return (
        OrgUnit.objects.select_related("parent")
        .prefetch_related(Prefetch("positions", queryset=positions))
        .order_by("code")
    )


def list_perangkat_daerah():
    return OrgUnit.objects.filter(kind=OrgUnitKind.PERANGKAT_DAERAH).order_by("code")


def list_positions():
    return Position.objects.select_related("org_unit", "holder").order_by("org_unit__code", "title")


def access_org_unit_by_id(unit_id: int) -> OrgUnit:
    unit = OrgUnit.objects.filter(pk=unit_id).select_related("parent").first()
    if unit is None:
        raise Http404
    return unit


def access_position_by_id(position_id: int) -> Position:
    position = (
        Position.objects.filter(pk=position_id).select_related("org_unit", "holder", "supervisor").first()
    )
    if position is None:
        raise Http404
    return position


def access_manifest_by_name(name: str) -> Manifest:
    manifest = get_manifest(name)
    if manifest is None:
        raise Http404
    return manifest


@dataclass(frozen=True)
class ModuleRow:
    manifest: Manifest
    is_enabled: bool
    parameters: dict[str, Any]


def list_module_rows() -> list[ModuleRow]:
    """Every registered module with its switch and effective parameters in the active tenant."""
    settings_by_name = {item.module: item for item in TenantModule.objects.all()}
    rows = []
    for manifest in all_manifests():
        item = settings_by_name.get(manifest.name)
        parameters = {**manifest.default_parameters, **(item.parameters if item else {})}
        rows.append(ModuleRow(manifest, bool(item and item.is_enabled), parameters))
    return rows


def list_enabled_manifests() -> list[Manifest]:
    enabled = set(TenantModule.objects.filter(is_enabled=True).values_list("module", flat=True))
    return [manifest for manifest in all_manifests() if manifest.name in enabled]


def list_tenants_for_operator():
    """All tenants, active or not, with their enabled modules and people counted (platform path)."""
    tenants = list(Tenant.objects.order_by("code"))
    modules: dict[int, list[str]] = {}
    for tenant_id, module in (
        TenantModule.all_tenants.filter(is_enabled=True).order_by("module").values_list("tenant_id", "module")
    ):
        modules.setdefault(tenant_id, []).append(module)
    people = dict(
        RoleGrant.all_tenants.filter(revoked_at__isnull=True)
        .values("tenant_id")
        .annotate(count=Count("user_id", distinct=True))
        .values_list("tenant_id", "count")
    )
    for tenant in tenants:
        tenant.enabled_modules = modules.get(tenant.pk, [])
        tenant.people_count = people.get(tenant.pk, 0)
    return tenants


def access_tenant_by_id(tenant_id: int) -> Tenant:
    tenant = Tenant.objects.filter(pk=tenant_id).first()
    if tenant is None:
        raise Http404
    return tenant


@dataclass(frozen=True)
class QueueItem:
    module: str
    title: str
    url: str
    status_label: str
    since: datetime.datetime | None
    sla_days_left: int | None

    @property
    def is_overdue(self) -> bool:
        return self.sla_days_left is not None and self.sla_days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.sla_days_left if self.is_overdue else 0


def _field(item: Any, *names: str) -> Any:
    for name in names:
        value = item.get(name) if isinstance(item, dict) else getattr(item, name, None)
        if value is not None:
            return value
    return None


def _as_datetime(value: Any) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    if isinstance(value, datetime.date):
        return timezone.make_aware(datetime.datetime.combine(value, datetime.time.min))
    return None


def list_work_queue(user: User) -> list[QueueItem]:
    """The official's items from every enabled module, oldest first (first in, first out)."""
    items = []
    for manifest in list_enabled_manifests():
        if manifest.work_queue is None:
            continue
        for raw in manifest.work_queue(user) or ():
            items.append(
                QueueItem(
                    module=manifest.label,
                    title=str(_field(raw, "title") or ""),
                    url=str(_field(raw, "url", "case_url") or ""),
                    status_label=str(_field(raw, "status_label", "status") or ""),
                    since=_as_datetime(_field(raw, "since")),
                    sla_days_left=_field(raw, "sla_days_left"),
                )
            )
    # Items without a start time go last; ties keep the module's own order.
    far_future = timezone.now() + datetime.timedelta(days=36500)
    return sorted(items, key=lambda item: item.since or far_future)
