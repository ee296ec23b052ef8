"""Roles and the permissions they carry. Modules add their own through their manifest.

A role marked `requires_second_factor` (approvers, signers) must enrol TOTP and use it at login.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Role:
    name: str
    label: str
    permissions: frozenset[str] = field(default_factory=frozenset)
    requires_second_factor: bool = False
    read_only: bool = False


# Core permissions
MANAGE_PEOPLE = "core.manage_people"
MANAGE_ROLES = "core.manage_roles"
MANAGE_MODULES = "core.manage_modules"
MANAGE_PARAMETERS = "core.manage_parameters"
MANAGE_CALENDAR = "core.manage_calendar"
VIEW_AUDIT = "core.view_audit"
VIEW_ALL_CASES = "core.view_all_cases"
WORK_QUEUE = "core.work_queue"
APPROVE = "core.approve"
VIEW_PERSONAL_DATA = "core.view_personal_data"

_REGISTRY: dict[str, Role] = {}


def register_role(role: Role) -> Role:
    existing = _REGISTRY.get(role.name)
    if existing and existing != role:
        raise ValueError(f"role {role.name} registered twice with different definitions")
    _REGISTRY[role.name] = role
    return role


def get_role(name: str) -> Role | None:
    return _REGISTRY.get(name)


def all_roles() -> list[Role]:
    return sorted(_REGISTRY.values(), key=lambda role: role.name)


TENANT_ADMIN = register_role(
    Role(
        "tenant_admin",
        _("Admin daerah (Diskominfo)"),
        frozenset(
            {MANAGE_PEOPLE, MANAGE_ROLES, MANAGE_MODULES, MANAGE_PARAMETERS, MANAGE_CALENDAR, VIEW_AUDIT}
        ),
        requires_second_factor=True,
    )
)
OFFICIAL = register_role(Role("official", _("Pegawai (ASN)"), frozenset({WORK_QUEUE})))
APPROVER = register_role(
    Role(
        "approver",
        _("Pejabat penyetuju/penandatangan"),
        frozenset({WORK_QUEUE, APPROVE}),
        requires_second_factor=True,
    )
)
INSPECTOR = register_role(
    Role(
        "inspector",
        _("Inspektorat (APIP)"),
        frozenset({VIEW_AUDIT, VIEW_ALL_CASES}),
        read_only=True,
    )
)
KPK_MONITOR = register_role(
    Role(
        "kpk_monitor",
        _("Pemantau KPK"),
        frozenset({VIEW_AUDIT, VIEW_ALL_CASES}),
        read_only=True,
    )
)
