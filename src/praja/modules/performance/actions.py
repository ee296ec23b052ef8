"""Writers of e-Kinerja: employees, activity entries, validation, attendance, leave and corrections.

Each is keyword-only with `actor`, checks permission inside, runs in one transaction and records
the change on the audit chain. Status changes go through `praja.core.workflow.transition()`.
Per-employee writes lock the Employee row first, so overlap and the daily cap hold under load.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.accounts.models import RoleGrant
from praja.core.audit.actions import record
from praja.core.calendar import selectors as calendar
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.modules.performance import rules, selectors
from praja.modules.performance.models import (
    AbsenceKind,
    AbsenceRequest,
    ActivityEntry,
    ApelAbsence,
    AttendanceCorrection,
    AttendanceEvent,
    AttendanceKind,
    AttendanceSource,
    AttendanceTerminal,
    Employee,
    EmployeeStatus,
    EmploymentType,
    EntryStatus,
    RequestStatus,
)
from praja.modules.performance.permissions import (
    MANAGE_EMPLOYEES,
    PEGAWAI,
    POST_ATTENDANCE_EVENTS,
    RECORD_APEL,
)

logger = logging.getLogger(__name__)

# A client clock further off than this is mentioned to the employee (it is never used anyway).
CLIENT_CLOCK_TOLERANCE_SECONDS = 120
EVIDENCE_TYPES = ("pdf", "jpeg", "png")


def _signal(**kwargs) -> None:
    """Raise an integrity signal through P2's tpp app (after commit; never breaks the caller)."""

    def send() -> None:
        try:
            from praja.modules.performance.tpp.actions import record_signal
        except ImportError:  # pragma: no cover - tpp not installed
            return
        try:
            with transaction.atomic():
                record_signal(**kwargs)
        except Exception:  # a signal is advisory; the user's action already succeeded or was refused
            logger.exception("integrity signal %s failed", kwargs.get("kind"))

    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(send)
    else:
        send()


# --------------------------------------------------------------------------------------------
# Employees


def _can_manage_employee(actor, org_unit) -> bool:
    return has_permission(actor, MANAGE_EMPLOYEES, org_unit=org_unit)


def register_employee(
    *,
    actor,
    user,
    org_unit,
    job_class: int,
    employment_type: str,
    position=None,
    job_family: str = "",
    status: str = EmployeeStatus.ACTIVE,
) -> Employee:
    """Add an ASN employee to e-Kinerja and give them the `performance_pegawai` role."""
    with transaction.atomic():
        if not (actor and actor.is_authenticated and _can_manage_employee(actor, org_unit)):
            raise PermissionDenied(
                _("Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat menambah pegawai.")
            )
        errors = {}
        if not user.nip:
            errors["user"] = _("Pegawai ASN harus memiliki NIP pada akunnya.")
        if not 1 <= int(job_class) <= 17:
            errors["job_class"] = _("Kelas jabatan harus 1 sampai 17.")
        if employment_type not in EmploymentType.values:
            errors["employment_type"] = _("Pilih jenis kepegawaian: PNS, PPPK atau CPNS.")
        if status not in EmployeeStatus.values:
            errors["status"] = _("Pilih status kepegawaian.")
        if Employee.objects.filter(user=user).exists():
            errors["user"] = _("%(name)s sudah terdaftar sebagai pegawai.") % {"name": user.full_name}
        if errors:
            raise ValidationError(errors)
        employee = Employee.objects.create(
            user=user,
            org_unit=org_unit,
            position=position,
            job_class=int(job_class),
            job_family=job_family,
            employment_type=employment_type,
            status=status,
        )
        if not RoleGrant.objects.filter(user=user, role=PEGAWAI.name, revoked_at__isnull=True).exists():
            RoleGrant.objects.create(user=user, role=PEGAWAI.name, granted_by=actor)
        record(
            "performance.employee_registered",
            actor=actor,
            obj=employee,
            data={
                "user_id": user.pk,
                "org_unit": org_unit.code,
                "job_class": int(job_class),
                "type": employment_type,
            },
        )
    return employee


