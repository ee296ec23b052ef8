from __future__ import annotations

from django.db.models import prefetch_related_objects

from praja.core.accounts.models import OrgUnit, Position, RoleGrant, User


def list_active_role_grants(user: User):
    """Grants of `user` in the active tenant, cached on the user object for the request."""
    from praja.core.tenancy.context import require_current_tenant

    tenant = require_current_tenant()
    cache = user.__dict__.setdefault("_praja_grants", {})
    if tenant.pk not in cache:
        cache[tenant.pk] = list(RoleGrant.objects.filter(user=user, revoked_at__isnull=True))
    return cache[tenant.pk]


def list_active_role_grants_with_org_units(user: User):
    """`list_active_role_grants` with each scoped grant's org unit loaded (one query for all of them)."""
    grants = list_active_role_grants(user)
    if any(grant.org_unit_id for grant in grants):
        prefetch_related_objects(grants, "org_unit")
    return grants


def list_active_roles_everywhere(user: User) -> list[tuple[int, str]]:
    """(tenant id, role) of each active grant of `user`, in every tenant."""
    grants = RoleGrant.all_tenants.filter(user=user, revoked_at__isnull=True)
    return list(grants.values_list("tenant_id", "role"))


def list_tenants_by_id(tenant_ids):
    """The active tenants among `tenant_ids`, by name."""
    from praja.core.tenancy.models import Tenant

    return Tenant.objects.filter(pk__in=tenant_ids, is_active=True).order_by("name")


def list_tenants_of(user: User):
    from praja.core.tenancy.models import Tenant

    tenant_ids = RoleGrant.all_tenants.filter(user=user, revoked_at__isnull=True).values("tenant_id")
    return Tenant.objects.filter(pk__in=tenant_ids, is_active=True).order_by("name")


def get_supervisor_of(user: User) -> User | None:
    position = Position.objects.filter(holder=user).select_related("supervisor__holder").first()
    if position and position.supervisor and position.supervisor.holder:
        return position.supervisor.holder
    return None


def list_people_with_roles():
    """People holding any active role in the active tenant."""
    user_ids = RoleGrant.objects.filter(revoked_at__isnull=True).values("user_id")
    return User.objects.filter(pk__in=user_ids).order_by("full_name")


def list_org_units():
    return OrgUnit.objects.order_by("code")
