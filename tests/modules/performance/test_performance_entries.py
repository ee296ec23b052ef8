"""Logging daily activities: every entry rule passes and fails with its Indonesian message.

The clock stands at Tuesday 5 May 2026 10:00 WIB; Bandung's config: quota 300 minutes, office hours
Mon–Thu 07:30–16:00 and Fri 07:30–16:30 with 60 minutes' tolerance before and 120 after, H+3.
"""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from praja.core.audit.models import AuditEvent
from praja.core.calendar.actions import add_tenant_holiday
from praja.core.tenancy.context import use_tenant
from praja.modules.performance import actions
from praja.modules.performance.models import ActivityEntry, EntryStatus

MONDAY = datetime.date(2026, 5, 4)


def t(text: str) -> datetime.time:
    return datetime.time.fromisoformat(text)


def activity(world, code, day=MONDAY):
    from praja.modules.performance.selectors import config_for_date

    return config_for_date(world.tenant, day).activities.get(code=code)


def log(
    world, employee=None, *, day=MONDAY, start="08:00", end="09:00", code="verifikasi-berkas", volume=3, **kw
):
    employee = employee or world.staff
    with use_tenant(world.tenant):
        return actions.log_entry(
            actor=employee.user,
            day=day,
            start_time=t(start),
            end_time=t(end),
            volume=volume,
            output=kw.pop("output", "3 berkas diverifikasi"),
            activity_id=None if kw.get("is_additional_task") else activity(world, code, day).pk,
            **kw,
        )


def refusal(world, **kwargs) -> ValidationError:
    with use_tenant(world.tenant):
        before = ActivityEntry.objects.count()
    with pytest.raises(ValidationError) as caught:
        log(world, **kwargs)
    with use_tenant(world.tenant):
        assert ActivityEntry.objects.count() == before
    return caught.value


def messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_entry_on_a_working_day_credits_volume_times_standard_minutes(bandung):
    result = log(bandung)
    entry = result.entry
    assert (entry.claimed_minutes, entry.credited_minutes, entry.status) == (60, 60, EntryStatus.SUBMITTED)
    assert result.notice == ""
    assert entry.config == bandung.config
    with use_tenant(bandung.tenant):
        event = AuditEvent.objects.get(event_type="performance.entry_logged")
    data = json.loads(event.data)
    assert (data["claimed"], data["date"], event.actor_id) == (60, "2026-05-04", bandung.staff.user_id)


def test_additional_task_counts_time_spent_at_the_lower_weight(bandung):
    entry = log(
        bandung, start="13:00", end="14:30", is_additional_task=True, description="Panitia HUT Kota Bandung"
    ).entry
    assert (entry.claimed_minutes, entry.credited_minutes) == (45, 45)  # 90 minutes × 0.50


def test_additional_task_without_description_is_refused(bandung):
    error = refusal(bandung, is_additional_task=True, description=" ")
    assert error.message_dict["description"] == ["Uraikan tugas tambahan yang dikerjakan."]


def test_weekend_is_refused_naming_the_rule(bandung):
    error = refusal(bandung, day=datetime.date(2026, 5, 2))
    assert error.message_dict["date"] == [
        "Tanggal 02-05-2026 bukan hari kerja (akhir pekan); aktivitas hanya dapat diisi pada hari kerja, "
        "kecuali dinas luar."
    ]


def test_national_holiday_is_refused_with_its_name(bandung):
    error = refusal(bandung, day=datetime.date(2026, 5, 1))
    assert "Tanggal 01-05-2026 bukan hari kerja (Hari Buruh Internasional)" in messages(error)


def test_tenant_holiday_is_refused(bandung, make_person):
    admin = make_person(bandung.tenant, roles=["tenant_admin"])
    with use_tenant(bandung.tenant):
        add_tenant_holiday(actor=admin, date=MONDAY, name="Hari Jadi Kota Bandung")
    error = refusal(bandung)
    assert "bukan hari kerja (Hari Jadi Kota Bandung)" in messages(error)


