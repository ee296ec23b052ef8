"""Demo data: Bandung's approved config, employees with a chain, a realistic month; idempotent."""

from __future__ import annotations

import datetime

from praja.core.tenancy.context import use_tenant
from praja.modules.performance import selectors
from praja.modules.performance.demo import load_demo
from praja.modules.performance.models import (
    ActivityEntry,
    AttendanceEvent,
    Employee,
    EntryStatus,
    PerformanceConfig,
)

from .conftest import WIB, next_nip


def _organisation(tenant, make_person):
    from praja.core.accounts.models import OrgUnit, Position

    with use_tenant(tenant):
        agency = OrgUnit.objects.create(code="2.18", name="DPMPTSP", kind="perangkat_daerah")
        unit = OrgUnit.objects.create(code="2.18.01", name="Bidang Pelayanan", kind="unit", parent=agency)
    head = make_person(tenant, full_name="Kepala Dinas", nip=next_nip())
    chief = make_person(tenant, full_name="Kepala Bidang", nip=next_nip())
    staff = [make_person(tenant, full_name=f"Staf {n}", nip=next_nip()) for n in range(3)]
    with use_tenant(tenant):
        top = Position.objects.create(org_unit=agency, title="Kepala Dinas", job_class=14, holder=head)
        middle = Position.objects.create(
            org_unit=unit,
            title="Kepala Bidang Pelayanan Perizinan",
            job_class=11,
            supervisor=top,
            holder=chief,
        )
        for number, person in enumerate(staff):
            Position.objects.create(
                org_unit=unit,
                title=f"Penata Perizinan Ahli Muda {number}",
                job_class=8,
                supervisor=middle,
                holder=person,
            )
    return chief, staff


def test_demo_loads_config_employees_and_a_month_once(tenant_a, make_person, clock):
    clock.set(datetime.datetime(2026, 6, 10, 9, 0, tzinfo=WIB))
    chief, staff = _organisation(tenant_a, make_person)
    with use_tenant(tenant_a):
        created = load_demo(tenant_a)
        assert created > 0
        config = PerformanceConfig.objects.get()
        assert (config.status, config.effective_from, config.version) == (
            "approved",
            datetime.date(2026, 1, 1),
            1,
        )
        assert Employee.objects.count() == 5
        assert selectors.list_direct_reports(chief).count() == 3
        may = ActivityEntry.objects.filter(date__month=5)
        june = ActivityEntry.objects.filter(date__month=6)
        assert may.exists() and june.exists()
        assert set(june.values_list("status", flat=True)) == {EntryStatus.SUBMITTED}
        assert (
            may.filter(status=EntryStatus.APPROVED).count() > may.filter(status=EntryStatus.REJECTED).count()
        )
        assert may.exclude(status=EntryStatus.SUBMITTED).filter(validated_by=chief).exists()
        # No entry on a non-working day, none overlapping, the daily cap held.
        for entry in ActivityEntry.objects.all():
            assert entry.date.weekday() < 5 and entry.credited_minutes <= entry.claimed_minutes
        for employee in Employee.objects.all():
            for minutes in selectors.approved_minutes_by_day(employee, 2026, 5).values():
                assert minutes <= 300
        states = {day.state for day in selectors.attendance_month(Employee.objects.first(), 2026, 5)}
        assert "HADIR" in states and "LIBUR" in states
        counts = (ActivityEntry.objects.count(), AttendanceEvent.objects.count())
        assert load_demo(tenant_a) == 0
        assert (ActivityEntry.objects.count(), AttendanceEvent.objects.count()) == counts


def test_demo_is_for_bandung_only(tenant_b):
    with use_tenant(tenant_b):
        assert load_demo(tenant_b) == 0
        assert not PerformanceConfig.objects.exists()
