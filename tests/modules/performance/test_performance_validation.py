"""Supervisor validation: direct reports only, never one's own, before the deadline, audited."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.core.workflow.errors import GuardFailed
from praja.modules.performance import actions, selectors
from praja.modules.performance.models import ActivityEntry, EntryStatus

from .test_performance_entries import MONDAY, log

WIB = datetime.timezone(datetime.timedelta(hours=7))


def test_direct_supervisor_approves_and_the_minutes_count(bandung):
    entry = log(bandung, volume=3).entry
    with use_tenant(bandung.tenant):
        actions.validate_entry(actor=bandung.chief.user, entry=entry, decision="approve")
        entry.refresh_from_db()
        assert (entry.status, entry.approved_minutes, entry.validated_by) == (
            EntryStatus.APPROVED,
            60,
            bandung.chief.user,
        )
        event = AuditEvent.objects.get(event_type="performance.entry_approved")
        assert json.loads(event.data)["to"] == "approved"
        assert selectors.approved_minutes_by_day(bandung.staff, 2026, 5) == {MONDAY: 60}
        assert selectors.approved_minutes_by_employee(bandung.tenant, 2026, 5) == {bandung.staff.pk: 60}


def test_reject_needs_a_reason_and_counts_zero(bandung):
    entry = log(bandung).entry
    with use_tenant(bandung.tenant):
        with pytest.raises(GuardFailed) as caught:
            actions.validate_entry(actor=bandung.chief.user, entry=entry, decision="reject", reason="")
        assert str(caught.value) == 'Isi alasan untuk "Tolak aktivitas"; pemohon akan membacanya.'
        entry.refresh_from_db()
        assert entry.status == EntryStatus.SUBMITTED
        actions.validate_entry(actor=bandung.chief.user, entry=entry, decision="reject", reason="Tanpa bukti")
        entry.refresh_from_db()
        assert (entry.status, entry.approved_minutes, entry.validation_reason) == (
            "rejected",
            0,
            "Tanpa bukti",
        )
        assert selectors.approved_minutes_by_day(bandung.staff, 2026, 5) == {MONDAY: 0}


def test_adjust_sets_minutes_within_the_credited_range(bandung):
    entry = log(bandung, volume=3).entry  # 60 credited
    with use_tenant(bandung.tenant):
        with pytest.raises(ValidationError) as caught:
            actions.validate_entry(
                actor=bandung.chief.user, entry=entry, decision="adjust", reason="Volume", approved_minutes=61
            )
        assert caught.value.message_dict["approved_minutes"] == [
            "Menit hasil revisi harus antara 0 dan 60 (menit yang dihitung untuk aktivitas ini)."
        ]
        actions.validate_entry(
            actor=bandung.chief.user,
            entry=entry,
            decision="adjust",
            reason="Dua berkas saja",
            approved_minutes=40,
        )
        entry.refresh_from_db()
        assert (entry.status, entry.approved_minutes) == (EntryStatus.ADJUSTED, 40)


def test_own_entry_cannot_be_validated(bandung):
    entry = log(bandung, employee=bandung.chief, code="disposisi").entry
    with use_tenant(bandung.tenant), pytest.raises(PermissionDenied) as caught:
        actions.validate_entry(actor=bandung.chief.user, entry=entry, decision="approve")
    assert str(caught.value) == (
        "Anda tidak dapat memvalidasi aktivitas Anda sendiri; aktivitas divalidasi oleh atasan langsung."
    )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_someone_outside_the_chain_is_refused(bandung):
    entry = log(bandung).entry
    # The head of the agency is the supervisor's supervisor, not the direct supervisor; a peer neither.
    for outsider in (bandung.office.head.user, bandung.office.staff2.user):
        with use_tenant(bandung.tenant), pytest.raises(GuardFailed) as caught:
            actions.validate_entry(actor=outsider, entry=entry, decision="approve")
        assert str(caught.value) == (
            f"Anda bukan atasan langsung {bandung.staff.user.full_name} menurut rantai jabatan; hanya atasan "
            "langsung yang dapat memvalidasi atau menyetujui."
        )
    entry.refresh_from_db()
    assert entry.status == EntryStatus.SUBMITTED


def test_staff2_reports_to_the_chief_too(bandung):
    with use_tenant(bandung.tenant):
        reports = list(selectors.list_direct_reports(bandung.chief.user))
    assert reports == sorted([bandung.staff, bandung.office.staff2], key=lambda e: e.user.full_name)


def test_validation_deadline_is_day_5_of_next_month(bandung, clock):
    entry = log(bandung).entry
    clock.set(datetime.datetime(2026, 6, 5, 23, 59, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        actions.validate_entry(actor=bandung.chief.user, entry=entry, decision="approve")
    second = None
    clock.set(datetime.datetime(2026, 5, 5, 11, 0, tzinfo=WIB))
    second = log(bandung, start="10:00", end="11:00").entry
    clock.set(datetime.datetime(2026, 6, 6, 0, 1, tzinfo=WIB))
    with use_tenant(bandung.tenant), pytest.raises(GuardFailed) as caught:
        actions.validate_entry(actor=bandung.chief.user, entry=second, decision="approve")
    assert str(caught.value) == (
        "Batas validasi aktivitas bulan ini sudah lewat (tanggal 5 bulan berikutnya, yaitu 05-06-2026); "
        "aktivitas tidak dapat divalidasi lagi."
    )


def test_bulk_approves_a_whole_day_and_reports_refusals(bandung):
    own = log(bandung, employee=bandung.chief, code="disposisi", start="08:00", end="08:30").entry
    first = log(bandung, start="08:00", end="09:00").entry
    second = log(bandung, start="09:00", end="10:00").entry
    third = log(
        bandung, employee=bandung.office.staff2, code="agenda-surat", start="08:00", end="09:00"
    ).entry
    with use_tenant(bandung.tenant):
        day = list(selectors.list_entries_to_validate(bandung.chief.user, day=MONDAY))
        assert day == [first, second, third] or set(day) == {first, second, third}
        result = actions.validate_entries(actor=bandung.chief.user, entries=[*day, own])
        assert {e.pk for e in result.done} == {first.pk, second.pk, third.pk}
        assert [(e.pk, msg) for e, msg in result.refused] == [
            (
                own.pk,
                "Anda tidak dapat memvalidasi aktivitas Anda sendiri; "
                "aktivitas divalidasi oleh atasan langsung.",
            )
        ]
        assert set(ActivityEntry.objects.filter(status="approved").values_list("pk", flat=True)) == {
            first.pk,
            second.pk,
            third.pk,
        }
        assert AuditEvent.objects.filter(event_type="performance.entry_approved").count() == 3


def test_rejection_frees_the_quota_for_later_entries(bandung):
    first = log(bandung, start="08:00", end="10:00", code="kajian-teknis", volume=2).entry  # 240
    second = log(bandung, start="10:00", end="11:00", volume=5).entry  # 60 of 100
    with use_tenant(bandung.tenant):
        actions.validate_entry(actor=bandung.chief.user, entry=first, decision="reject", reason="Duplikat")
        second.refresh_from_db()
    assert second.credited_minutes == 100


def test_auto_approve_policy_counts_unvalidated_entries_after_the_deadline(bandung, clock):
    from praja.modules.performance.models import PerformanceConfig

    entry = log(bandung).entry
    PerformanceConfig.all_tenants.filter(pk=bandung.config.pk).update(unvalidated_policy="auto_approve")
    with use_tenant(bandung.tenant):
        assert selectors.approved_minutes_by_day(bandung.staff, 2026, 5) == {MONDAY: 0}
        clock.set(datetime.datetime(2026, 6, 6, 8, 0, tzinfo=WIB))
        assert selectors.approved_minutes_by_day(bandung.staff, 2026, 5) == {MONDAY: 60}
        assert actions.auto_approve_month(tenant=bandung.tenant, year=2026, month=5) == 1
        entry.refresh_from_db()
        assert (entry.status, entry.approved_minutes) == ("approved", 60)


def test_count_zero_policy_ignores_unvalidated_entries_after_the_deadline(bandung, clock):
    log(bandung)
    clock.set(datetime.datetime(2026, 6, 6, 8, 0, tzinfo=WIB))
    with use_tenant(bandung.tenant):
        assert selectors.approved_minutes_by_day(bandung.staff, 2026, 5) == {MONDAY: 0}
        assert actions.auto_approve_month(tenant=bandung.tenant, year=2026, month=5) == 0