def test_official_travel_allows_a_weekend_only_with_an_approved_request(bandung):
    saturday = datetime.date(2026, 5, 2)
    error = refusal(bandung, day=saturday, is_official_travel=True)
    assert "permohonan dinas luar untuk tanggal 02-05-2026 sudah disetujui atasan" in messages(error)
    with use_tenant(bandung.tenant):
        item = actions.request_absence(
            actor=bandung.staff.user,
            kind="dinas_luar",
            start_date=saturday,
            end_date=saturday,
            reason="Pameran investasi di Jakarta",
        )
        actions.decide_absence(actor=bandung.chief.user, item=item, approve=True)
    entry = log(bandung, day=saturday, start="19:00", end="21:00", is_official_travel=True).entry
    assert entry.is_official_travel and entry.credited_minutes == 60


@pytest.mark.parametrize(
    ("start", "end", "ok"),
    [
        ("06:30", "07:30", True),
        ("06:29", "07:30", False),
        ("17:00", "18:00", True),
        ("17:00", "18:01", False),
    ],
)
def test_office_hours_with_tolerance(bandung, start, end, ok):
    if ok:
        assert log(bandung, start=start, end=end).entry.pk
    else:
        error = refusal(bandung, start=start, end=end)
        assert error.message_dict["start_time"] == [
            "Aktivitas harus berada dalam jam kerja 07.30–16.00 (dengan toleransi: 06.30–18.00), "
            "kecuali dinas luar."
        ]


