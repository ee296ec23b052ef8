"""Attendance corrections ("lupa presensi"): requested by the employee, then two people decide.

The direct supervisor endorses or rejects; an endorsed correction is approved (with a reason and
TOTP; this creates the attendance event) or rejected by the personnel admin of the employee's
perangkat daerah or BKPSDM, who may not be the endorsing supervisor (workflow separation of duties).
"""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.calendar import selectors as calendar
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.modules.performance import rules, selectors
from praja.modules.performance.actions._common import (
    _config_for,
    _require_employee,
)
from praja.modules.performance.models import (
    AttendanceCorrection,
    AttendanceEvent,
    AttendanceKind,
    AttendanceSource,
    CorrectionStatus,
)


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
            employee=employee,
            date=day,
            kind=kind,
            status__in=[CorrectionStatus.SUBMITTED, CorrectionStatus.ENDORSED],
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
    *,
    actor,
    item: AttendanceCorrection,
    approve: bool,
    reason: str = "",
    request=None,
    otp_verified: bool | None = None,
) -> AttendanceCorrection:
    """Take the next step on a correction: the supervisor's while submitted, the admin's when endorsed.

    Only the admin's approval creates the attendance event (source "correction").
    """
    if item.owner_id == getattr(actor, "pk", None):
        raise PermissionDenied(_("Anda tidak dapat menyetujui koreksi presensi Anda sendiri."))
    reason = (reason or "").strip()
    now = timezone.now()
    if item.status == CorrectionStatus.SUBMITTED:
        if approve:
            name = "endorse_correction"
            updates = {"endorsed_by": actor, "endorsed_at": now, "endorsement_reason": reason}
        else:
            name = "reject_correction"
            updates = {"decided_by": actor, "decided_at": now, "decision_reason": reason}
        transition(item, name, actor=actor, reason=reason, updates=updates, request=request)
        return item
    tenant = item.tenant

    def create_event(locked) -> list[str]:
        occurred = datetime.datetime.combine(
            locked.date, locked.corrected_time, tzinfo=calendar.tenant_timezone(tenant)
        )
        locked.event = AttendanceEvent.objects.create(
            employee_id=locked.employee_id,
            kind=locked.kind,
            occurred_at=occurred,
            local_date=locked.date,
            source=AttendanceSource.CORRECTION,
            recorded_by=actor,
        )
        return ["event"]

    # Any other status is refused by the workflow with its own message (moved on, final state).
    transition(
        item,
        "approve_correction" if approve else "reject_correction_admin",
        actor=actor,
        reason=reason,
        updates={"decided_by": actor, "decided_at": now, "decision_reason": reason},
        data={
            "date": item.date.isoformat(),
            "kind": item.kind,
            "time": item.corrected_time.strftime("%H:%M"),
            "endorsed_by": item.endorsed_by_id,
        },
        effects=create_event if approve else None,
        request=request,
        otp_verified=otp_verified,
    )
    return item


def withdraw_correction(*, actor, item: AttendanceCorrection) -> AttendanceCorrection:
    transition(item, "withdraw_correction", actor=actor)
    return item
