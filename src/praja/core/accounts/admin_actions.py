"""Writers a tenant admin uses: officials, the organisation (units, positions) and role grants.

Each action takes keyword-only arguments with `actor` first, runs in the active tenant (the
request's), checks the actor's permission inside its transaction and records an audit event there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from praja.core.accounts.models import OrgUnit, OrgUnitKind, Position, RoleGrant, User
from praja.core.accounts.rules import parse_nip
from praja.core.audit.actions import record
from praja.core.permissions.checks import require
from praja.core.permissions.roles import MANAGE_PEOPLE, MANAGE_ROLES, get_role
from praja.core.tenancy.context import require_current_tenant
from praja.core.tenancy.urls import tenant_reverse

if TYPE_CHECKING:
    from praja.core.tenancy.models import Tenant

OFFICIAL_ROLE = "official"


def password_setup_url(user: User, tenant: Tenant) -> str:
    """The absolute link with which a person chooses a (new) password: Django's reset token."""
    kwargs = {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
    }
    return settings.PRAJA_PUBLIC_BASE_URL.rstrip("/") + tenant_reverse(
        "password-reset-confirm", tenant=tenant, kwargs=kwargs
    )


def _send_password_setup(user: User, tenant: Tenant) -> None:
    from praja.core.notifications.actions import notify

    notify(
        recipient=user,
        template="accounts/password_reset",
        context={
            "reset_url": password_setup_url(user, tenant),
            "tenant_name": tenant.name,
            "is_new_account": True,
        },
        channels=("email",),
    )


def create_official(
    *, actor: User, nip: str, full_name: str, email: str, phone: str = "", org_unit: OrgUnit | None = None
) -> User:
    """Create a civil servant's account in the active tenant, grant `official` and mail a password link."""
    tenant = require_current_tenant()
    email = User.objects.normalize_email(email.strip()).lower()
    errors: dict[str, list] = {}
    try:
        nip = parse_nip(nip).nip
    except ValidationError as error:
        errors["nip"] = error.error_list
    else:
        if User.objects.filter(nip=nip).exists():
            errors["nip"] = [
                ValidationError(_("NIP %(nip)s sudah terdaftar.") % {"nip": nip}, code="nip_exists")
            ]
    if User.objects.filter(email__iexact=email).exists():
        errors["email"] = [
            ValidationError(
                _("Email %(email)s sudah dipakai akun lain.") % {"email": email}, code="email_exists"
            )
        ]
    if not full_name.strip():
        errors["full_name"] = [ValidationError(_("Nama lengkap wajib diisi."), code="required")]
    with transaction.atomic():
        require(actor, MANAGE_PEOPLE)
        if errors:
            raise ValidationError(errors)
        user = User.objects.create_user(
            email=email,
            password=None,
            full_name=full_name.strip(),
            phone=phone.strip(),
            nip=nip,
            home_tenant=tenant,
        )
        grant = RoleGrant.objects.create(user=user, role=OFFICIAL_ROLE, org_unit=org_unit, granted_by=actor)
        record(
            "accounts.official_created",
            actor=actor,
            obj=user,
            data={"user_id": user.pk, "nip": nip, "full_name": user.full_name, "email": email},
        )
        record(
            "accounts.role_granted",
            actor=actor,
            obj=grant,
            data={"user_id": user.pk, "role": OFFICIAL_ROLE, "org_unit": org_unit.code if org_unit else None},
        )
        _send_password_setup(user, tenant)
    return user


def _check_org_unit_fields(
    *, code: str, name: str, kind: str, parent: OrgUnit | None, instance: OrgUnit | None = None
) -> dict[str, list]:
    errors: dict[str, list] = {}
    if not code.strip():
        errors["code"] = [ValidationError(_("Kode wajib diisi."), code="required")]
    elif OrgUnit.objects.filter(code=code.strip()).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["code"] = [
            ValidationError(_("Kode %(code)s sudah dipakai unit lain.") % {"code": code}, code="exists")
        ]
    if not name.strip():
        errors["name"] = [ValidationError(_("Nama wajib diisi."), code="required")]
    if kind == OrgUnitKind.UNIT and parent is None:
        errors["parent"] = [
            ValidationError(
                _("Unit kerja harus berada di bawah sebuah perangkat daerah."), code="parent_required"
            )
        ]
    elif kind == OrgUnitKind.PERANGKAT_DAERAH and parent is not None:
        errors["parent"] = [
            ValidationError(_("Perangkat daerah tidak berada di bawah unit lain."), code="parent_forbidden")
        ]
    # A unit may not sit under itself or under one of its own units.
    ancestor = parent
    while ancestor is not None and instance is not None:
        if ancestor.pk == instance.pk:
            errors["parent"] = [
                ValidationError(_("Unit tidak boleh berada di bawah dirinya sendiri."), code="cycle")
            ]
            break
        ancestor = ancestor.parent
    return errors


