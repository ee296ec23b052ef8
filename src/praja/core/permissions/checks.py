"""Who may do what: `has_permission` and `require`, used by actions, never only by views."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from praja.core.permissions.roles import get_role
from praja.core.tenancy.context import require_current_tenant

if TYPE_CHECKING:
    from praja.core.accounts.models import OrgUnit, User


def active_roles(user: User, *, org_unit: OrgUnit | None = None) -> set[str]:
    """Roles of `user` in the active tenant (scoped grants count only in their own org unit)."""
    if user is None or not user.is_authenticated:
        return set()
    from praja.core.accounts.selectors import list_active_role_grants

    roles = set()
    for grant in list_active_role_grants(user):
        if grant.org_unit_id is None or org_unit is None or grant.org_unit_id == org_unit.pk:
            roles.add(grant.role)
    return roles


def has_permission(user: User, permission: str, *, org_unit: OrgUnit | None = None) -> bool:
    require_current_tenant()
    for role_name in active_roles(user, org_unit=org_unit):
        role = get_role(role_name)
        if role and permission in role.permissions:
            return True
    return False


def require(user: User, permission: str, *, org_unit: OrgUnit | None = None) -> None:
    if not has_permission(user, permission, org_unit=org_unit):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))


def requires_second_factor(user: User) -> bool:
    """True when any role the user holds in any tenant needs TOTP (approvers, admins)."""
    from praja.core.accounts.models import RoleGrant

    names = set(
        RoleGrant.all_tenants.filter(user=user, revoked_at__isnull=True).values_list("role", flat=True)
    )
    return roles_require_second_factor(user, names)


def roles_require_second_factor(user: User, role_names) -> bool:
    """`requires_second_factor` for role names already read (all of the user's active grants, any tenant)."""
    return user.is_platform_operator or any(
        (role := get_role(name)) is not None and role.requires_second_factor for name in role_names
    )
