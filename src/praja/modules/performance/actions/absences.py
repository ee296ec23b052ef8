"""Leave, sick, permission and official-travel requests and the supervisor's decision."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.workflow.actions import transition
from praja.modules.performance import selectors
from praja.modules.performance.actions._common import (
    EVIDENCE_TYPES,
    _require_employee,
)
from praja.modules.performance.models import (
    AbsenceKind,
    AbsenceRequest,
    Employee,
    RequestStatus,
)


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
