"""The close shares the TPP formula between employees; each still reads reasons about their own days."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from praja.core.tenancy.context import use_tenant
from praja.modules.performance.tpp import actions, rules
from praja.modules.performance.tpp.models import EmployeeMonthResult
from praja.modules.performance.tpp.rules import Deduction, compute_tpp
from praja.modules.performance.tpp.testing import add_attendance

from .conftest import MAY, MAY_WORKING_DAYS


def day(n: int) -> datetime.date:
    return MAY.replace(day=n)


def _reasons(class_amount, deductions, status="aktif", productivity=100):
    result = compute_tpp(
        class_amount=class_amount,
        employment_type="pns",
        pay_status=status,
        productivity=productivity,
        deductions=deductions,
        statuses_not_paid=("cltn",),
    )
    return [(item.amount, item.reason) for item in result.withheld]


def test_same_deductions_on_other_days_name_each_employees_own_days():
    first = _reasons(5_000_000, [Deduction("TL2", day(5), Decimal(1)), Deduction("TK", day(6), Decimal(3))])
    second = _reasons(
        5_000_000, [Deduction("TL2", day(12), Decimal(1)), Deduction("TK", day(20), Decimal(3))]
    )
    assert first == [
        (20_000, "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp20.000"),
        (60_000, "TK pada 6 Mei 2026: 3 % dari bagian disiplin = Rp60.000"),
    ]
    assert second == [
        (20_000, "TL2 pada 12 Mei 2026: 1 % dari bagian disiplin = Rp20.000"),
        (60_000, "TK pada 20 Mei 2026: 3 % dari bagian disiplin = Rp60.000"),
    ]


def test_the_same_deduction_withholds_by_each_employees_own_ceiling_and_language():
    deductions = [Deduction("TL2", day(5), Decimal(1))]
    assert _reasons(5_000_000, deductions) == [
        (20_000, "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp20.000")
    ]
    assert _reasons(2_500_000, deductions) == [
        (10_000, "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp10.000")
    ]
    with translation.override("en"):
        english = _reasons(5_000_000, deductions)
    assert english[0][0] == 20_000
    assert "May" in english[0][1]
    assert "Mei" not in english[0][1]


deduction_lists = st.lists(
    st.tuples(
        st.integers(min_value=1, max_value=28),
        st.sampled_from(["TL1", "TL2", "PSW1", "TK", "APEL"]),
        st.decimals(min_value=0, max_value=40, places=2, allow_nan=False, allow_infinity=False),
    ),
    max_size=12,
).map(lambda items: [Deduction(code, day(n), percent) for n, code, percent in items])


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=0, max_value=20_000_000),
    st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False),
    deduction_lists,
    st.sampled_from(["aktif", "cltn"]),
    st.sampled_from([Decimal(100), Decimal(50)]),
)
def test_the_close_in_two_steps_gives_exactly_what_compute_tpp_gives(
    amount, productivity, deductions, status, cap
):
    """The close computes the ceilings once per class and status, then each employee (see computation)."""
    whole = compute_tpp(
        class_amount=amount,
        employment_type="pns",
        pay_status=status,
        productivity=productivity,
        deductions=deductions,
        statuses_not_paid=("cltn",),
        deduction_cap=cap,
    )
    base = rules.tpp_ceiling(
        class_amount=amount,
        employment_type="pns",
        pay_status=status,
        statuses_not_paid=("cltn",),
        deduction_cap=cap,
    )
    ordered = sorted(deductions, key=lambda item: (item.date, item.code))
    part = rules.undated_tpp(base, productivity, ordered, "id")
    withheld = [item.as_dict() for item in part.withheld] + [
        {
            "kind": rules.WITHHELD_DEDUCTION,
            "code": deduction.code,
            "date": deduction.date.isoformat(),
            "amount": amount,
            "reason": rules.dated_reason(pieces, deduction.date, "id"),
        }
        for deduction, (amount, pieces) in zip(ordered if base.is_paid else (), part.deductions, strict=True)
    ]
    assert withheld == whole.as_dict()["withheld"]
    assert (part.productivity_percent, part.deduction_percent, part.discipline_percent) == (
        whole.productivity_percent,
        whole.deduction_percent,
        whole.discipline_percent,
    )
    assert (base.ceiling, part.kinerja_part, part.disiplin_part, part.gross) == (
        whole.ceiling,
        whole.kinerja_part,
        whole.disiplin_part,
        whole.gross,
    )


# --- The close -----------------------------------------------------------------------------------


def test_close_names_each_employees_own_late_days_and_an_unpaid_status_withholds_everything(office, bkpsdm):
    from praja.modules.performance.models import Employee

    first, second = office.staff
    for working_day in MAY_WORKING_DAYS:
        add_attendance(first, working_day, "08:15" if working_day.day == 5 else "07:25")
        add_attendance(second, working_day, "08:15" if working_day.day == 12 else "07:25")
        add_attendance(office.head_employee, working_day, "08:15" if working_day.day == 6 else "07:25")
    Employee.all_tenants.filter(pk=office.head_employee.pk).update(status="cuti_luar_tanggungan")
    with use_tenant(office.tenant):
        close = actions.compute_month_close(actor=bkpsdm, month=MAY, today=datetime.date(2026, 6, 10))

    def deductions_of(employee):
        result = EmployeeMonthResult.all_tenants.get(close=close, employee=employee)
        return [(item["date"], item["amount"], item["reason"]) for item in result.withheld[1:]]

    assert deductions_of(first) == [
        ("2026-05-05", 20_000, "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp20.000")
    ]
    assert deductions_of(second) == [
        ("2026-05-12", 20_000, "TL2 pada 12 Mei 2026: 1 % dari bagian disiplin = Rp20.000")
    ]
    head = EmployeeMonthResult.all_tenants.get(close=close, employee=office.head_employee)
    assert (head.gross, head.deduction_percent) == (0, Decimal("1.00"))
    assert [item["kind"] for item in head.withheld] == [rules.WITHHELD_NOT_PAID]
