"""Integrity signals: flagged and not-flagged cases, deduplication."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from praja.core.tenancy.context import use_tenant
from praja.modules.performance.tpp import actions
from praja.modules.performance.tpp.models import IntegritySignal
from praja.modules.performance.tpp.testing import add_entry

from .conftest import MAY, MAY_WORKING_DAYS


def close(office, bkpsdm):
    with use_tenant(office.tenant):
        return actions.compute_month_close(actor=bkpsdm, month=MAY, today=datetime.date(2026, 6, 10))


def signals(office, kind):
    return list(IntegritySignal.all_tenants.filter(tenant=office.tenant, kind=kind).order_by("subject_id"))


def test_same_evidence_file_on_two_employees_entries_is_flagged(office, bkpsdm):
    sha = "ab" * 32
    add_entry(office.staff[0], MAY_WORKING_DAYS[0], sha256=sha, validated_by=office.head)
    add_entry(office.staff[1], MAY_WORKING_DAYS[1], sha256=sha, validated_by=office.head)
    # Evidence used once is fine.
    add_entry(office.staff[1], MAY_WORKING_DAYS[2], sha256="cd" * 32, validated_by=office.head)
    close(office, bkpsdm)
    [signal] = signals(office, "duplicate_evidence")
    names = sorted(employee.user.full_name for employee in office.staff)
    assert signal.subject_id == sha
    assert signal.explanation == (
        f"Berkas bukti yang sama (SHA-256 {sha[:12]}…) dilampirkan pada 2 aktivitas oleh 2 pegawai: "
        f"{names[0]}, {names[1]}."
    )
    assert [row["date"] for row in signal.evidence["entries"]] == ["2026-05-04", "2026-05-05"]


def _validated(office, employee, day, hour, wait_seconds, status="approved"):
    created = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))
    add_entry(
        employee,
        day,
        f"{hour:02d}:00",
        f"{hour:02d}:30",
        status=status,
        validated_by=office.head,
        created_at=created,
        validated_at=created + datetime.timedelta(seconds=wait_seconds),
    )


def test_supervisor_approving_everything_within_seconds_is_flagged(office, bkpsdm):
    for index, day in enumerate(MAY_WORKING_DAYS[:10]):
        for employee in office.staff:
            _validated(office, employee, day, 8 + index % 4, wait_seconds=5)
    close(office, bkpsdm)
    [signal] = signals(office, "instant_approvals")
    assert signal.subject_id == str(office.head.pk)
    assert signal.evidence == {"decided": 20, "approved_instantly": 20, "within_seconds": 60}
    assert signal.explanation.startswith(
        f"{office.head.full_name} menyetujui 20 dari 20 aktivitas bawahan (100 %)"
    )


def test_careful_supervisor_is_not_flagged(office, bkpsdm):
    # 19 of 20 instantly is exactly 95 %: not more than 95 %; one read for ten minutes.
    for index, day in enumerate(MAY_WORKING_DAYS[:10]):
        for number, employee in enumerate(office.staff):
            wait = 600 if (index, number) == (0, 0) else 5
            _validated(office, employee, day, 9, wait_seconds=wait)
    close(office, bkpsdm)
    assert signals(office, "instant_approvals") == []


def test_fewer_than_twenty_decisions_are_not_judged(office, bkpsdm):
    for day in MAY_WORKING_DAYS[:9]:
        for employee in office.staff:
            _validated(office, employee, day, 9, wait_seconds=1)
    close(office, bkpsdm)
    assert signals(office, "instant_approvals") == []


def test_day_logged_longer_than_office_hours_is_flagged(office, bkpsdm):
    # Monday 4 May: office hours 07:30-16:00 = 510 minutes; 600 minutes logged.
    add_entry(office.staff[0], MAY_WORKING_DAYS[0], "07:00", "12:00", validated_by=office.head)
    add_entry(office.staff[0], MAY_WORKING_DAYS[0], "12:00", "17:00", validated_by=office.head)
    # Tuesday: 480 minutes, within office hours.
    add_entry(office.staff[1], MAY_WORKING_DAYS[1], "07:30", "15:30", validated_by=office.head)
    close(office, bkpsdm)
    [signal] = signals(office, "day_over_office_hours")
    assert signal.subject_id == str(office.staff[0].pk)
    assert signal.evidence == {"days": [{"date": "2026-05-04", "logged_minutes": 600, "office_minutes": 510}]}
    assert "600 menit pada 2026-05-04 (jam kerja 510 menit)" in signal.explanation


def test_record_signal_is_deduplicated_per_subject_kind_and_month(tenant_a):
    with use_tenant(tenant_a):
        first = actions.record_signal(
            kind="overlap_attempt",
            subject_type="employee",
            subject_id=7,
            month=datetime.date(2026, 5, 4),
            explanation="Percobaan pertama",
            evidence={"n": 1},
        )
        second = actions.record_signal(
            kind="overlap_attempt",
            subject_type="employee",
            subject_id=7,
            month=datetime.date(2026, 5, 20),
            explanation="Percobaan kedua",
            evidence={"n": 2},
        )
        other_month = actions.record_signal(
            kind="overlap_attempt",
            subject_type="employee",
            subject_id=7,
            month=datetime.date(2026, 6, 1),
            explanation="Juni",
        )
    assert first.pk == second.pk != other_month.pk
    first.refresh_from_db()
    assert (first.month, first.explanation, first.evidence) == (MAY, "Percobaan kedua", {"n": 2})
    with use_tenant(tenant_a), pytest.raises(ValueError):
        actions.record_signal(kind="nonsense", subject_type="x", subject_id=1, month=MAY, explanation="")
