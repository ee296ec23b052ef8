"""Attendance: server time per tenant timezone, terminals posting once, day states and deductions."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from praja.core.tenancy.context import use_tenant
from praja.core.workflow.errors import GuardFailed
from praja.modules.performance import actions, rules, selectors
from praja.modules.performance.models import AttendanceEvent, AttendanceTerminal, PerformanceConfig

from .conftest import WIB

OFFICE_HOURS = {"0": ["07:30", "16:00"], "4": ["07:30", "16:30"]}
TABLE = rules.DeductionTable(
    lateness_brackets=(
        (1, Decimal("0.50")),
        (31, Decimal("1.00")),
        (61, Decimal("1.25")),
        (91, Decimal("1.50")),
    ),
    early_leave_brackets=(
        (1, Decimal("0.50")),
        (31, Decimal("1.00")),
        (61, Decimal("1.25")),
        (91, Decimal("1.50")),
    ),
    absent_percent=Decimal("3.00"),
    apel_absence_percent=Decimal("2.00"),
    cap_percent=Decimal("100.00"),
)
MONDAY = datetime.date(2026, 5, 4)


def day(check_in=None, check_out=None, **kwargs):
    t = datetime.time.fromisoformat
    kwargs.setdefault("is_working_day", True)
    return rules.compute_attendance_day(
        day=kwargs.pop("day", MONDAY),
        office_hours=OFFICE_HOURS,
        table=TABLE,
        check_in=t(check_in) if check_in else None,
        check_out=t(check_out) if check_out else None,
        **kwargs,
    )


@pytest.mark.parametrize(
    ("check_in", "state", "code", "late", "percent"),
    [
        ("07:30", "HADIR", "", 0, "0"),
        ("07:31", "TL", "TL1", 1, "0.50"),
        ("08:00", "TL", "TL1", 30, "0.50"),
        ("08:01", "TL", "TL2", 31, "1.00"),
        ("08:31", "TL", "TL3", 61, "1.25"),
        ("09:01", "TL", "TL4", 91, "1.50"),
    ],
)
def test_lateness_brackets_from_the_table(check_in, state, code, late, percent):
    result = day(check_in, "16:00")
    assert (result.state, result.lateness_code, result.late_minutes, result.deduction_percent) == (
        state,
        code,
        late,
        Decimal(percent),
    )


def test_early_leave_and_lateness_add_up():
    result = day("07:45", "15:20")
    assert (result.state, result.codes, result.early_leave_minutes) == ("TL", ("TL1", "PSW2"), 40)
    assert result.deduction_percent == Decimal("1.50")


def test_friday_closes_later():
    result = day("07:30", "16:10", day=datetime.date(2026, 5, 8))
    assert (result.state, result.early_leave_code, result.early_leave_minutes) == ("PSW", "PSW1", 20)


def test_forgot_to_check_out_counts_as_psw4_and_says_so():
    result = day("07:20", None)
    assert (result.state, result.early_leave_code, result.forgot_check_out, result.deduction_percent) == (
        "PSW",
        "PSW4",
        True,
        Decimal("1.50"),
    )


def test_no_check_in_record_counts_as_tl4():
    assert (day(None, "16:05").lateness_code, day(None, "16:05").deduction_percent) == (
        "TL4",
        Decimal("1.50"),
    )


def test_absent_without_notice_is_tk_3_percent_and_today_is_not_judged_yet():
    assert (day().state, day().deduction_percent) == ("TK", Decimal("3.00"))
    assert day(is_day_over=False).state == "BELUM"
    assert day("07:20", None, is_day_over=False).state == "HADIR"


@pytest.mark.parametrize(
    ("kind", "state"),
    [
        ("cuti_tahunan", "CUTI"),
        ("cuti_sakit", "CUTI"),
        ("sakit", "SAKIT"),
        ("izin", "IZIN"),
        ("dinas_luar", "DL"),
    ],
)
def test_approved_absences_have_their_state_and_no_deduction(kind, state):
    result = day(absence_kind=kind)
    assert (result.state, result.deduction_percent) == (state, Decimal("0"))


def test_holiday_study_leave_and_apel():
    assert day(is_working_day=False).state == "LIBUR"
    assert day(is_on_study_leave=True).state == "TB"
    result = day("07:25", "16:00", apel_absent=True)
    assert (result.state, result.codes, result.deduction_percent) == ("HADIR", ("APEL",), Decimal("2.00"))


def test_month_deduction_is_capped():
    days = [day() for _ in range(40)]  # 40 × 3 %
    assert rules.month_deduction_percent(days, Decimal("100")) == Decimal("100")
    assert rules.month_deduction_percent(days[:2], Decimal("100")) == Decimal("6.00")


# --- Web check-in -----------------------------------------------------------------------------------


def test_web_check_in_uses_server_time_and_records_a_far_off_client_clock(bandung, clock):
    clock.set(datetime.datetime(2026, 5, 4, 7, 42, tzinfo=WIB))
    client = datetime.datetime(2026, 5, 4, 7, 10, tzinfo=WIB)
    with use_tenant(bandung.tenant):
        event, notice = actions.check_in_out(actor=bandung.staff.user, kind="check_in", client_time=client)
    assert (event.occurred_at, event.local_date, event.client_offset_seconds) == (clock.now, MONDAY, -1920)
    assert notice == (
        "Presensi masuk tercatat pukul 07.42 WIB (waktu server). Jam perangkat Anda selisih 32 menit dari "
        "jam server; yang dipakai jam server."
    )
    clock.set(datetime.datetime(2026, 5, 5, 8, 0, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        days = selectors.attendance_month(bandung.staff, 2026, 5)
    monday = next(d for d in days if d.date == MONDAY)
    assert (monday.state, monday.lateness_code, monday.forgot_check_out) == ("TL", "TL1", True)


def test_same_instant_late_evening_belongs_to_different_days_in_wib_and_wita(bandung, mataram, clock):
    instant = clock.set(datetime.datetime(2026, 5, 4, 16, 30, tzinfo=datetime.UTC))  # 23.30 WIB = 00.30 WITA
    with use_tenant(bandung.tenant):
        wib_event, wib_notice = actions.check_in_out(actor=bandung.staff.user, kind="check_out")
    with use_tenant(mataram.tenant):
        wita_event, wita_notice = actions.check_in_out(actor=mataram.staff.user, kind="check_out")
    assert wib_event.occurred_at == wita_event.occurred_at == instant
    assert (wib_event.local_date, wita_event.local_date) == (
        datetime.date(2026, 5, 4),
        datetime.date(2026, 5, 5),
    )
    assert "pukul 23.30 WIB" in wib_notice and "pukul 00.30 WITA" in wita_notice


def test_geofence_refuses_check_in_far_from_the_office(bandung):
    PerformanceConfig.all_tenants.filter(pk=bandung.config.pk).update(
        checkin_requires_location=True,
        office_latitude=Decimal("-6.911500"),
        office_longitude=Decimal("107.609800"),
        geofence_radius_m=200,
    )
    with use_tenant(bandung.tenant):
        with pytest.raises(ValidationError) as caught:
            actions.check_in_out(actor=bandung.staff.user, kind="check_in")
        assert caught.value.message_dict["latitude"] == [
            "Presensi di daerah ini wajib menyertakan lokasi; izinkan akses lokasi lalu ulangi."
        ]
        with pytest.raises(ValidationError) as caught:
            actions.check_in_out(
                actor=bandung.staff.user,
                kind="check_in",
                latitude=Decimal("-6.921500"),
                longitude=Decimal("107.609800"),
            )
        assert caught.value.message_dict["latitude"] == [
            "Lokasi Anda 1112 m dari kantor; presensi hanya dalam radius 200 m."
        ]
        assert AttendanceEvent.objects.count() == 0
        event, _notice = actions.check_in_out(
            actor=bandung.staff.user,
            kind="check_in",
            latitude=Decimal("-6.911600"),
            longitude=Decimal("107.609800"),
        )
    assert event.distance_m == 11


# --- Terminals ----------------------------------------------------------------------------------------


@pytest.fixture
def terminal(bandung, make_person):
    machine = make_person(bandung.tenant, roles=["performance_terminal"], full_name="Mesin Lobi")
    with use_tenant(bandung.tenant):
        AttendanceTerminal.objects.create(code="lobi-1", name="Mesin lobi", service_user=machine)
    return machine


def test_terminal_event_posted_twice_counts_once(bandung, terminal):
    bandung.staff.user.refresh_from_db()
    moment = datetime.datetime(2026, 5, 4, 7, 20, tzinfo=WIB)
    with use_tenant(bandung.tenant):
        first, created = actions.record_terminal_event(
            actor=terminal,
            terminal_code="lobi-1",
            event_id="A-1001",
            nip=bandung.staff.user.nip,
            kind="check_in",
            occurred_at=moment,
        )
        again, created_again = actions.record_terminal_event(
            actor=terminal,
            terminal_code="lobi-1",
            event_id="A-1001",
            nip=bandung.staff.user.nip,
            kind="check_in",
            occurred_at=moment,
        )
        assert (created, created_again, again.pk) == (True, False, first.pk)
        assert AttendanceEvent.objects.count() == 1
        assert (first.source, first.local_date) == ("terminal", MONDAY)


def test_terminal_refusals(bandung, terminal, make_person):
    nip = bandung.staff.user.nip
    moment = datetime.datetime(2026, 5, 4, 7, 20, tzinfo=WIB)
    with use_tenant(bandung.tenant):
        with pytest.raises(PermissionDenied):
            actions.record_terminal_event(
                actor=bandung.staff.user,
                terminal_code="lobi-1",
                event_id="x",
                nip=nip,
                kind="check_in",
                occurred_at=moment,
            )
        with pytest.raises(ValidationError) as caught:
            actions.record_terminal_event(
                actor=terminal,
                terminal_code="lobi-1",
                event_id="x",
                nip="199999999999999999",
                kind="check_in",
                occurred_at=moment,
            )
        assert caught.value.message_dict["nip"] == [
            "NIP 199999999999999999 tidak terdaftar sebagai pegawai daerah ini."
        ]
        with pytest.raises(ValidationError) as caught:
            actions.record_terminal_event(
                actor=terminal,
                terminal_code="lain",
                event_id="x",
                nip=nip,
                kind="check_in",
                occurred_at=moment,
            )
        assert caught.value.message_dict["terminal"] == [
            "Mesin presensi lain tidak terdaftar untuk akun ini."
        ]
        assert AttendanceEvent.objects.count() == 0


# --- Corrections and leave ------------------------------------------------------------------------------


def test_forgotten_check_out_corrected_with_the_supervisors_and_the_admins_approval(bandung, clock):
    clock.set(datetime.datetime(2026, 5, 4, 7, 25, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        actions.check_in_out(actor=bandung.staff.user, kind="check_in")
    clock.set(datetime.datetime(2026, 5, 5, 9, 0, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        item = actions.request_correction(
            actor=bandung.staff.user,
            day=MONDAY,
            kind="check_out",
            corrected_time=datetime.time(16, 5),
            reason="Lupa presensi pulang, rapat sampai 16.00",
        )
        with pytest.raises(GuardFailed):
            actions.decide_correction(actor=bandung.office.head.user, item=item, approve=True)
        assert AttendanceEvent.objects.count() == 1
        actions.decide_correction(actor=bandung.chief.user, item=item, approve=True)
        item.refresh_from_db()
        assert item.status == "endorsed" and item.event is None
        actions.decide_correction(
            actor=bandung.bkpsdm, item=item, approve=True, reason="Notulen rapat", otp_verified=True
        )
        item.refresh_from_db()
        assert item.status == "approved" and item.event.source == "correction"
        monday = next(d for d in selectors.attendance_month(bandung.staff, 2026, 5) if d.date == MONDAY)
    assert (monday.state, monday.check_out, monday.deduction_percent) == (
        "HADIR",
        datetime.time(16, 5),
        Decimal("0"),
    )


def test_leave_request_approved_by_the_supervisor_makes_the_day_cuti(bandung):
    with use_tenant(bandung.tenant):
        item = actions.request_absence(
            actor=bandung.staff.user,
            kind="cuti_tahunan",
            start_date=MONDAY,
            end_date=MONDAY,
            reason="Urusan keluarga",
        )
        with pytest.raises(PermissionDenied):
            actions.decide_absence(actor=bandung.staff.user, item=item, approve=True)
        with pytest.raises(ValidationError) as caught:
            actions.request_absence(
                actor=bandung.staff.user, kind="izin", start_date=MONDAY, end_date=MONDAY, reason="Dobel"
            )
        assert caught.value.message_dict["start_date"] == [
            "Tanggal itu sudah tercakup permohonan Cuti tahunan 04-05-2026–04-05-2026."
        ]
        actions.decide_absence(actor=bandung.chief.user, item=item, approve=True)
        monday = next(d for d in selectors.attendance_month(bandung.staff, 2026, 5) if d.date == MONDAY)
    assert (monday.state, monday.deduction_percent) == ("CUTI", Decimal("0"))


def test_attendance_month_counts_tk_and_the_month_summary(bandung, clock):
    clock.set(datetime.datetime(2026, 5, 6, 9, 0, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        summary = selectors.month_summary(bandung.staff, 2026, 5)
    states = [(d.date.day, d.state) for d in summary.days]
    assert states == [(1, "LIBUR"), (2, "LIBUR"), (3, "LIBUR"), (4, "TK"), (5, "TK"), (6, "BELUM")]
    assert summary.deduction_percent == Decimal("6.00")
    assert (summary.working_days, summary.working_days_so_far) == (16, 3)


def test_absent_day_with_a_recorded_apel_absence_counts_both():
    result = day(apel_absent=True)
    assert (result.state, result.codes, result.deduction_percent) == ("TK", ("TK", "APEL"), Decimal("5.00"))


def test_tpp_estimate_uses_the_tk_days_and_approved_minutes(bandung, clock):
    clock.set(datetime.datetime(2026, 5, 6, 9, 0, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        summary = selectors.month_summary(bandung.staff, 2026, 5)
        estimate = selectors.tpp_estimate(bandung.staff, summary)
    # Kelas 9: Rp5,000,000; kinerja 60 % × 0 % productivity; disiplin 40 % less 2 × 3 % (TK on 4 and 5 May).
    assert (estimate.ceiling, estimate.kinerja_part, estimate.disiplin_part, estimate.gross) == (
        5_000_000,
        0,
        1_880_000,
        1_880_000,
    )


def test_month_boundary_in_wib_and_wita(bandung, mataram, clock):
    # 29 May 2026 (Friday) 16:30 UTC = 23:30 WIB on the 29th in Bandung, 00:30 WITA on Saturday the 30th
    # in Mataram; 31 May 16:30 UTC = 23:30 WIB on 31 May but 00:30 WITA on 1 June.
    clock.set(datetime.datetime(2026, 5, 31, 16, 30, tzinfo=datetime.UTC))
    with use_tenant(bandung.tenant):
        bandung_event, _ = actions.check_in_out(actor=bandung.staff.user, kind="check_out")
    with use_tenant(mataram.tenant):
        mataram_event, _ = actions.check_in_out(actor=mataram.staff.user, kind="check_out")
    assert bandung_event.local_date == datetime.date(2026, 5, 31)
    assert mataram_event.local_date == datetime.date(2026, 6, 1)
    clock.set(datetime.datetime(2026, 6, 3, 12, 0, tzinfo=datetime.UTC))
    with use_tenant(bandung.tenant):
        may_events = list(selectors.list_events_for_day(bandung.staff, datetime.date(2026, 5, 31)))
    with use_tenant(mataram.tenant):
        june_first = list(selectors.list_events_for_day(mataram.staff, datetime.date(2026, 6, 1)))
        june = selectors.attendance_month(mataram.staff, 2026, 6)
    assert may_events == [bandung_event] and june_first == [mataram_event]
    # 1 June is Hari Lahir Pancasila: the WITA check-out lands on a holiday of June, not on 31 May.
    assert (june[0].date, june[0].state) == (datetime.date(2026, 6, 1), "LIBUR")
