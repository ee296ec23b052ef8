"""Who may call an endpoint, in the request's tenant.

The answers match the pages (see praja.core.web.access):
- anonymous: 401 (`not_authenticated`);
- signed in, but a stranger to this tenant (no role here, registered elsewhere): 404, so another
  region's people learn nothing about this one;
- a member without the permission: 403 (`permission_denied`);
- the permission, but a role that needs TOTP and a session that has not proved it: 403
  (`second_factor_required`). A token stands in for the login; it is no second factor for an
  approval, whose call carries the code in the `X-OTP-Code` header (praja.core.api.authentication).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authtoken.models import Token
from rest_framework.permissions import BasePermission

from praja.core.accounts.decorators import is_second_factor_verified
from praja.core.permissions.checks import active_roles, has_permission, requires_second_factor


def is_member_of_tenant(user, tenant) -> bool:
    return user.home_tenant_id == tenant.pk or bool(active_roles(user))


class SecondFactorRequired(exceptions.PermissionDenied):
    default_detail = _("Masuk dengan kode autentikator (TOTP) dulu untuk memakai fungsi ini.")
    default_code = "second_factor_required"


class IsTenantMember(BasePermission):
    """Signed in and registered in, or holding a role in, the request's tenant."""

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        if not is_member_of_tenant(user, request.tenant):
            raise exceptions.NotFound()
        return True


class IsTenantOfficial(IsTenantMember):
    """A member holding any role in the request's tenant (officials, approvers, admins, auditors)."""

    message = _("Hanya pegawai pemerintah daerah ini yang dapat membuka data ini.")

    def has_permission(self, request, view) -> bool:
        return super().has_permission(request, view) and bool(active_roles(request.user))


class HasTenantPermission(IsTenantMember):
    """`permission_classes = [HasTenantPermission.of(MANAGE_PEOPLE)]`."""

    required_permission: str = ""
    message = _("Anda tidak berwenang melakukan tindakan ini.")

    @classmethod
    def of(cls, permission: str) -> type[HasTenantPermission]:
        return type(f"HasTenantPermission[{permission}]", (cls,), {"required_permission": permission})

    def has_permission(self, request, view) -> bool:
        if not super().has_permission(request, view):
            return False
        if not has_permission(request.user, self.required_permission):
            return False
        # A token stands in for a login (an admin who proved their own TOTP issued it); the
        # approvals it makes still need the call's own code (praja.core.api.authentication).
        if (
            requires_second_factor(request.user)
            and not is_second_factor_verified(request.user)
            and not isinstance(request.auth, Token)
        ):
            raise SecondFactorRequired()
        return True