def create_org_unit(
    *, actor: User, code: str, name: str, kind: str, short_name: str = "", parent: OrgUnit | None = None
) -> OrgUnit:
    """Add a perangkat daerah (kind `perangkat_daerah`, no parent) or a unit under one."""
    with transaction.atomic():
        require(actor, MANAGE_PEOPLE)
        if errors := _check_org_unit_fields(code=code, name=name, kind=kind, parent=parent):
            raise ValidationError(errors)
        unit = OrgUnit.objects.create(
            code=code.strip(), name=name.strip(), short_name=short_name.strip(), kind=kind, parent=parent
        )
        record(
            "accounts.org_unit_created",
            actor=actor,
            obj=unit,
            data={
                "code": unit.code,
                "name": unit.name,
                "kind": kind,
                "parent": parent.code if parent else None,
            },
        )
    return unit


def update_org_unit(
    *,
    actor: User,
    org_unit: OrgUnit,
    code: str,
    name: str,
    short_name: str = "",
    parent: OrgUnit | None = None,
) -> OrgUnit:
    """Rename, recode or move a unit; its kind stays what it was."""
    with transaction.atomic():
        require(actor, MANAGE_PEOPLE)
        unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
        if errors := _check_org_unit_fields(
            code=code, name=name, kind=unit.kind, parent=parent, instance=unit
        ):
            raise ValidationError(errors)
        before = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "parent": unit.parent.code if unit.parent else None,
        }
        unit.code, unit.name, unit.short_name, unit.parent = (
            code.strip(),
            name.strip(),
            short_name.strip(),
            parent,
        )
        unit.save(update_fields=["code", "name", "short_name", "parent"])
        after = {
            "code": unit.code,
            "name": unit.name,
            "short_name": unit.short_name,
            "parent": parent.code if parent else None,
        }
        record("accounts.org_unit_updated", actor=actor, obj=unit, data={"before": before, "after": after})
    return unit


def delete_org_unit(*, actor: User, org_unit: OrgUnit) -> None:
    """Remove an unused unit; one with units, positions or role grants (even past ones) is refused."""
    with transaction.atomic():
        require(actor, MANAGE_PEOPLE)
        unit = OrgUnit.objects.select_for_update().get(pk=org_unit.pk)
        if (
            unit.children.exists()
            or unit.positions.exists()
            or RoleGrant.objects.filter(org_unit=unit).exists()
        ):
            raise ValidationError(
                _("%(name)s masih memiliki unit, jabatan atau peran di bawahnya; pindahkan atau hapus dulu.")
                % {"name": unit.name},
                code="org_unit_in_use",
            )
        record(
            "accounts.org_unit_deleted", actor=actor, obj=unit, data={"code": unit.code, "name": unit.name}
        )
        unit.delete()


def create_position(
    *,
    actor: User,
    org_unit: OrgUnit,
    title: str,
    job_class: int | None = None,
    supervisor: Position | None = None,
) -> Position:
    """Add a position (jabatan) to a unit, with the position it reports to."""
    with transaction.atomic():
        require(actor, MANAGE_PEOPLE)
        if not title.strip():
            raise ValidationError(
                {"title": [ValidationError(_("Nama jabatan wajib diisi."), code="required")]}
            )
        position = Position.objects.create(
            org_unit=org_unit, title=title.strip(), job_class=job_class, supervisor=supervisor
        )
        record(
            "accounts.position_created",
            actor=actor,
            obj=position,
            data={
                "title": position.title,
                "org_unit": org_unit.code,
                "job_class": job_class,
                "supervisor_id": supervisor.pk if supervisor else None,
            },
        )
    return position