def test_friday_has_its_own_office_hours(bandung, clock):
    clock.set(datetime.datetime(2026, 5, 8, 19, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    entry = log(bandung, day=datetime.date(2026, 5, 8), start="17:30", end="18:30").entry
    assert entry.pk  # Friday closes at 16.30, tolerance to 18.30


def test_end_before_start_is_refused(bandung):
    error = refusal(bandung, start="10:00", end="10:00")
    assert error.message_dict["end_time"] == ["Jam selesai (10.00) harus setelah jam mulai (10.00)."]


def test_overlap_is_refused_and_touching_is_fine(bandung):
    log(bandung, start="08:00", end="09:00")
    error = refusal(bandung, start="08:30", end="09:30")
    assert error.message_dict["start_time"] == [
        "Waktu 08.30–09.30 bertumpang tindih dengan aktivitas lain: Memverifikasi kelengkapan berkas "
        "permohonan izin (08.00–09.00)."
    ]
    assert log(bandung, start="09:00", end="10:00").entry.pk


def test_overlap_with_a_rejected_entry_is_allowed(bandung):
    first = log(bandung).entry
    with use_tenant(bandung.tenant):
        actions.validate_entry(
            actor=bandung.chief.user, entry=first, decision="reject", reason="Bukan tugas Anda"
        )
    assert log(bandung).entry.pk


def test_overlap_names_the_earliest_entry_met_and_rejected_minutes_leave_the_cap(bandung):
    """The day's credited minutes and the overlapping entries come from one statement."""
    first = log(bandung, start="08:00", end="09:00", code="kajian-teknis", volume=2).entry  # 240
    log(bandung, start="09:00", end="10:00")  # 60: the 300-minute quota is used up
    assert refusal(bandung, start="08:30", end="09:30").message_dict["start_time"] == [
        "Waktu 08.30–09.30 bertumpang tindih dengan aktivitas lain: Menyusun kajian teknis permohonan "
        "izin (08.00–09.00)."
    ]
    assert log(bandung, start="10:00", end="11:00").entry.credited_minutes == 0
    with use_tenant(bandung.tenant):
        actions.validate_entry(
            actor=bandung.chief.user, entry=first, decision="reject", reason="Tidak sesuai"
        )
    assert refusal(bandung, start="08:30", end="09:30").message_dict["start_time"] == [
        "Waktu 08.30–09.30 bertumpang tindih dengan aktivitas lain: Memverifikasi kelengkapan berkas "
        "permohonan izin (09.00–10.00)."
    ]
    # The rejection gave the 10:00 entry its 60 minutes back; 120 of the quota are used, 180 are left.
    later = log(bandung, start="11:00", end="13:00", code="kajian-teknis", volume=2)
    assert (later.entry.claimed_minutes, later.entry.credited_minutes, later.notice) == (
        240,
        180,
        "Menit dihitung dibatasi kuota harian 300 menit efektif: 240 menit diklaim, 180 menit dihitung.",
    )


def test_future_day_is_refused(bandung):
    error = refusal(bandung, day=datetime.date(2026, 5, 6))
    assert error.message_dict["date"] == [
        "Aktivitas tanggal 06-05-2026 belum dapat diisi; isi aktivitas yang sudah dikerjakan."
    ]


def test_entry_deadline_h_plus_3_working_days(bandung, clock):
    # Monday 27 April: H+3 working days is Thursday 30 April; on Tuesday 5 May the day is locked.
    error = refusal(bandung, day=datetime.date(2026, 4, 27))
    assert error.message_dict["date"] == [
        "Batas input aktivitas tanggal 27-04-2026 adalah 30-04-2026 (H+3 hari kerja); hari itu sudah dikunci."
    ]
    # Wednesday 29 April: deadline skips the 1 May holiday and the weekend -> Tuesday 5 May, still open.
    assert log(bandung, day=datetime.date(2026, 4, 29)).entry.pk


def test_daily_cap_limits_credited_minutes_and_says_so(bandung):
    log(bandung, start="08:00", end="10:00", code="kajian-teknis", volume=2)  # 240
    result = log(bandung, start="10:00", end="11:00", code="verifikasi-berkas", volume=5)  # 100 claimed
    assert (result.entry.claimed_minutes, result.entry.credited_minutes) == (100, 60)
    assert result.notice == (
        "Menit dihitung dibatasi kuota harian 300 menit efektif: 100 menit diklaim, 60 menit dihitung."
    )
    third = log(bandung, start="11:00", end="11:30", code="draf-izin", volume=1)
    assert third.entry.credited_minutes == 0


def test_deleting_an_entry_gives_its_quota_back_to_later_entries(bandung):
    first = log(bandung, start="08:00", end="10:00", code="kajian-teknis", volume=2).entry  # 240
    second = log(bandung, start="10:00", end="11:00", code="verifikasi-berkas", volume=5).entry  # 60 of 100
    with use_tenant(bandung.tenant):
        actions.delete_entry(actor=bandung.staff.user, entry=first)
        second.refresh_from_db()
        assert second.credited_minutes == 100
        assert not ActivityEntry.objects.filter(pk=first.pk).exists()


def test_activity_outside_ones_catalogue_is_refused(bandung):
    with pytest.raises(ValidationError) as caught:
        log(bandung, code="usulan-mutasi")  # a kepegawaian activity, staff is perizinan
    assert caught.value.message_dict["activity"] == [
        "Aktivitas itu tidak ada dalam katalog jabatan Anda untuk bulan ini."
    ]


def test_someone_not_registered_as_employee_cannot_log(bandung, make_person):
    outsider = make_person(bandung.tenant, roles=["official"])
    with use_tenant(bandung.tenant), pytest.raises(PermissionDenied) as caught:
        actions.log_entry(
            actor=outsider,
            day=MONDAY,
            start_time=t("08:00"),
            end_time=t("09:00"),
            volume=1,
            output="x",
            activity_id=activity(bandung, "laporan-harian").pk,
        )
    assert str(caught.value) == "Anda belum terdaftar sebagai pegawai ASN di e-Kinerja daerah ini."


def test_update_applies_the_same_rules_and_only_the_owner_may(bandung):
    entry = log(bandung).entry
    with use_tenant(bandung.tenant):
        result = actions.update_entry(
            actor=bandung.staff.user, entry=entry, values={"volume": 6, "end_time": t("10:00")}
        )
        assert (result.entry.claimed_minutes, result.entry.credited_minutes) == (120, 120)
        with pytest.raises(ValidationError) as caught:
            actions.update_entry(actor=bandung.staff.user, entry=entry, values={"end_time": t("07:00")})
        assert caught.value.message_dict["end_time"] == [
            "Jam selesai (07.00) harus setelah jam mulai (08.00)."
        ]
        with pytest.raises(PermissionDenied):
            actions.update_entry(actor=bandung.office.staff2.user, entry=entry, values={"volume": 1})
        entry.refresh_from_db()
        assert (entry.volume, entry.end_time) == (6, t("10:00"))


def test_validated_entry_can_no_longer_be_changed(bandung):
    entry = log(bandung).entry
    with use_tenant(bandung.tenant):
        actions.validate_entry(actor=bandung.chief.user, entry=entry, decision="approve")
        with pytest.raises(ValidationError) as caught:
            actions.delete_entry(actor=bandung.staff.user, entry=entry)
        assert (
            messages(caught.value)
            == "Aktivitas ini sudah divalidasi atasan (Disetujui) dan tidak dapat diubah lagi."
        )
        assert ActivityEntry.objects.filter(pk=entry.pk).exists()


def test_month_uses_the_config_version_in_force(bandung, clock):
    from praja.modules.performance.testing import approved_config

    with use_tenant(bandung.tenant):
        june = approved_config(effective_from=datetime.date(2026, 6, 1), daily_quota_minutes=240)
    clock.set(datetime.datetime(2026, 6, 3, 10, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=7))))
    may_entry = log(
        bandung, day=datetime.date(2026, 5, 29), code="kajian-teknis", volume=3, start="08:00", end="11:00"
    )
    june_entry = log(
        bandung, day=datetime.date(2026, 6, 2), code="kajian-teknis", volume=3, start="08:00", end="11:00"
    )
    assert (may_entry.entry.config, may_entry.entry.credited_minutes) == (bandung.config, 300)
    assert (june_entry.entry.config, june_entry.entry.credited_minutes) == (june, 240)


