from __future__ import annotations

from praja.core.accounts.models import OrgUnit, Position, RoleGrant, User


def list_active_role_grants(user: User):
    """Grants of `user` in the active tenant, cached on the user object for the request."""
    from praja.core.tenancy.context import require_current_tenant

    tenant = require_current_tenant()
    cache = user.__dict__.setdefault("_praja_grants", {})
    if tenant.pk not in cache:
        cache[tenant.pk] = list(RoleGrant.objects.filter(user=user, revoked_at__isnull=True))
    return cache[tenant.pk]


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
