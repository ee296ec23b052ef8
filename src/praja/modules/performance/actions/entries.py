"""Activity entries of an employee: log, change, delete; the daily cap is re-applied on each change."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.calendar import selectors as calendar
from praja.core.tenancy.context import require_current_tenant
from praja.modules.performance import rules, selectors
from praja.modules.performance.actions._common import (
    EVIDENCE_TYPES,
    _config_for,
    _lock_employee_and_version_in_force,
    _require_employee,
    _signal,
)
from praja.modules.performance.models import (
    AbsenceKind,
    ActivityEntry,
    Employee,
    EntryStatus,
)


@dataclass
class EntryResult:
    entry: ActivityEntry
    notice: str  # the cap rule when it cut the minutes, else ""


def _entry_checks(
    *, tenant, employee, config, day, start_time, end_time, volume, is_official_travel, exclude_pk=None
) -> int:
    """Refuse an entry that breaks a rule (ValidationError); else the minutes already credited on
    its day, which the daily cap needs."""
    today = selectors.local_today(tenant)
    is_working = calendar.is_working_day(tenant, day)
    deadline = rules.entry_deadline(
        day, config.entry_deadline_working_days, selectors.working_day_checker(tenant)
    )
    credited_on_day, overlapping = selectors.credited_and_overlapping_on(
        employee, day, start_time, end_time, exclude_pk=exclude_pk
    )
    refusal = rules.check_entry(
        day=day,
        start_time=start_time,
        end_time=end_time,
        today=today,
        is_working_day=is_working,
        non_working_reason="" if is_working else selectors.non_working_reason(tenant, day),
        office_hours=config.office_hours,
        tolerance_before_minutes=config.tolerance_before_minutes,
        tolerance_after_minutes=config.tolerance_after_minutes,
        deadline=deadline,
        deadline_working_days=config.entry_deadline_working_days,
        is_official_travel=is_official_travel,
        has_official_travel_approval=is_official_travel
        and selectors.has_approved_absence(employee, day, AbsenceKind.OFFICIAL_TRAVEL),
        others=overlapping,
        volume=volume,
    )
    if refusal is not None:
        if refusal.code == "overlap":
            _signal(
                kind="overlap_attempt",
                subject_type="employee",
                subject_id=employee.pk,
                subject_label=str(employee),
                org_unit=employee.org_unit,
                month=day,
                explanation=refusal.message,
                evidence={
                    "date": day.isoformat(),
                    "start": start_time.isoformat(),
                    "end": end_time.isoformat(),
                },
            )
        raise ValidationError({refusal.field: ValidationError(refusal.message, code=refusal.code)})
    return credited_on_day


def _resolve_activity(*, employee, config, activity_id, is_additional_task, description):
    if is_additional_task:
        if not (description or "").strip():
            raise ValidationError({"description": _("Uraikan tugas tambahan yang dikerjakan.")})
        return None
    if not activity_id:
        raise ValidationError(
            {"activity": _("Pilih aktivitas dari katalog jabatan Anda, atau tandai sebagai tugas tambahan.")}
        )
    activity = selectors.catalogue_activity(employee, config, activity_id)
    if activity is None:
        raise ValidationError(
            {"activity": _("Aktivitas itu tidak ada dalam katalog jabatan Anda untuk bulan ini.")}
        )
    return activity


def _additional_task_minutes(start_time, end_time) -> int:
    # A tugas tambahan has no catalogue standard: its standard is the time spent (then weighted).
    return rules.minutes_of(end_time) - rules.minutes_of(start_time)


def _claimed(*, config, activity, volume, is_additional_task, start_time, end_time) -> int:
    standard = activity.standard_minutes if activity else _additional_task_minutes(start_time, end_time)
    return rules.claimed_minutes(
        volume=volume if activity else 1,
        standard_minutes=standard,
        is_additional_task=is_additional_task,
        additional_task_weight=config.additional_task_weight,
    )


def recompute_day(employee: Employee, day: datetime.date, quota: int) -> dict[int, int]:
    """Re-apply the daily cap: validated entries keep their minutes, submitted ones fill what is left."""
    entries = list(selectors.list_entries_for_day(employee, day).exclude(status=EntryStatus.REJECTED))
    fixed = sum(e.credited_minutes for e in entries if e.status != EntryStatus.SUBMITTED)
    pending = [e for e in entries if e.status == EntryStatus.SUBMITTED]
    credited = rules.allocate_daily_cap([(e.pk, e.claimed_minutes) for e in pending], max(0, quota - fixed))
    for entry in pending:
        if entry.credited_minutes != credited[entry.pk]:
            entry.credited_minutes = credited[entry.pk]
            entry.save(update_fields=["credited_minutes", "updated_at"])
    return credited


def _store_evidence(actor, evidence_file, entry_label: str):
    if evidence_file is None:
        return None
    from praja.core.documents.actions import store_upload

    return store_upload(
        actor=actor, uploaded_file=evidence_file, allowed_types=EVIDENCE_TYPES, purpose=entry_label
    )


def _check_duplicate_evidence(entry: ActivityEntry) -> None:
    if not entry.evidence_sha256:
        return
    other = (
        ActivityEntry.objects.filter(evidence_sha256=entry.evidence_sha256)
        .exclude(pk=entry.pk)
        .select_related("employee__user")
        .first()
    )
    if other is not None:
        _signal(
            kind="duplicate_evidence",
            subject_type="employee",
            subject_id=entry.employee_id,
            subject_label=str(entry.employee),
            org_unit=entry.employee.org_unit,
            month=entry.date,
            explanation=_(
                "Bukti yang sama (SHA-256 %(sha)s…) dipakai juga untuk aktivitas %(other)s tanggal %(date)s."
            )
            % {
                "sha": entry.evidence_sha256[:12],
                "other": other.employee,
                "date": other.date.strftime("%d-%m-%Y"),
            },
            evidence={"entry": entry.pk, "other_entry": other.pk, "sha256": entry.evidence_sha256},
        )


def log_entry(
    *,
    actor,
    day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    volume: int,
    output: str,
    activity_id: int | None = None,
    is_additional_task: bool = False,
    description: str = "",
    evidence_file=None,
    evidence_link: str = "",
    is_official_travel: bool = False,
) -> EntryResult:
    """Record one activity of `actor` on `day`; credited minutes are capped at the daily quota.

    The hot path of e-Kinerja (bench.performance_entries): one statement finds and locks the
    employee and names the config version in force, one sums the day's credited minutes and finds
    the entries the new one would overlap (both in plain SQL, selectors.py), then the insert and the
    audit record.
    """
    tenant = require_current_tenant()
    with transaction.atomic():
        employee, config = _lock_employee_and_version_in_force(actor, tenant, day)
        if not (output or "").strip():
            raise ValidationError({"output": _("Isi keluaran (hasil kerja) aktivitas ini.")})
        activity = _resolve_activity(
            employee=employee,
            config=config,
            activity_id=activity_id,
            is_additional_task=is_additional_task,
            description=description,
        )
        credited_on_day = _entry_checks(
            tenant=tenant,
            employee=employee,
            config=config,
            day=day,
            start_time=start_time,
            end_time=end_time,
            volume=volume,
            is_official_travel=is_official_travel,
        )
        stored = _store_evidence(actor, evidence_file, "performance.evidence")
        claimed = _claimed(
            config=config,
            activity=activity,
            volume=volume,
            is_additional_task=is_additional_task,
            start_time=start_time,
            end_time=end_time,
        )
        left = max(0, config.daily_quota_minutes - credited_on_day)
        entry = ActivityEntry.objects.create(
            employee=employee,
            owner=actor,
            config=config,
            date=day,
            start_time=start_time,
            end_time=end_time,
            activity=activity,
            is_additional_task=is_additional_task,
            description=(description or "").strip(),
            volume=volume,
            output=output.strip(),
            evidence_file=stored,
            evidence_sha256=stored.sha256 if stored else "",
            evidence_link=evidence_link,
            is_official_travel=is_official_travel,
            claimed_minutes=claimed,
            credited_minutes=min(claimed, left),
        )
        record(
            "performance.entry_logged",
            actor=actor,
            obj=entry,
            data={
                "date": day.isoformat(),
                "start": start_time.strftime("%H:%M"),
                "end": end_time.strftime("%H:%M"),
                "activity": activity.code if activity else None,
                "volume": volume,
                "claimed": claimed,
                "credited": entry.credited_minutes,
                **({"evidence_sha256": entry.evidence_sha256} if entry.evidence_sha256 else {}),
            },
        )
        _check_duplicate_evidence(entry)
    return EntryResult(
        entry,
        rules.cap_message(claimed=claimed, credited=entry.credited_minutes, quota=config.daily_quota_minutes),
    )


def _require_open_own_entry(actor, entry: ActivityEntry) -> None:
    if entry.owner_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("Hanya pemilik aktivitas yang dapat mengubah atau menghapusnya."))
    if entry.status != EntryStatus.SUBMITTED:
        raise ValidationError(
            _("Aktivitas ini sudah divalidasi atasan (%(status)s) dan tidak dapat diubah lagi.")
            % {"status": entry.get_status_display()}
        )


def update_entry(*, actor, entry: ActivityEntry, values: dict[str, Any]) -> EntryResult:
    """Change a submitted entry of one's own before the entry deadline (same rules as a new one)."""
    employee = _require_employee(actor)
    tenant = require_current_tenant()
    with transaction.atomic():
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        entry = ActivityEntry.objects.select_for_update().get(pk=entry.pk)
        _require_open_own_entry(actor, entry)
        config = entry.config
        # The original day must still be open, and so must the new one.
        deadline = rules.entry_deadline(
            entry.date, config.entry_deadline_working_days, selectors.working_day_checker(tenant)
        )
        if selectors.local_today(tenant) > deadline:
            raise ValidationError(
                _("Batas input aktivitas tanggal %(date)s adalah %(deadline)s; hari itu sudah dikunci.")
                % {"date": entry.date.strftime("%d-%m-%Y"), "deadline": deadline.strftime("%d-%m-%Y")}
            )
        day = values.get("date", entry.date)
        if (day.year, day.month) != (entry.date.year, entry.date.month):
            config = _config_for(tenant, day)
        start_time = values.get("start_time", entry.start_time)
        end_time = values.get("end_time", entry.end_time)
        volume = int(values.get("volume", entry.volume))
        is_additional = bool(values.get("is_additional_task", entry.is_additional_task))
        description = values.get("description", entry.description)
        activity = _resolve_activity(
            employee=employee,
            config=config,
            activity_id=values.get("activity_id", entry.activity_id),
            is_additional_task=is_additional,
            description=description,
        )
        travel = bool(values.get("is_official_travel", entry.is_official_travel))
        _entry_checks(
            tenant=tenant,
            employee=employee,
            config=config,
            day=day,
            start_time=start_time,
            end_time=end_time,
            volume=volume,
            is_official_travel=travel,
            exclude_pk=entry.pk,
        )
        old_day = entry.date
        entry.date, entry.start_time, entry.end_time, entry.volume = day, start_time, end_time, volume
        entry.activity, entry.is_additional_task, entry.description = (
            activity,
            is_additional,
            (description or "").strip(),
        )
        entry.output = (values.get("output", entry.output) or "").strip() or entry.output
        entry.evidence_link = values.get("evidence_link", entry.evidence_link)
        entry.is_official_travel, entry.config = travel, config
        entry.claimed_minutes = _claimed(
            config=config,
            activity=activity,
            volume=volume,
            is_additional_task=is_additional,
            start_time=start_time,
            end_time=end_time,
        )
        entry.credited_minutes = 0
        entry.save()
        recompute_day(employee, old_day, config.daily_quota_minutes)
        if day != old_day:
            recompute_day(employee, day, config.daily_quota_minutes)
        entry.refresh_from_db()
        record(
            "performance.entry_changed",
            actor=actor,
            obj=entry,
            data={
                "date": day.isoformat(),
                "claimed": entry.claimed_minutes,
                "credited": entry.credited_minutes,
            },
        )
    return EntryResult(
        entry,
        rules.cap_message(
            claimed=entry.claimed_minutes, credited=entry.credited_minutes, quota=config.daily_quota_minutes
        ),
    )


def delete_entry(*, actor, entry: ActivityEntry) -> None:
    employee = _require_employee(actor)
    tenant = require_current_tenant()
    with transaction.atomic():
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        entry = ActivityEntry.objects.select_for_update().get(pk=entry.pk)
        _require_open_own_entry(actor, entry)
        deadline = rules.entry_deadline(
            entry.date, entry.config.entry_deadline_working_days, selectors.working_day_checker(tenant)
        )
        if selectors.local_today(tenant) > deadline:
            raise ValidationError(
                _("Batas input aktivitas tanggal %(date)s adalah %(deadline)s; hari itu sudah dikunci.")
                % {"date": entry.date.strftime("%d-%m-%Y"), "deadline": deadline.strftime("%d-%m-%Y")}
            )
        record(
            "performance.entry_deleted",
            actor=actor,
            obj=entry,
            data={
                "date": entry.date.isoformat(),
                "start": entry.start_time.strftime("%H:%M"),
                "claimed": entry.claimed_minutes,
            },
        )
        day, quota = entry.date, entry.config.daily_quota_minutes
        entry.delete()
        recompute_day(employee, day, quota)
