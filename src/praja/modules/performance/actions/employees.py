"""Registering ASN employees in e-Kinerja and changing their employment status."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from praja.core.accounts.models import RoleGrant
from praja.core.audit.actions import record
from praja.core.permissions.checks import active_roles, has_permission
from praja.core.tenancy.context import require_current_tenant
from praja.modules.performance.models import (
    Employee,
    EmployeeStatus,
    EmploymentType,
)
from praja.modules.performance.permissions import (
    MANAGE_EMPLOYEES,
    PEGAWAI,
)


def _can_manage_employee(actor, org_unit) -> bool:
    return has_permission(actor, MANAGE_EMPLOYEES, org_unit=org_unit)


def register_employee(
    *,
    actor,
    user,
    org_unit,
    job_class: int,
    employment_type: str,
    position=None,
    job_family: str = "",
    status: str = EmployeeStatus.ACTIVE,
    status_reason: str = "",
) -> Employee:
    """Add an ASN employee to e-Kinerja and give them the `performance_pegawai` role.

    A status other than active needs its basis (the SK number) in `status_reason`.
    """
    with transaction.atomic():
        if not (actor and actor.is_authenticated and _can_manage_employee(actor, org_unit)):
            raise PermissionDenied(
                _("Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat menambah pegawai.")
            )
        errors = {}
        tenant = require_current_tenant()
        if not user.nip:
            errors["user"] = _("Pegawai ASN harus memiliki NIP pada akunnya.")
        elif user.home_tenant_id != tenant.pk and not active_roles(user):
            # A civil servant of another region is not this region's to register (nothing crosses
            # tenants); answered like an unknown NIP so nothing about the other region is told.
            errors["user"] = _("Tidak ada akun dengan NIP %(nip)s di daerah ini.") % {"nip": user.nip}
        if not 1 <= int(job_class) <= 17:
            errors["job_class"] = _("Kelas jabatan harus 1 sampai 17.")
        if employment_type not in EmploymentType.values:
            errors["employment_type"] = _("Pilih jenis kepegawaian: PNS, PPPK atau CPNS.")
        if status not in EmployeeStatus.values:
            errors["status"] = _("Pilih status kepegawaian.")
        elif status != EmployeeStatus.ACTIVE and not (status_reason or "").strip():
            errors["status_reason"] = _("Isi dasar perubahan status (nomor SK).")
        if position is not None and position.org_unit_id != org_unit.pk:
            errors["position"] = _("Jabatan itu bukan jabatan di perangkat daerah yang dipilih.")
        if Employee.objects.filter(user=user).exists():
            errors["user"] = _("%(name)s sudah terdaftar sebagai pegawai.") % {"name": user.full_name}
        if errors:
            raise ValidationError(errors)
        employee = Employee.objects.create(
            user=user,
            org_unit=org_unit,
            position=position,
            job_class=int(job_class),
            job_family=job_family,
            employment_type=employment_type,
            status=status,
        )
        if not RoleGrant.objects.filter(user=user, role=PEGAWAI.name, revoked_at__isnull=True).exists():
            RoleGrant.objects.create(user=user, role=PEGAWAI.name, granted_by=actor)
        record(
            "performance.employee_registered",
            actor=actor,
            obj=employee,
            data={
                "user_id": user.pk,
                "org_unit": org_unit.code,
                "job_class": int(job_class),
                "type": employment_type,
                "position": position.pk if position else None,
                "status": status,
                **({"status_reason": status_reason.strip()} if status_reason.strip() else {}),
            },
        )
    return employee


def change_employee_status(*, actor, employee: Employee, status: str, reason: str) -> Employee:
    with transaction.atomic():
        if not (actor and actor.is_authenticated and _can_manage_employee(actor, employee.org_unit)):
            raise PermissionDenied(
                _("Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat mengubah status pegawai.")
            )
        if status not in EmployeeStatus.values:
            raise ValidationError({"status": _("Pilih status kepegawaian.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Isi dasar perubahan status (nomor SK).")})
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        before = employee.status
        employee.status = status
        employee.save(update_fields=["status"])
        record(
            "performance.employee_status_changed",
            actor=actor,
            obj=employee,
            data={"before": before, "after": status, "reason": reason},
        )
    return employee


EDITABLE_FIELDS = ("org_unit", "position", "job_class", "job_family", "employment_type")


def update_employee(*, actor, employee: Employee, values: dict, status_reason: str = "") -> Employee:
    """Change an employee's perangkat daerah, position, class, family, type and/or status in one step.

    The actor must manage both the old and the new perangkat daerah; a status change needs its SK.
    Only changed fields are written and recorded (before/after) on the audit chain.
    """
    with transaction.atomic():
        employee = (
            Employee.objects.select_for_update(of=("self",)).select_related("org_unit").get(pk=employee.pk)
        )
        org_unit = values.get("org_unit", employee.org_unit)
        if not (
            actor
            and actor.is_authenticated
            and _can_manage_employee(actor, employee.org_unit)
            and _can_manage_employee(actor, org_unit)
        ):
            raise PermissionDenied(
                _("Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat mengubah data pegawai.")
            )
        errors = {}
        job_class = values.get("job_class", employee.job_class)
        if not 1 <= int(job_class) <= 17:
            errors["job_class"] = _("Kelas jabatan harus 1 sampai 17.")
        if values.get("employment_type", employee.employment_type) not in EmploymentType.values:
            errors["employment_type"] = _("Pilih jenis kepegawaian: PNS, PPPK atau CPNS.")
        position = values.get("position", employee.position)
        if position is not None and position.org_unit_id != org_unit.pk:
            errors["position"] = _("Jabatan itu bukan jabatan di perangkat daerah yang dipilih.")
        status = values.get("status", employee.status)
        if status not in EmployeeStatus.values:
            errors["status"] = _("Pilih status kepegawaian.")
        elif status != employee.status and not (status_reason or "").strip():
            errors["status_reason"] = _("Isi dasar perubahan status (nomor SK).")
        if errors:
            raise ValidationError(errors)
        changes = {}
        for name in (*EDITABLE_FIELDS, "status"):
            if name not in values:
                continue
            before, after = getattr(employee, name), values[name]
            if name == "job_class":
                after = int(after)
            if before != after:
                changes[name] = (before, after)
                setattr(employee, name, after)
        if not changes:
            return employee
        employee.save(update_fields=list(changes))

        def plain(value):
            return getattr(value, "pk", value)

        record(
            "performance.employee_changed",
            actor=actor,
            obj=employee,
            data={
                "changes": {name: [plain(b), plain(a)] for name, (b, a) in changes.items()},
                **({"status_reason": status_reason.strip()} if "status" in changes else {}),
            },
        )
    return employee