def test_a_version_approved_elsewhere_applies_to_the_next_entry_at_once(bandung):
    """Entries keep approved versions per process; which one is in force is still read every time."""
    from django.utils import timezone

    from praja.modules.performance import catalogue
    from praja.modules.performance.models import PerformanceConfig

    assert log(bandung, start="08:00", end="09:00").entry.config == bandung.config
    with use_tenant(bandung.tenant):
        draft = catalogue.create_config_draft(
            actor=bandung.bkpsdm, effective_from=MONDAY, values={"daily_quota_minutes": 120}
        )
        catalogue.save_activity(
            actor=bandung.bkpsdm,
            config=draft,
            values={
                "code": "uji-petik",
                "name": "Uji petik lapangan",
                "output_unit": "lokasi",
                "standard_minutes": 90,
                "job_family": "",
            },
        )
        new_activity = draft.activities.get(code="uji-petik")
    with use_tenant(bandung.tenant), pytest.raises(ValidationError) as caught:  # still a draft
        actions.log_entry(
            actor=bandung.staff.user,
            day=MONDAY,
            start_time=t("10:00"),
            end_time=t("11:30"),
            volume=1,
            output="1 lokasi",
            activity_id=new_activity.pk,
        )
    assert caught.value.message_dict["activity"] == [
        "Aktivitas itu tidak ada dalam katalog jabatan Anda untuk bulan ini."
    ]
    # Approved by another worker process: nothing in this process hears of it.
    with use_tenant(bandung.tenant):
        PerformanceConfig.objects.filter(pk=draft.pk).update(status="approved", approved_at=timezone.now())
    result = log(bandung, start="10:00", end="11:30", code="uji-petik", volume=1)
    assert (result.entry.config.pk, result.entry.activity_id) == (draft.pk, new_activity.pk)
    assert (result.entry.claimed_minutes, result.entry.credited_minutes) == (90, 60)  # v2: 120 - 60 used