def assign_position_holder(*, actor: User, position: Position, holder: User | None) -> Position:
    """Put `holder` in `position` (None leaves it vacant); the holder must hold a role in this tenant."""
    with transaction.atomic():
        require(actor, MANAGE_PEOPLE)
        position = Position.objects.select_for_update().get(pk=position.pk)
        if holder is not None and not RoleGrant.objects.filter(user=holder, revoked_at__isnull=True).exists():
            raise ValidationError(
                {
                    "holder": [
                        ValidationError(
                            _("%(name)s bukan pegawai di daerah ini.") % {"name": holder},
                            code="not_an_official",
                        )
                    ]
                }
            )
        before = position.holder_id
        position.holder = holder
        position.save(update_fields=["holder"])
        record(
            "accounts.position_holder_assigned",
            actor=actor,
            obj=position,
            data={"before": before, "after": holder.pk if holder else None, "title": position.title},
        )
    return position


# Oversight roles watch the operational ones; the same person may not hold both in one tenant.
_OVERSIGHT_ROLES = frozenset({"inspector", "kpk_monitor"})


def _role_conflict(role: str, held: set[str]) -> str | None:
    if role in _OVERSIGHT_ROLES:
        operational = sorted(held - _OVERSIGHT_ROLES)
        return operational[0] if operational else None
    oversight = sorted(held & _OVERSIGHT_ROLES)
    return oversight[0] if oversight else None


def grant_role(*, actor: User, user: User, role: str, org_unit: OrgUnit | None = None) -> RoleGrant:
    """Grant `role` to `user` in the active tenant, optionally only within one perangkat daerah."""
    with transaction.atomic():
        require(actor, MANAGE_ROLES)
        role_definition = get_role(role)
        if role_definition is None:
            raise ValidationError(
                {
                    "role": [
                        ValidationError(
                            _("Peran %(role)s tidak dikenal.") % {"role": role}, code="unknown_role"
                        )
                    ]
                }
            )
        if user.pk == actor.pk:
            # Nobody widens their own powers; another admin must do it.
            raise PermissionDenied(_("Anda tidak dapat memberi peran kepada diri sendiri."))
        if org_unit is not None and org_unit.kind != OrgUnitKind.PERANGKAT_DAERAH:
            raise ValidationError(
                {
                    "org_unit": [
                        ValidationError(
                            _("Peran dibatasi per perangkat daerah, bukan per unit kerja."),
                            code="not_perangkat_daerah",
                        )
                    ]
                }
            )
        active = RoleGrant.objects.select_for_update().filter(user=user, revoked_at__isnull=True)
        if active.filter(role=role, org_unit=org_unit).exists():
            raise ValidationError(
                _("%(name)s sudah memegang peran %(role)s di sini.")
                % {"name": user, "role": role_definition.label},
                code="already_granted",
            )
        if conflict := _role_conflict(role, set(active.values_list("role", flat=True))):
            raise ValidationError(
                _(
                    "Pemisahan tugas: %(name)s memegang peran %(held)s, "
                    "yang tidak boleh digabung dengan %(role)s."
                )
                % {
                    "name": user,
                    "held": get_role(conflict).label if get_role(conflict) else conflict,
                    "role": role_definition.label,
                },
                code="separation_of_duties",
            )
        grant = RoleGrant.objects.create(user=user, role=role, org_unit=org_unit, granted_by=actor)
        record(
            "accounts.role_granted",
            actor=actor,
            obj=grant,
            data={"user_id": user.pk, "role": role, "org_unit": org_unit.code if org_unit else None},
        )
    return grant


def revoke_role(*, actor: User, grant: RoleGrant) -> RoleGrant:
    """End a role grant (the row stays, with its revocation time, for the record)."""
    with transaction.atomic():
        require(actor, MANAGE_ROLES)
        grant = RoleGrant.objects.select_for_update().get(pk=grant.pk)
        if grant.revoked_at is not None:
            raise ValidationError(_("Peran ini sudah dicabut."), code="already_revoked")
        if grant.user_id == actor.pk:
            raise PermissionDenied(_("Anda tidak dapat mencabut peran Anda sendiri."))
        grant.revoked_at = timezone.now()
        grant.save(update_fields=["revoked_at"])
        record(
            "accounts.role_revoked",
            actor=actor,
            obj=grant,
            data={
                "user_id": grant.user_id,
                "role": grant.role,
                "org_unit": grant.org_unit.code if grant.org_unit else None,
            },
        )
    return grant
