"""Test helpers of the monthly close and its isolation factories (imported by the walker).

`make_office(tenant, make_person)` builds one perangkat daerah with a head (supervisor), staff, an
approved config (v1 from January 2026) with TPP amounts per class; `add_entry` / `add_attendance`
write activity and attendance rows directly (as P1's actions would leave them).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from praja.core.testing.isolation import register_isolation_factory
from praja.core.workflow.registry import allow_status_assignment

ALLOWANCES = {5: 2_000_000, 7: 3_000_000, 9: 5_000_000, 12: 8_000_000}


@dataclass
class Office:
    tenant: object
    unit: object
    config: object
    head: object  # User holding the supervisor position
    head_employee: object
    staff: list = field(default_factory=list)  # Employees reporting to the head
    users: list = field(default_factory=list)


def make_config(tenant, *, version=1, effective_from=datetime.date(2026, 1, 1), allowances=None, **fields):
    from praja.modules.performance.models import Activity, JobClassAllowance, PerformanceConfig

    with allow_status_assignment():
        config = PerformanceConfig.all_tenants.create(
            tenant=tenant, version=version, effective_from=effective_from, status="approved", **fields
        )
    for job_class, amount in (allowances or ALLOWANCES).items():
        JobClassAllowance.all_tenants.create(tenant=tenant, config=config, job_class=job_class, amount=amount)
    Activity.all_tenants.create(
        tenant=tenant,
        config=config,
        code="surat",
        name="Menyusun konsep surat",
        output_unit="surat",
        standard_minutes=30,
    )
    return config


def make_employee(tenant, user, *, unit, position, job_class=9, employment_type="pns", status="active"):
    from praja.modules.performance.models import Employee

    return Employee.all_tenants.create(
        tenant=tenant,
        user=user,
        position=position,
        org_unit=unit,
        job_class=job_class,
        employment_type=employment_type,
        status=status,
    )


def make_office(tenant, make_person, *, code="1.01", name="Dinas Pendidikan", staff=2, config=True) -> Office:
    from praja.core.accounts.models import OrgUnit, Position
    from praja.core.tenancy.context import use_tenant

    with use_tenant(tenant):
        unit = OrgUnit.objects.create(
            code=code, name=name, short_name=name.split()[-1], kind="perangkat_daerah"
        )
        head = make_person(tenant, roles=["performance_pegawai"], full_name=f"Kepala {name}")
        head_position = Position.objects.create(
            org_unit=unit, title=f"Kepala {name}", job_class=12, holder=head
        )
        cfg = make_config(tenant) if config else None
        head_employee = make_employee(tenant, head, unit=unit, position=head_position, job_class=12)
        office = Office(tenant=tenant, unit=unit, config=cfg, head=head, head_employee=head_employee)
        for index in range(staff):
            user = make_person(tenant, roles=["performance_pegawai"], full_name=f"Staf {name} {index + 1}")
            position = Position.objects.create(
                org_unit=unit, title=f"Analis {index + 1}", job_class=9, supervisor=head_position, holder=user
            )
            office.staff.append(make_employee(tenant, user, unit=unit, position=position, job_class=9))
            office.users.append(user)
    return office


def add_entry(
    employee,
    day: datetime.date,
    start: str = "08:00",
    end: str = "09:00",
    *,
    minutes: int | None = None,
    status: str = "approved",
    approved_minutes: int | None = None,
    validated_by=None,
    created_at: datetime.datetime | None = None,
    validated_at: datetime.datetime | None = None,
    sha256: str = "",
):
    from praja.modules.performance.models import ActivityEntry, PerformanceConfig

    start_time = datetime.time.fromisoformat(start)
    end_time = datetime.time.fromisoformat(end)
    if minutes is None:
        minutes = (end_time.hour * 60 + end_time.minute) - (start_time.hour * 60 + start_time.minute)
    config = PerformanceConfig.all_tenants.filter(tenant_id=employee.tenant_id).order_by("-version").first()
    if approved_minutes is None:
        approved_minutes = (
            minutes if status in ("approved", "adjusted") else (0 if status == "rejected" else None)
        )
    with allow_status_assignment():
        entry = ActivityEntry.all_tenants.create(
            tenant_id=employee.tenant_id,
            employee=employee,
            owner_id=employee.user_id,
            config=config,
            date=day,
            start_time=start_time,
            end_time=end_time,
            is_additional_task=True,
            description="Pekerjaan uji",
            volume=1,
            output="1 dokumen",
            claimed_minutes=minutes,
            credited_minutes=minutes,
            approved_minutes=approved_minutes,
            status=status,
            validated_by=validated_by if status != "submitted" else None,
            validated_at=validated_at,
            evidence_sha256=sha256,
        )
    if created_at is not None:
        ActivityEntry.all_tenants.filter(pk=entry.pk).update(created_at=created_at)
    return entry


def add_attendance(
    employee, day: datetime.date, check_in: str | None = "07:25", check_out: str | None = "16:35"
):
    """Check-in/out at the given tenant-local times of `day`."""
    from praja.modules.performance.models import AttendanceEvent

    zone = ZoneInfo(employee.tenant.timezone)
    for kind, value in (("check_in", check_in), ("check_out", check_out)):
        if value is None:
            continue
        moment = datetime.datetime.combine(day, datetime.time.fromisoformat(value), tzinfo=zone)
        AttendanceEvent.all_tenants.create(
            tenant_id=employee.tenant_id,
            employee=employee,
            kind=kind,
            occurred_at=moment,
            local_date=day,
            source="web",
        )


def full_attendance(employee, working_days, **kwargs):
    for day in working_days:
        add_attendance(employee, day, **kwargs)


# --- isolation factories ---------------------------------------------------------------------------


def _isolation_close(tenant, marker, make_user):
    from praja.core.accounts.models import OrgUnit
    from praja.modules.performance.models import Employee, PerformanceConfig
    from praja.modules.performance.tpp.models import EmployeeMonthResult, IntegritySignal, MonthClose

    config = PerformanceConfig.all_tenants.filter(tenant=tenant).first() or make_config(tenant)
    close = MonthClose.all_tenants.filter(tenant=tenant).first()
    if close is None:
        close = MonthClose.all_tenants.create(
            tenant=tenant,
            month=datetime.date(2026, 5, 1),
            version=1,
            config=config,
            config_version=config.version,
            working_days=19,
        )
    employee = Employee.all_tenants.filter(tenant=tenant).first()
    if employee is None:
        unit = OrgUnit.all_tenants.filter(tenant=tenant).first() or OrgUnit.all_tenants.create(
            tenant=tenant, code=f"iso-{marker}"[:30], name=f"Unit {marker}", kind="perangkat_daerah"
        )
        employee = make_employee(tenant, make_user(tenant, marker), unit=unit, position=None)
    result = EmployeeMonthResult.all_tenants.filter(
        tenant=tenant
    ).first() or EmployeeMonthResult.all_tenants.create(
        tenant=tenant,
        close=close,
        employee=employee,
        user_id=employee.user_id,
        employee_name=f"Pegawai {marker}",
        org_unit_id=employee.org_unit_id,
        job_class=9,
        employment_type="pns",
        pay_status="active",
        approved_minutes=0,
        expected_minutes=5700,
        productivity_percent=Decimal(0),
        deduction_percent=Decimal(0),
        discipline_percent=Decimal(100),
        class_amount=0,
        ceiling=0,
        kinerja_part=0,
        disiplin_part=0,
        gross=0,
        inputs={},
        withheld=[],
    )
    signal = IntegritySignal.all_tenants.filter(tenant=tenant).first() or IntegritySignal.all_tenants.create(
        tenant=tenant,
        kind="paid_while_absent",
        subject_type="employee",
        subject_id=str(employee.pk),
        subject_label=f"Sinyal {marker}",
        month=close.month,
        explanation=f"Sinyal {marker}",
        close=close,
    )
    return close, result, signal


@register_isolation_factory("performance_tpp.monthclose")
def isolation_month_close(tenant, marker, make_user):
    return _isolation_close(tenant, marker, make_user)[0]


@register_isolation_factory("performance_tpp.employeemonthresult")
def isolation_result(tenant, marker, make_user):
    return _isolation_close(tenant, marker, make_user)[1]


@register_isolation_factory("performance_tpp.integritysignal")
def isolation_signal(tenant, marker, make_user):
    return _isolation_close(tenant, marker, make_user)[2]