def change_employee_status(*, actor, employee: Employee, status: str, reason: str) -> Employee:
    with transaction.atomic():
        if not (actor and actor.is_authenticated and _can_manage_employee(actor, employee.org_unit)):
            raise PermissionDenied(
                _("Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat mengubah status pegawai.")
            )
        if status not in EmployeeStatus.values:
            raise ValidationError({"status": _("Pilih status kepegawaian.")})
        if not reason.strip():
            raise ValidationError({"reason": _("Isi dasar perubahan status (nomor SK).")})
        employee = Employee.objects.select_for_update().get(pk=employee.pk)
        before = employee.status
        employee.status = status
        employee.save(update_fields=["status"])
        record(
            "performance.employee_status_changed",
            actor=actor,
            obj=employee,
            data={"before": before, "after": status, "reason": reason},
        )
    return employee


# --------------------------------------------------------------------------------------------
# Activity entries


@dataclass
class EntryResult:
    entry: ActivityEntry
    notice: str  # the cap rule when it cut the minutes, else ""


def _require_employee(actor) -> Employee:
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("Masuk terlebih dahulu."))
    employee = selectors.get_employee_for_user(actor)
    if employee is None:
        raise PermissionDenied(_("Anda belum terdaftar sebagai pegawai ASN di e-Kinerja daerah ini."))
    return employee


def _config_for(tenant, day: datetime.date):
    config = selectors.config_for_date(tenant, day)
    if config is None:
        raise ValidationError(
            {
                "date": _("Belum ada konfigurasi kinerja yang disetujui BKPSDM untuk bulan %(month)s.")
                % {"month": day.strftime("%m-%Y")}
            }
        )
    return config


def _entry_checks(
    *, tenant, employee, config, day, start_time, end_time, volume, is_official_travel, exclude_pk=None
) -> None:
    today = selectors.local_today(tenant)
    is_working = calendar.is_working_day(tenant, day)
    deadline = rules.entry_deadline(
        day, config.entry_deadline_working_days, selectors.working_day_checker(tenant)
    )
    day_entries = [
        entry
        for entry in selectors.list_entries_for_day(employee, day).exclude(status=EntryStatus.REJECTED)
        if entry.pk != exclude_pk
    ]
    others = [rules.OtherEntry(other.start_time, other.end_time, other.title) for other in day_entries]
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
        others=others,
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
    return day_entries


