"""The monthly close end to end on a small tenant: exact figures, versions, locking, time zones."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.core.workflow.errors import GuardFailed, SecondFactorRequired
from praja.modules.performance.tpp import actions, computation
from praja.modules.performance.tpp.models import CloseStatus, EmployeeMonthResult, IntegritySignal, MonthClose
from praja.modules.performance.tpp.testing import (
    add_attendance,
    add_entry,
    make_config,
    make_office,
)

from .conftest import MAY, MAY_WORKING_DAYS

AFTER_MAY = datetime.date(2026, 6, 10)


@pytest.fixture
def kepala_bkpsdm(tenant_a, make_person):
    return make_person(tenant_a, roles=["performance_bkpsdm_head"], full_name="Kepala BKPSDM")


def seed_may(office):
    """Staff 1: 90 % productivity, TL2 + TL1 + apel (3.5 %). Staff 2: CPNS, 100 %, never attended."""
    from praja.modules.performance.models import ApelAbsence, Employee

    first, second = office.staff
    for day in MAY_WORKING_DAYS:
        add_entry(first, day, "08:00", "12:30", validated_by=office.head)  # 270 of 300 minutes
        add_entry(second, day, "08:00", "13:00", validated_by=office.head)  # 300 minutes
        check_in = {5: "08:15", 6: "07:45"}.get(day.day, "07:25")
        add_attendance(first, day, check_in, "16:35")
        add_attendance(office.head_employee, day)
    ApelAbsence.all_tenants.create(tenant=office.tenant, employee=first, date=datetime.date(2026, 5, 11))
    Employee.all_tenants.filter(pk=second.pk).update(employment_type="cpns")


def close_may(office, actor, **kwargs):
    with use_tenant(office.tenant):
        return actions.compute_month_close(actor=actor, month=MAY, today=AFTER_MAY, **kwargs)


def result_of(close, employee):
    return EmployeeMonthResult.all_tenants.get(close=close, employee=employee)


def test_close_computes_each_employee_exactly_and_explains_every_withheld_rupiah(office, bkpsdm):
    seed_may(office)
    close = close_may(office, bkpsdm)
    first, second = office.staff

    assert (close.version, close.status, close.working_days, close.employee_count) == (1, "computed", 16, 3)
    one = result_of(close, first)
    assert (one.approved_minutes, one.expected_minutes, one.productivity_percent) == (
        4320,
        4800,
        Decimal("90.00"),
    )
    assert (one.deduction_percent, one.discipline_percent) == (Decimal("3.50"), Decimal("96.50"))
    assert (one.kinerja_part, one.disiplin_part, one.gross) == (2_700_000, 1_930_000, 4_630_000)
    assert (one.days_present, one.late_count, one.absent_days) == (16, 2, 0)
    assert [item["reason"] for item in one.withheld] == [
        "produktivitas 90 %: Rp300.000 dari bagian kinerja tidak dibayarkan",
        "TL2 pada 5 Mei 2026: 1 % dari bagian disiplin = Rp20.000",
        "TL1 pada 6 Mei 2026: 0,5 % dari bagian disiplin = Rp10.000",
        "APEL pada 11 Mei 2026: 2 % dari bagian disiplin = Rp40.000",
    ]
    assert sum(item["amount"] for item in one.withheld) == one.ceiling - one.gross == 370_000

    two = result_of(close, second)  # CPNS: 80 % of 5,000,000; 16 TK days x 3 % = 48 %
    assert (two.ceiling, two.productivity_percent, two.absent_days) == (4_000_000, Decimal("100.00"), 16)
    assert (two.kinerja_part, two.disiplin_part, two.gross) == (2_400_000, 832_000, 3_232_000)

    head = result_of(close, office.head_employee)  # kelas 12, no entries, always on time
    assert (head.kinerja_part, head.disiplin_part, head.gross) == (0, 3_200_000, 3_200_000)
    assert (close.total_ceiling, close.total_paid) == (
        5_000_000 + 4_000_000 + 8_000_000,
        4_630_000 + 3_232_000 + 3_200_000,
    )

    event = AuditEvent.objects.filter(tenant=office.tenant, event_type="performance_tpp.close_computed").get()
    assert event.actor_id == bkpsdm.pk


def test_result_is_reproducible_from_its_stored_inputs(office, bkpsdm):
    seed_may(office)
    close = close_may(office, bkpsdm)
    for result in EmployeeMonthResult.all_tenants.filter(close=close):
        again = computation.reproduce(result.inputs)
        assert (again.gross, again.as_dict()["withheld"]) == (result.gross, result.withheld)


def test_paid_while_absent_all_month_is_flagged_only_for_the_absent_one(office, bkpsdm):
    seed_may(office)
    close = close_may(office, bkpsdm)
    signals = list(IntegritySignal.all_tenants.filter(tenant=office.tenant, kind="paid_while_absent"))
    assert [signal.subject_id for signal in signals] == [str(office.staff[1].pk)]
    assert signals[0].close == close
    assert signals[0].explanation == (
        f"{office.staff[1].user.full_name} tidak memiliki catatan presensi maupun cuti/izin pada 16 "
        "hari kerja bulan ini, tetapi TPP yang dihitung Rp3.232.000."
    )


def test_approval_needs_the_head_of_bkpsdm_with_second_factor_then_lock(office, bkpsdm, kepala_bkpsdm):
    seed_may(office)
    close = close_may(office, bkpsdm)
    with use_tenant(office.tenant):
        with pytest.raises(SecondFactorRequired):
            actions.approve_month_close(actor=kepala_bkpsdm, close=close, otp_verified=False)
        close.refresh_from_db()
        assert close.status == CloseStatus.COMPUTED
        with pytest.raises(PermissionDenied):
            actions.approve_month_close(actor=bkpsdm, close=close, otp_verified=True)
        actions.approve_month_close(actor=kepala_bkpsdm, close=close, otp_verified=True)
        actions.lock_month_close(actor=bkpsdm, close=close)
    close.refresh_from_db()
    assert (close.status, close.approved_by, close.locked_by) == ("locked", kepala_bkpsdm, bkpsdm)


def test_locked_month_is_never_edited_a_correction_is_a_new_version_with_audit_and_signal(
    office, bkpsdm, kepala_bkpsdm
):
    seed_may(office)
    close = close_may(office, bkpsdm)
    with use_tenant(office.tenant):
        actions.approve_month_close(actor=kepala_bkpsdm, close=close, otp_verified=True)
        actions.lock_month_close(actor=bkpsdm, close=close)
    with pytest.raises(GuardFailed, match="Perhitungan ulang adalah koreksi: isi alasannya"):
        close_may(office, bkpsdm)
    assert MonthClose.all_tenants.filter(tenant=office.tenant).count() == 1

    add_entry(office.staff[0], datetime.date(2026, 5, 29), "13:00", "13:30", validated_by=office.head)
    corrected = close_may(office, bkpsdm, reason="Validasi susulan 29 Mei disetujui")
    close.refresh_from_db()
    assert (close.version, close.status, close.total_paid) == (1, "locked", 11_062_000)
    assert result_of(close, office.staff[0]).gross == 4_630_000
    assert (corrected.version, corrected.status, corrected.previous) == (2, "computed", close)
    assert result_of(corrected, office.staff[0]).approved_minutes == 4350
    signal = IntegritySignal.all_tenants.get(tenant=office.tenant, kind="locked_month_recomputed")
    assert signal.explanation == (
        "Bulan 05/2026 yang sudah dikunci (versi 1, total TPP Rp11.062.000) dihitung ulang oleh "
        "Operator BKPSDM sebagai versi 2 dengan alasan: Validasi susulan 29 Mei disetujui"
    )
    event = AuditEvent.objects.get(tenant=office.tenant, event_type="performance_tpp.close_corrected")
    assert '"previous_version":1' in event.data and "Validasi susulan" in event.data
    with use_tenant(office.tenant), pytest.raises(GuardFailed, match="sudah digantikan oleh versi 2"):
        actions.lock_month_close(actor=bkpsdm, close=close)


def test_only_bkpsdm_computes_and_nothing_is_stored_on_refusal(office, make_person, tenant_b):
    official = make_person(office.tenant, roles=["performance_pegawai"])
    other_bkpsdm = make_person(tenant_b, roles=["performance_bkpsdm"])
    for actor in (official, other_bkpsdm):
        with pytest.raises(PermissionDenied):
            close_may(office, actor)
    assert not MonthClose.all_tenants.exists()


def test_month_without_approved_config_is_refused_in_indonesian(tenant_a, make_person):
    office = make_office(tenant_a, make_person, config=False)
    bkpsdm = make_person(tenant_a, roles=["performance_bkpsdm"])
    with pytest.raises(GuardFailed, match="Belum ada konfigurasi kinerja yang disetujui untuk bulan 05/2026"):
        close_may(office, bkpsdm)


def test_config_version_in_force_for_the_month_is_used(office, bkpsdm):
    make_config(
        office.tenant,
        version=2,
        effective_from=datetime.date(2026, 6, 1),
        allowances={9: 6_000_000, 12: 9_000_000},
    )
    may = close_may(office, bkpsdm)
    with use_tenant(office.tenant):
        june = actions.compute_month_close(
            actor=bkpsdm, month=datetime.date(2026, 6, 1), today=datetime.date(2026, 7, 10)
        )
    assert (may.config_version, june.config_version) == (1, 2)
    assert result_of(may, office.staff[0]).class_amount == 5_000_000
    assert result_of(june, office.staff[0]).class_amount == 6_000_000
    assert (may.working_days, june.working_days) == (16, 20)


def test_tenant_holiday_reduces_working_days_and_the_quota(office, bkpsdm):
    from praja.core.calendar.actions import add_tenant_holiday

    admin = __import__("praja.core.accounts.models", fromlist=["User"]).User.objects.get(pk=office.head.pk)
    from praja.core.accounts.models import RoleGrant

    with use_tenant(office.tenant):
        RoleGrant.objects.create(user=admin, role="tenant_admin")
        add_tenant_holiday(actor=admin, date=datetime.date(2026, 5, 29), name="Hari Jadi Kota")
    for day in MAY_WORKING_DAYS[:-1]:
        add_entry(office.staff[0], day, "08:00", "13:00", validated_by=office.head)
    close = close_may(office, bkpsdm)
    result = result_of(close, office.staff[0])
    assert (close.working_days, result.expected_minutes, result.productivity_percent) == (
        15,
        4500,
        Decimal("100.00"),
    )


def test_attendance_is_judged_in_the_tenants_own_time_zone(tenant_a, tenant_wita, make_person):
    results = {}
    for tenant in (tenant_a, tenant_wita):
        office = make_office(tenant, make_person, staff=1)
        bkpsdm = make_person(tenant, roles=["performance_bkpsdm"])
        # 07:40 local: ten minutes late (TL1) wherever the office is; computed in WIB, the WITA
        # check-in (06:40 WIB) would look early.
        add_attendance(office.staff[0], datetime.date(2026, 5, 4), "07:40", "16:35")
        for day in MAY_WORKING_DAYS[1:]:
            add_attendance(office.staff[0], day)
        close = close_may(office, bkpsdm)
        result = result_of(close, office.staff[0])
        results[tenant.timezone] = (
            result.late_count,
            result.deduction_percent,
            result.withheld[-1]["reason"],
        )
    assert results == {
        "Asia/Jakarta": (1, Decimal("0.50"), "TL1 pada 4 Mei 2026: 0,5 % dari bagian disiplin = Rp10.000"),
        "Asia/Makassar": (1, Decimal("0.50"), "TL1 pada 4 Mei 2026: 0,5 % dari bagian disiplin = Rp10.000"),
    }


def test_first_and_last_day_of_month_belong_to_their_month(office, bkpsdm):
    # 30 April and 1 June entries never count for May.
    add_entry(office.staff[0], datetime.date(2026, 4, 30), "08:00", "13:00", validated_by=office.head)
    add_entry(office.staff[0], datetime.date(2026, 6, 1), "08:00", "13:00", validated_by=office.head)
    add_entry(office.staff[0], datetime.date(2026, 5, 29), "08:00", "13:00", validated_by=office.head)
    result = result_of(close_may(office, bkpsdm), office.staff[0])
    assert result.approved_minutes == 300


def test_scheduled_job_closes_last_month_once_after_the_validation_deadline(office):
    from praja.modules.performance.tpp.tasks import close_previous_month

    assert close_previous_month(office.tenant, today=datetime.date(2026, 6, 5)) is None  # deadline day 5
    close = close_previous_month(office.tenant, today=datetime.date(2026, 6, 6))
    assert (close.month, close.version, close.computed_by) == (MAY, 1, None)
    assert close_previous_month(office.tenant, today=datetime.date(2026, 6, 7)) is None
    assert MonthClose.all_tenants.count() == 1


def test_management_command_closes_a_month_once_and_corrections_need_an_actor(office, bkpsdm):
    import io

    from django.core.management import CommandError, call_command

    out = io.StringIO()
    call_command("performance", "close", "--tenant", office.tenant.slug, "--month", "2026-05", stdout=out)
    assert out.getvalue().startswith("Tutup buku 2026-05 versi 1: 3 pegawai, TPP ")
    with pytest.raises(CommandError, match="koreksi memerlukan --actor dan --reason"):
        call_command("performance", "close", "--tenant", office.tenant.slug, "--month", "2026-05")
    with pytest.raises(CommandError, match="Format bulan harus TTTT-BB"):
        call_command("performance", "close", "--tenant", office.tenant.slug, "--month", "Mei")
    call_command(
        "performance",
        "close",
        "--tenant",
        office.tenant.slug,
        "--month",
        "2026-05",
        "--actor",
        bkpsdm.email,
        "--reason",
        "Koreksi presensi",
        stdout=out,
    )
    assert list(MonthClose.all_tenants.order_by("version").values_list("version", "computed_by")) == [
        (1, None),
        (2, bkpsdm.pk),
    ]
