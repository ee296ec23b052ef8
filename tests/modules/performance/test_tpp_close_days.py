"""The close judges each day and each validator exactly, whatever its set-based reads take as shortcuts.

The close reads attendance and entries as one row per employee: days checked in and out on time
are only counted, the other days are judged by P1's rules once per distinct case, and validators
are attributed per employee unless an employee has more than one. These tests pin the cases where
those shortcuts could go wrong: the same times on weekdays with different office hours, leave or
apel on an on-time day, an employee validated by two supervisors, a long span without long hours.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from praja.core.tenancy.context import use_tenant
from praja.core.workflow.registry import allow_status_assignment
from praja.modules.performance.tpp import actions
from praja.modules.performance.tpp.models import EmployeeMonthResult, IntegritySignal
from praja.modules.performance.tpp.testing import add_attendance, add_entry

from .conftest import MAY, MAY_WORKING_DAYS


def close_may(office, bkpsdm):
    with use_tenant(office.tenant):
        return actions.compute_month_close(actor=bkpsdm, month=MAY, today=datetime.date(2026, 6, 10))


def result_of(close, employee) -> EmployeeMonthResult:
    return EmployeeMonthResult.all_tenants.get(close=close, employee=employee)


def test_the_same_check_out_is_judged_by_each_weekdays_office_hours(office, bkpsdm):
    first, second = office.staff
    for day in MAY_WORKING_DAYS:
        # Office hours end 16:00 Monday–Thursday and 16:30 on Friday.
        add_attendance(first, day, "07:25", "16:10")
        early = day.day in (5, 8)  # a Tuesday and a Friday, both leaving at 15:50
        add_attendance(second, day, "07:25", "15:50" if early else "16:35")
    close = close_may(office, bkpsdm)

    one = result_of(close, first)
    assert (one.days_present, one.late_count, one.early_leave_count) == (16, 0, 3)
    assert one.inputs["deductions"] == [
        ["PSW1", "2026-05-08", "0.50"],
        ["PSW1", "2026-05-22", "0.50"],
        ["PSW1", "2026-05-29", "0.50"],
    ]
    two = result_of(close, second)  # 10 minutes early on Tuesday (PSW1), 40 on Friday (PSW2)
    assert (two.days_present, two.late_count, two.early_leave_count) == (16, 0, 2)
    assert two.inputs["deductions"] == [["PSW1", "2026-05-05", "0.50"], ["PSW2", "2026-05-08", "1.00"]]
    assert [item["reason"] for item in two.withheld if item["kind"] == "deduction"] == [
        "PSW1 pada 5 Mei 2026: 0,5 % dari bagian disiplin = Rp10.000",
        "PSW2 pada 8 Mei 2026: 1 % dari bagian disiplin = Rp20.000",
    ]


def test_leave_and_apel_absence_count_even_on_days_checked_in_on_time(office, bkpsdm):
    from praja.modules.performance.models import AbsenceRequest, ApelAbsence

    first, second = office.staff
    for day in MAY_WORKING_DAYS:
        add_attendance(first, day)
        if day != datetime.date(2026, 5, 18):
            add_attendance(second, day)
    with allow_status_assignment():
        AbsenceRequest.all_tenants.create(
            tenant=office.tenant,
            employee=first,
            owner=first.user,
            kind="cuti_tahunan",
            start_date=datetime.date(2026, 5, 11),
            end_date=datetime.date(2026, 5, 12),
            reason="Keperluan keluarga",
            status="approved",
        )
    ApelAbsence.all_tenants.create(tenant=office.tenant, employee=first, date=datetime.date(2026, 5, 13))
    ApelAbsence.all_tenants.create(tenant=office.tenant, employee=second, date=datetime.date(2026, 5, 18))
    close = close_may(office, bkpsdm)

    one = result_of(close, first)  # on leave 11–12 May although checked in; missed apel on 13 May
    assert (one.days_present, one.leave_days, one.absent_days) == (14, 2, 0)
    assert one.inputs["deductions"] == [["APEL", "2026-05-13", "2.00"]]
    two = result_of(close, second)  # absent on 18 May, and missed that day's apel
    assert (two.days_present, two.leave_days, two.absent_days) == (15, 0, 1)
    assert two.inputs["deductions"] == [["TK", "2026-05-18", "3.00"], ["APEL", "2026-05-18", "2.00"]]
    assert two.deduction_percent == 5


def _approved(employee, day, hour, *, by, wait_seconds):
    created = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    add_entry(
        employee,
        day,
        f"{hour:02d}:00",
        f"{hour:02d}:30",
        validated_by=by,
        created_at=created,
        validated_at=created + datetime.timedelta(seconds=wait_seconds),
    )


def test_instant_approvals_are_counted_per_validator_when_an_employee_has_two(
    office, bkpsdm, tenant_a, make_person
):
    acting_head = make_person(tenant_a, roles=["performance_pegawai"], full_name="Plt Kepala")
    first, second = office.staff
    for index, day in enumerate(MAY_WORKING_DAYS[:10]):
        for employee in (first, second):
            _approved(employee, day, 8, by=office.head, wait_seconds=5)
        # The acting head approved 12 of the first employee's entries, each after an hour's reading.
        if index < 6:
            for hour in (10, 13):
                _approved(first, day, hour, by=acting_head, wait_seconds=3600)
    close_may(office, bkpsdm)

    flagged = IntegritySignal.all_tenants.filter(tenant=office.tenant, kind="instant_approvals")
    [signal] = flagged
    assert signal.subject_id == str(office.head.pk)
    assert signal.evidence == {"decided": 20, "approved_instantly": 20, "within_seconds": 60}


def test_a_long_span_with_short_work_is_not_flagged_but_a_long_friday_is(office, bkpsdm):
    first, second = office.staff
    monday, friday = datetime.date(2026, 5, 4), datetime.date(2026, 5, 8)
    # 07:00–17:00 spans 600 minutes, but only 120 are logged.
    add_entry(first, monday, "07:00", "08:00", validated_by=office.head)
    add_entry(first, monday, "16:00", "17:00", validated_by=office.head)
    # Friday's office hours are 07:30–16:30 (540 minutes); 580 logged.
    add_entry(second, friday, "07:00", "12:00", validated_by=office.head)
    add_entry(second, friday, "12:00", "16:40", validated_by=office.head)
    close_may(office, bkpsdm)

    [signal] = IntegritySignal.all_tenants.filter(tenant=office.tenant, kind="day_over_office_hours")
    assert signal.subject_id == str(second.pk)
    assert signal.evidence == {"days": [{"date": "2026-05-08", "logged_minutes": 580, "office_minutes": 540}]}
