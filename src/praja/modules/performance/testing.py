"""Test helpers of the performance module and its isolation factories (imported by the walker).

`make_office(tenant, make_user)` builds a perangkat daerah with a chain Kepala Dinas → Kepala Bidang →
two staff, each an Employee; `approved_config(...)` Bandung's configuration in the active tenant.
"""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass

from praja.core.testing.isolation import register_isolation_factory


@dataclass
class Office:
    agency: object
    head: object  # Employee: Kepala Dinas (top of the chain here)
    chief: object  # Employee: Kepala Bidang (supervisor of the staff)
    staff: object  # Employee: Penata Perizinan
    staff2: object  # Employee: Pengadministrasi


def approved_config(effective_from: datetime.date = datetime.date(2026, 1, 1), **overrides):
    from praja.modules.performance.demo import create_config

    return create_config(effective_from=effective_from, **overrides)


def make_office(make_user, *, code: str = "2.18", marker: str = "") -> Office:
    """Positions and employees in the active tenant; `make_user(full_name=..., nip=...)` makes people."""
    from praja.core.accounts.models import OrgUnit, OrgUnitKind, Position, RoleGrant
    from praja.modules.performance.models import Employee
    from praja.modules.performance.permissions import PEGAWAI

    agency = OrgUnit.objects.create(
        code=code,
        name=f"Dinas Penanaman Modal dan PTSP {marker}".strip(),
        short_name="DPMPTSP",
        kind=OrgUnitKind.PERANGKAT_DAERAH,
    )
    people = []
    supervisor = None
    specs = [
        ("Kepala Dinas", 14, "struktural", "head"),
        ("Kepala Bidang Pelayanan Perizinan", 11, "struktural", "chief"),
        ("Penata Perizinan Ahli Muda", 9, "perizinan", "staff"),
        ("Pengadministrasi Perizinan", 6, "administrasi", "staff2"),
    ]
    chief_position = None
    for title, job_class, family, key in specs:
        user = make_user(full_name=f"{title} {marker}".strip())
        parent = chief_position if key == "staff2" else supervisor
        position = Position.objects.create(
            org_unit=agency, title=title, job_class=job_class, supervisor=parent, holder=user
        )
        if key == "chief":
            chief_position = position
        if key in ("head", "chief"):
            supervisor = position
        RoleGrant.objects.create(user=user, role=PEGAWAI.name)
        people.append(
            Employee.objects.create(
                user=user,
                position=position,
                org_unit=agency,
                job_class=job_class,
                job_family=family,
                employment_type="pns",
            )
        )
    return Office(agency, *people)


# --- Isolation factories ---------------------------------------------------------------------------

_nip_serial = itertools.count(5_000_000)


def _office(tenant, marker, make_user):
    from praja.modules.performance.models import Employee

    existing = Employee.objects.filter(position__title="Penata Perizinan Ahli Muda").first()
    if existing is not None:
        return existing

    def user(**fields):
        return make_user(
            tenant, marker, full_name=fields["full_name"], nip=f"19800101{next(_nip_serial):010d}"
        )

    office = make_office(user, code=f"9.{marker[-2:]}", marker=marker)
    return office.staff


def _config(tenant, marker, make_user):
    from praja.modules.performance.models import PerformanceConfig

    existing = PerformanceConfig.objects.first()
    if existing is not None:
        return existing
    return approved_config(legal_basis=f"Perwal {marker}")


@register_isolation_factory("performance.PerformanceConfig")
def _config_factory(tenant, marker, make_user):
    return _config(tenant, marker, make_user)


@register_isolation_factory("performance.JobClassAllowance")
def _allowances(tenant, marker, make_user):
    return list(_config(tenant, marker, make_user).allowances.all())


@register_isolation_factory("performance.Activity")
def _activities(tenant, marker, make_user):
    config = _config(tenant, marker, make_user)
    activity = config.activities.order_by("pk").first()
    activity.name = f"Aktivitas {marker}"
    activity.save(update_fields=["name"])
    return list(config.activities.all())


@register_isolation_factory("performance.Employee")
def _employees(tenant, marker, make_user):
    from praja.modules.performance.models import Employee

    _office(tenant, marker, make_user)
    return list(Employee.objects.all())


def _entry(tenant, marker, make_user):
    from praja.core.workflow.registry import allow_status_assignment
    from praja.modules.performance.models import ActivityEntry

    existing = ActivityEntry.objects.first()
    if existing is not None:
        return existing
    employee = _office(tenant, marker, make_user)
    config = _config(tenant, marker, make_user)
    with allow_status_assignment():
        return ActivityEntry.objects.create(
            employee=employee,
            owner=employee.user,
            config=config,
            date=datetime.date(2026, 3, 2),
            start_time=datetime.time(8, 0),
            end_time=datetime.time(9, 0),
            activity=config.activities.order_by("pk").first(),
            volume=1,
            output=f"Keluaran {marker}",
            claimed_minutes=90,
            credited_minutes=90,
        )


@register_isolation_factory("performance.ActivityEntry")
def _entry_factory(tenant, marker, make_user):
    return _entry(tenant, marker, make_user)


@register_isolation_factory("performance.AttendanceTerminal")
def _terminal(tenant, marker, make_user):
    from praja.modules.performance.models import AttendanceTerminal

    return AttendanceTerminal.objects.first() or AttendanceTerminal.objects.create(
        code=f"mesin-{marker[-2:].lower()}", name=f"Mesin {marker}"
    )


@register_isolation_factory("performance.AttendanceEvent")
def _event(tenant, marker, make_user):
    from praja.modules.performance.models import AttendanceEvent

    employee = _office(tenant, marker, make_user)
    return AttendanceEvent.objects.create(
        employee=employee,
        kind="check_in",
        occurred_at=datetime.datetime(2026, 3, 2, 0, 30, tzinfo=datetime.UTC),
        local_date=datetime.date(2026, 3, 2),
        source="terminal",
        terminal=_terminal(tenant, marker, make_user),
        terminal_event_id=f"ev-{marker}",
    )


@register_isolation_factory("performance.ApelAbsence")
def _apel(tenant, marker, make_user):
    from praja.modules.performance.models import ApelAbsence

    return ApelAbsence.objects.create(
        employee=_office(tenant, marker, make_user), date=datetime.date(2026, 3, 2)
    )


@register_isolation_factory("performance.AbsenceRequest")
def _absence(tenant, marker, make_user):
    from praja.modules.performance.models import AbsenceRequest

    employee = _office(tenant, marker, make_user)
    return AbsenceRequest.objects.create(
        employee=employee,
        owner=employee.user,
        kind="izin",
        start_date=datetime.date(2026, 3, 3),
        end_date=datetime.date(2026, 3, 3),
        reason=f"Keperluan keluarga {marker}",
    )


@register_isolation_factory("performance.AttendanceCorrection")
def _correction(tenant, marker, make_user):
    from praja.modules.performance.models import AttendanceCorrection

    employee = _office(tenant, marker, make_user)
    return AttendanceCorrection.objects.create(
        employee=employee,
        owner=employee.user,
        date=datetime.date(2026, 3, 2),
        kind="check_out",
        corrected_time=datetime.time(16, 5),
        reason=f"Lupa presensi pulang {marker}",
    )