def _resolve_activity(*, employee, config, activity_id, is_additional_task, description):
    if is_additional_task:
        if not (description or "").strip():
            raise ValidationError({"description": _("Uraikan tugas tambahan yang dikerjakan.")})
        return None
    if not activity_id:
        raise ValidationError(
            {"activity": _("Pilih aktivitas dari katalog jabatan Anda, atau tandai sebagai tugas tambahan.")}
        )
    activity = selectors.catalogue_for(employee, config).filter(pk=activity_id).first()
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
    """Record one activity of `actor` on `day`; credited minutes are capped at the daily quota."""
    employee = _require_employee(actor)
    tenant = require_current_tenant()
    config = _config_for(tenant, day)
    if not (output or "").strip():
        raise ValidationError({"output": _("Isi keluaran (hasil kerja) aktivitas ini.")})
    with transaction.atomic():
        employee = (
            Employee.objects.select_for_update(of=("self",))
            .select_related("user", "org_unit")
            .get(pk=employee.pk)
        )
        activity = _resolve_activity(
            employee=employee,
            config=config,
            activity_id=activity_id,
            is_additional_task=is_additional_task,
            description=description,
        )
        day_entries = _entry_checks(
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
        left = max(0, config.daily_quota_minutes - sum(entry.credited_minutes for entry in day_entries))
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


# --------------------------------------------------------------------------------------------
# Validation by the direct supervisor


class ValidationDecision:
    APPROVE = "approve"
    REJECT = "reject"
    ADJUST = "adjust"
    ALL = (APPROVE, REJECT, ADJUST)


def _refuse_outside_chain(actor, entry: ActivityEntry) -> None:
    if entry.owner_id == getattr(actor, "pk", None):
        raise PermissionDenied(
            _(
                "Anda tidak dapat memvalidasi aktivitas Anda sendiri; "
                "aktivitas divalidasi oleh atasan langsung."
            )
        )


def validate_entry(
    *,
    actor,
    entry: ActivityEntry,
    decision: str,
    reason: str = "",
    approved_minutes: int | None = None,
    request=None,
) -> ActivityEntry:
    """Approve, reject (with reason) or adjust the minutes (with reason) of a subordinate's entry."""
    if decision not in ValidationDecision.ALL:
        raise ValidationError({"decision": _("Pilih keputusan: setujui, tolak atau revisi menit.")})
    _refuse_outside_chain(actor, entry)
    now = timezone.now()
    if decision == ValidationDecision.APPROVE:
        updates = {"approved_minutes": entry.credited_minutes}
    elif decision == ValidationDecision.REJECT:
        updates = {"approved_minutes": 0}
    else:
        if approved_minutes is None or not 0 <= int(approved_minutes) <= entry.credited_minutes:
            raise ValidationError(
                {
                    "approved_minutes": _(
                        "Menit hasil revisi harus antara 0 dan %(max)s "
                        "(menit yang dihitung untuk aktivitas ini)."
                    )
                    % {"max": entry.credited_minutes}
                }
            )
        updates = {"approved_minutes": int(approved_minutes)}
    updates |= {"validated_by": actor, "validated_at": now, "validation_reason": reason.strip()}
    transition(
        entry,
        decision,
        actor=actor,
        reason=reason.strip(),
        updates=updates,
        data={
            "approved_minutes": updates["approved_minutes"],
            **({"requested": approved_minutes} if decision == "adjust" else {}),
        },
        request=request,
    )
    if decision == ValidationDecision.REJECT:
        # The rejected minutes free the day's quota for the employee's other submitted entries.
        with transaction.atomic():
            Employee.objects.select_for_update().get(pk=entry.employee_id)
            recompute_day(entry.employee, entry.date, entry.config.daily_quota_minutes)
    return entry


@dataclass
class BulkResult:
    done: list[ActivityEntry]
    refused: list[tuple[ActivityEntry, str]]


def validate_entries(
    *, actor, entries, decision: str = ValidationDecision.APPROVE, reason: str = "", request=None
) -> BulkResult:
    """Validate many entries (e.g. a whole day); each is its own audited transition."""
    if decision not in (ValidationDecision.APPROVE, ValidationDecision.REJECT):
        raise ValidationError(
            {"decision": _("Validasi sekaligus hanya untuk setujui atau tolak; revisi menit satu per satu.")}
        )
    result = BulkResult([], [])
    for entry in entries:
        try:
            validate_entry(actor=actor, entry=entry, decision=decision, reason=reason, request=request)
        except (PermissionDenied, ValidationError) as error:
            result.refused.append((entry, _message_of(error)))
        except Exception as error:  # workflow refusals (guards, moved on) are reported per entry
            from praja.core.workflow.errors import WorkflowError

            if not isinstance(error, WorkflowError):
                raise
            result.refused.append((entry, str(error)))
        else:
            result.done.append(entry)
    return result


def _message_of(error) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    return str(error)


def auto_approve_month(*, tenant, year: int, month: int) -> int:
    """System job: with the auto-approve policy, approve what is still submitted after the deadline."""
    from praja.core.tenancy.context import use_tenant
    from praja.modules.performance.models import UnvalidatedPolicy

    with use_tenant(tenant):
        config = selectors.config_for_month(tenant, year, month)
        if config is None or config.unvalidated_policy != UnvalidatedPolicy.AUTO_APPROVE:
            return 0
        if selectors.local_today(tenant) <= rules.validation_deadline(
            datetime.date(year, month, 1), config.validation_deadline_day
        ):
            return 0
        first, last = rules.month_bounds(year, month)
        count = 0
        for entry in ActivityEntry.objects.filter(date__range=(first, last), status=EntryStatus.SUBMITTED):
            transition(
                entry, "auto_approve", actor=None, updates={"approved_minutes": entry.credited_minutes}
            )
            count += 1
        return count


# --------------------------------------------------------------------------------------------
# Attendance


def check_in_out(
    *,
    actor,
    kind: str,
    client_time: datetime.datetime | None = None,
    latitude=None,
    longitude=None,
    photo=None,
) -> tuple[AttendanceEvent, str]:
    """Record a web check-in/out at the server's time in the tenant's timezone; return (event, notice)."""
    employee = _require_employee(actor)
    tenant = require_current_tenant()
    if kind not in AttendanceKind.values:
        raise ValidationError({"kind": _("Pilih presensi masuk atau pulang.")})
    now = timezone.now()
    today = calendar.local_date(tenant, now)
    config = _config_for(tenant, today)
    distance = None
    if config.checkin_requires_location:
        if latitude in (None, "") or longitude in (None, ""):
            raise ValidationError(
                {
                    "latitude": _(
                        "Presensi di daerah ini wajib menyertakan lokasi; izinkan akses lokasi lalu ulangi."
                    )
                }
            )
        distance = rules.distance_m(latitude, longitude, config.office_latitude, config.office_longitude)
        if distance > config.geofence_radius_m:
            raise ValidationError(
                {
                    "latitude": _(
                        "Lokasi Anda %(distance)s m dari kantor; presensi hanya dalam radius %(radius)s m."
                    )
                    % {"distance": distance, "radius": config.geofence_radius_m}
                }
            )
    if config.checkin_requires_photo and photo is None:
        raise ValidationError({"photo": _("Presensi di daerah ini wajib menyertakan foto swafoto.")})
    offset = rules.client_offset_seconds(now, client_time)
    with transaction.atomic():
        stored = None
        if photo is not None:
            from praja.core.documents.actions import store_upload

            stored = store_upload(
                actor=actor,
                uploaded_file=photo,
                allowed_types=("jpeg", "png"),
                purpose="performance.attendance_photo",
            )
        event = AttendanceEvent.objects.create(
            employee=employee,
            kind=kind,
            occurred_at=now,
            local_date=today,
            source=AttendanceSource.WEB,
            client_time=client_time,
            client_offset_seconds=offset,
            latitude=latitude or None,
            longitude=longitude or None,
            distance_m=distance,
            photo=stored,
            photo_sha256=stored.sha256 if stored else "",
            recorded_by=actor,
        )
        record(
            "performance.attendance_recorded",
            actor=actor,
            obj=event,
            data={"kind": kind, "source": "web", "at": now.isoformat(), "client_offset_seconds": offset},
        )
    local = timezone.localtime(now, calendar.tenant_timezone(tenant))
    notice = _("Presensi %(kind)s tercatat pukul %(time)s %(zone)s (waktu server).") % {
        "kind": event.get_kind_display().lower(),
        "time": local.strftime("%H.%M"),
        "zone": tenant.timezone_label,
    }
    if offset is not None and abs(offset) > CLIENT_CLOCK_TOLERANCE_SECONDS:
        notice += " " + _(
            "Jam perangkat Anda selisih %(minutes)s menit dari jam server; yang dipakai jam server."
        ) % {"minutes": round(abs(offset) / 60)}
    return event, notice


def record_terminal_event(
    *, actor, terminal_code: str, event_id: str, nip: str, kind: str, occurred_at: datetime.datetime
) -> tuple[AttendanceEvent, bool]:
    """Store one terminal event once: the same (terminal, event id) posted again returns the first."""
    tenant = require_current_tenant()
    if not (actor and actor.is_authenticated and has_permission(actor, POST_ATTENDANCE_EVENTS)):
        raise PermissionDenied(_("Hanya akun mesin presensi yang dapat mengirim kejadian presensi."))
    terminal = AttendanceTerminal.objects.filter(code=terminal_code, is_active=True).first()
    if terminal is None or (terminal.service_user_id and terminal.service_user_id != actor.pk):
        raise ValidationError(
            {
                "terminal": _("Mesin presensi %(code)s tidak terdaftar untuk akun ini.")
                % {"code": terminal_code}
            }
        )
    if kind not in AttendanceKind.values:
        raise ValidationError({"kind": _("Jenis kejadian harus check_in atau check_out.")})
    if not str(event_id).strip():
        raise ValidationError({"event_id": _("Isi nomor kejadian dari mesin (untuk mencegah data ganda).")})
    existing = AttendanceEvent.objects.filter(terminal=terminal, terminal_event_id=event_id).first()
    if existing is not None:
        return existing, False
    employee = Employee.objects.filter(user__nip=nip).first()
    if employee is None:
        raise ValidationError(
            {"nip": _("NIP %(nip)s tidak terdaftar sebagai pegawai daerah ini.") % {"nip": nip}}
        )
    if timezone.is_naive(occurred_at):
        occurred_at = occurred_at.replace(tzinfo=calendar.tenant_timezone(tenant))
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError(
            {"occurred_at": _("Waktu kejadian berada di masa depan; periksa jam mesin presensi.")}
        )
    try:
        with transaction.atomic():
            event = AttendanceEvent.objects.create(
                employee=employee,
                kind=kind,
                occurred_at=occurred_at,
                local_date=calendar.local_date(tenant, occurred_at),
                source=AttendanceSource.TERMINAL,
                terminal=terminal,
                terminal_event_id=event_id,
                recorded_by=actor,
            )
            record(
                "performance.attendance_recorded",
                actor=actor,
                obj=event,
                data={
                    "kind": kind,
                    "source": "terminal",
                    "terminal": terminal.code,
                    "event_id": event_id,
                    "at": occurred_at.isoformat(),
                },
            )
    except IntegrityError:
        # Another request stored the same event first: answer with it (posting twice counts once).
        return AttendanceEvent.objects.get(terminal=terminal, terminal_event_id=event_id), False
    return event, True


def record_apel_absence(*, actor, employee: Employee, day: datetime.date) -> ApelAbsence:
    with transaction.atomic():
        if not (
            actor
            and actor.is_authenticated
            and has_permission(actor, RECORD_APEL, org_unit=employee.org_unit)
        ):
            raise PermissionDenied(
                _(
                    "Hanya admin kepegawaian perangkat daerah atau BKPSDM yang dapat "
                    "mencatat ketidakhadiran apel."
                )
            )
        if ApelAbsence.objects.filter(employee=employee, date=day).exists():
            raise ValidationError(
                {
                    "date": _("Ketidakhadiran apel %(name)s tanggal %(date)s sudah tercatat.")
                    % {"name": employee, "date": day.strftime("%d-%m-%Y")}
                }
            )
        item = ApelAbsence.objects.create(employee=employee, date=day, recorded_by=actor)
        record(
            "performance.apel_absence_recorded",
            actor=actor,
            obj=item,
            data={"employee": employee.pk, "date": day.isoformat()},
        )
    return item


# --------------------------------------------------------------------------------------------
# Leave, sick, permission, official travel; attendance corrections


def request_absence(
    *, actor, kind: str, start_date: datetime.date, end_date: datetime.date, reason: str, attachment=None
) -> AbsenceRequest:
    employee = _require_employee(actor)
    errors = {}
    if kind not in AbsenceKind.values:
        errors["kind"] = _("Pilih jenis permohonan: cuti, sakit, izin atau dinas luar.")
    if end_date < start_date:
        errors["end_date"] = _("Tanggal selesai tidak boleh sebelum tanggal mulai.")
    if not (reason or "").strip():
        errors["reason"] = _("Isi keterangan permohonan.")
    if errors:
        raise ValidationError(errors)
    if selectors.supervisor_user_id_of(employee) is None:
        raise ValidationError(
            _("Jabatan Anda belum memiliki atasan langsung; hubungi admin kepegawaian perangkat daerah.")
        )
    with transaction.atomic():
        Employee.objects.select_for_update().get(pk=employee.pk)
        clash = AbsenceRequest.objects.filter(
            employee=employee,
            status__in=[RequestStatus.SUBMITTED, RequestStatus.APPROVED],
            start_date__lte=end_date,
            end_date__gte=start_date,
        ).first()
        if clash is not None:
            raise ValidationError(
                {
                    "start_date": _("Tanggal itu sudah tercakup permohonan %(kind)s %(start)s–%(end)s.")
                    % {
                        "kind": clash.get_kind_display(),
                        "start": clash.start_date.strftime("%d-%m-%Y"),
                        "end": clash.end_date.strftime("%d-%m-%Y"),
                    }
                }
            )
        stored = None
        if attachment is not None:
            from praja.core.documents.actions import store_upload

            stored = store_upload(
                actor=actor,
                uploaded_file=attachment,
                allowed_types=EVIDENCE_TYPES,
                purpose="performance.absence",
            )
        item = AbsenceRequest.objects.create(
            employee=employee,
            owner=actor,
            kind=kind,
            start_date=start_date,
            end_date=end_date,
            reason=reason.strip(),
            attachment=stored,
        )
        record(
            "performance.absence_requested",
            actor=actor,
            obj=item,
            data={"kind": kind, "start": start_date.isoformat(), "end": end_date.isoformat()},
        )
    return item


def decide_absence(
    *, actor, item: AbsenceRequest, approve: bool, reason: str = "", request=None
) -> AbsenceRequest:
    if item.owner_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Anda tidak dapat menyetujui permohonan Anda sendiri."))
    transition(
        item,
        "approve_absence" if approve else "reject_absence",
        actor=actor,
        reason=reason.strip(),
        updates={"decided_by": actor, "decided_at": timezone.now(), "decision_reason": reason.strip()},
        request=request,
    )
    return item


def withdraw_absence(*, actor, item: AbsenceRequest) -> AbsenceRequest:
    transition(item, "withdraw_absence", actor=actor)
    return item


def request_correction(
    *, actor, day: datetime.date, kind: str, corrected_time: datetime.time, reason: str
) -> AttendanceCorrection:
    employee = _require_employee(actor)
    tenant = require_current_tenant()
    today = selectors.local_today(tenant)
    errors = {}
    if kind not in AttendanceKind.values:
        errors["kind"] = _("Pilih presensi masuk atau pulang.")
    if day > today:
        errors["date"] = _("Koreksi presensi hanya untuk hari yang sudah lewat atau hari ini.")
    if not (reason or "").strip():
        errors["reason"] = _("Isi alasan koreksi presensi (misalnya lupa presensi pulang).")
    if errors:
        raise ValidationError(errors)
    config = _config_for(tenant, day)
    deadline = rules.validation_deadline(day, config.validation_deadline_day)
    if today > deadline:
        raise ValidationError(
            {
                "date": _("Koreksi presensi tanggal %(date)s sudah lewat batas (%(deadline)s).")
                % {"date": day.strftime("%d-%m-%Y"), "deadline": deadline.strftime("%d-%m-%Y")}
            }
        )
    if selectors.supervisor_user_id_of(employee) is None:
        raise ValidationError(
            _("Jabatan Anda belum memiliki atasan langsung; hubungi admin kepegawaian perangkat daerah.")
        )
    with transaction.atomic():
        if AttendanceCorrection.objects.filter(
            employee=employee, date=day, kind=kind, status=RequestStatus.SUBMITTED
        ).exists():
            raise ValidationError(
                {"date": _("Koreksi presensi yang sama untuk tanggal itu masih menunggu persetujuan.")}
            )
        item = AttendanceCorrection.objects.create(
            employee=employee,
            owner=actor,
            date=day,
            kind=kind,
            corrected_time=corrected_time,
            reason=reason.strip(),
        )
        record(
            "performance.correction_requested",
            actor=actor,
            obj=item,
            data={"date": day.isoformat(), "kind": kind, "time": corrected_time.strftime("%H:%M")},
        )
    return item


def decide_correction(
    *, actor, item: AttendanceCorrection, approve: bool, reason: str = "", request=None
) -> AttendanceCorrection:
    """The supervisor approves (creating the attendance event) or rejects a correction request."""
    if item.owner_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Anda tidak dapat menyetujui koreksi presensi Anda sendiri."))
    tenant = item.tenant

    def create_event(locked) -> list[str]:
        occurred = datetime.datetime.combine(
            locked.date, locked.corrected_time, tzinfo=calendar.tenant_timezone(tenant)
        )
        event = AttendanceEvent.objects.create(
            employee_id=locked.employee_id,
            kind=locked.kind,
            occurred_at=occurred,
            local_date=locked.date,
            source=AttendanceSource.CORRECTION,
            recorded_by=actor,
        )
        locked.event = event
        return ["event"]

    transition(
        item,
        "approve_correction" if approve else "reject_correction",
        actor=actor,
        reason=reason.strip(),
        updates={"decided_by": actor, "decided_at": timezone.now(), "decision_reason": reason.strip()},
        effects=create_event if approve else None,
        request=request,
    )
    return item


def withdraw_correction(*, actor, item: AttendanceCorrection) -> AttendanceCorrection:
    transition(item, "withdraw_correction", actor=actor)
    return item
