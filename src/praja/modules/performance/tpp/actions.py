"""The only writers of the monthly close: compute a version, approve, lock, record signals."""

from __future__ import annotations

import datetime
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.db import insert_rows
from praja.core.permissions.checks import require
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.core.workflow.errors import GuardFailed
from praja.modules.performance.tpp import computation
from praja.modules.performance.tpp.models import (
    CloseStatus,
    EmployeeMonthResult,
    IntegritySignal,
    MonthClose,
    SignalKind,
)
from praja.modules.performance.tpp.permissions import COMPUTE_CLOSE

EVENT_COMPUTED = "performance_tpp.close_computed"
EVENT_CORRECTION = "performance_tpp.close_corrected"


class CloseRefused(GuardFailed):
    """A close that may not be computed (no configuration, missing reason for a correction)."""


def _first_of_month(month: datetime.date) -> datetime.date:
    return month.replace(day=1)


def record_signal(
    *,
    kind: str,
    subject_type: str,
    subject_id,
    month: datetime.date,
    explanation: str,
    evidence: dict | None = None,
    subject_label: str = "",
    org_unit=None,
    org_unit_id: int | None = None,
    close: MonthClose | None = None,
) -> IntegritySignal:
    """Record a red flag once per (kind, subject, month); a repeat updates the same row.

    A system step (no actor): callers are actions that already checked their own actor.
    """
    tenant = require_current_tenant()
    if kind not in SignalKind.values:
        raise ValueError(f"unknown integrity signal kind {kind!r}")
    defaults = {
        "explanation": explanation,
        "evidence": evidence or {},
        "subject_label": str(subject_label)[:200],
        "org_unit_id": org_unit.pk if org_unit is not None else org_unit_id,
    }
    if close is not None:
        defaults["close"] = close
    signal, _created = IntegritySignal.objects.update_or_create(
        tenant=tenant,
        kind=kind,
        subject_type=subject_type,
        subject_id=str(subject_id),
        month=_first_of_month(month),
        defaults=defaults,
    )
    return signal


def _refuse_before_validation_deadline(tenant, month: datetime.date, today: datetime.date | None) -> None:
    """A manual close waits for the validation deadline too (the scheduled job already does)."""
    from praja.modules.performance import rules as performance_rules
    from praja.modules.performance import selectors as performance

    config = performance.config_for_month(tenant, month.year, month.month)
    if config is None:
        return  # the computation refuses it with its own message
    refusal = performance_rules.close_refusal(
        month, config.validation_deadline_day, today or performance.local_today(tenant)
    )
    if refusal:
        raise CloseRefused(refusal, field="month")


def compute_month_close(
    *,
    actor,
    month: datetime.date,
    reason: str = "",
    by_system: bool = False,
    today: datetime.date | None = None,
) -> MonthClose:
    """Compute a new version of the active tenant's close for `month` and store every result.

    The first computation of a month needs no reason; any later one is a correction and needs one.
    A locked version is never touched: the correction is a new version, and recomputing a locked
    month is recorded as an integrity signal. `by_system=True` (the scheduled job) runs without an
    actor and only for a month that has no close yet.
    """
    tenant = require_current_tenant()
    if not by_system:
        require(actor, COMPUTE_CLOSE)
    month = _first_of_month(month)
    if not by_system:
        _refuse_before_validation_deadline(tenant, month, today)
    latest = MonthClose.objects.filter(month=month).order_by("-version").first()
    if latest is not None and by_system:
        return latest
    if latest is not None and not reason.strip():
        raise CloseRefused(
            _(
                "Bulan %(month)s sudah dihitung (versi %(version)s). Perhitungan ulang adalah koreksi: isi "
                "alasannya; versi lama tetap tersimpan."
            )
            % {"month": f"{month:%m/%Y}", "version": latest.version},
            field="reason",
        )
    with computation.cyclic_gc_paused():
        return _compute_and_store(tenant, actor, month, latest, reason, by_system, today)


def _compute_and_store(tenant, actor, month, latest, reason, by_system, today) -> MonthClose:
    try:
        result = computation.compute_month(tenant, month, today=today)
    except ValueError as error:
        raise CloseRefused(str(error), field="month") from error
    extra_signals = computation.duplicate_evidence_signals(tenant, month)
    with transaction.atomic():
        version = (MonthClose.objects.filter(month=month).aggregate(top=Max("version"))["top"] or 0) + 1
        close = MonthClose.objects.create(
            month=month,
            version=version,
            config=result.config,
            config_version=result.config.version,
            working_days=result.working_days,
            reason=reason.strip(),
            previous=latest,
            computed_by=actor if not by_system else None,
        )
        _store_results(close, result.rows)
        totals = EmployeeMonthResult.objects.filter(close=close).aggregate(
            ceiling=Sum("ceiling"), paid=Sum("gross")
        )
        signals = [*result.signals, *extra_signals]
        if latest is not None and latest.status == CloseStatus.LOCKED:
            signals.append(_locked_recomputed(close, latest, actor, reason))
        for signal in signals:
            record_signal(close=close, **signal)
        close.employee_count = len(result.rows)
        close.total_ceiling = totals["ceiling"] or 0
        close.total_paid = totals["paid"] or 0
        close.signal_count = len(signals)
        close.save(update_fields=["employee_count", "total_ceiling", "total_paid", "signal_count"])
        record(
            EVENT_CORRECTION if latest is not None else EVENT_COMPUTED,
            actor=actor,
            obj=close,
            data={
                "month": month.isoformat(),
                "version": version,
                "config_version": result.config.version,
                "working_days": result.working_days,
                "employees": close.employee_count,
                "total_ceiling": close.total_ceiling,
                "total_paid": close.total_paid,
                **({"reason": close.reason, "previous_version": latest.version} if latest else {}),
                **({"actor": "Sistem"} if by_system else {}),
            },
        )
    return close


def _store_results(close: MonthClose, rows: list[dict]) -> None:
    """Insert the results with `praja.core.db.insert_rows` (COPY on PostgreSQL).

    The same as bulk_create, without building a model instance per employee: a large tenant's close
    writes tens of thousands of rows, and the per-field preparation of bulk_create cost more than
    computing them. Values are prepared exactly as the fields would (JSON text, Decimal).
    """
    fields = [field for field in EmployeeMonthResult._meta.concrete_fields if not field.primary_key]
    base = {"tenant_id": close.tenant_id, "close_id": close.pk}
    json_fields = {"inputs", "withheld"}
    names = [field.attname for field in fields]

    def values(row: dict) -> list:
        row = {**base, **row}
        return [
            json.dumps(row[name], cls=DjangoJSONEncoder) if name in json_fields else row.get(name)
            for name in names
        ]

    insert_rows(EmployeeMonthResult._meta.db_table, [field.column for field in fields], map(values, rows))


def _locked_recomputed(close: MonthClose, locked: MonthClose, actor, reason: str) -> dict:
    return {
        "kind": SignalKind.LOCKED_MONTH_RECOMPUTED,
        "subject_type": "month_close",
        "subject_id": f"{close.month:%Y-%m}-v{close.version}",
        "subject_label": _("Tutup buku %(month)s") % {"month": f"{close.month:%m/%Y}"},
        "month": close.month,
        "explanation": _(
            "Bulan %(month)s yang sudah dikunci (versi %(old)s, total TPP %(old_total)s) dihitung ulang oleh "
            "%(actor)s sebagai versi %(new)s dengan alasan: %(reason)s"
        )
        % {
            "month": f"{close.month:%m/%Y}",
            "old": locked.version,
            "old_total": computation.rules.format_rupiah(locked.total_paid),
            "actor": str(actor) if actor is not None else "Sistem",
            "new": close.version,
            "reason": reason.strip(),
        },
        "evidence": {
            "locked_version": locked.version,
            "new_version": close.version,
            "locked_total": locked.total_paid,
        },
    }


def approve_month_close(
    *, actor, close: MonthClose, request=None, otp_verified: bool | None = None
) -> MonthClose:
    """Kepala BKPSDM approves the computed figures (second factor; not the one who computed)."""
    _refuse_stale(close)
    transition(
        close,
        "approve",
        actor=actor,
        request=request,
        otp_verified=otp_verified,
        updates={"approved_by": actor, "approved_at": timezone.now()},
        data={"month": close.month.isoformat(), "version": close.version, "total_paid": close.total_paid},
    )
    return close


def lock_month_close(*, actor, close: MonthClose, request=None) -> MonthClose:
    """BKPSDM locks the approved close: the payroll list (SPP-LS) is made from it and it never changes."""
    _refuse_stale(close)
    transition(
        close,
        "lock",
        actor=actor,
        request=request,
        updates={"locked_by": actor, "locked_at": timezone.now()},
        data={"month": close.month.isoformat(), "version": close.version, "total_paid": close.total_paid},
    )
    return close


def _refuse_stale(close: MonthClose) -> None:
    newer = (
        MonthClose.objects.filter(month=close.month, version__gt=close.version).order_by("version").first()
    )
    if newer is not None:
        raise CloseRefused(
            _("Versi %(version)s sudah digantikan oleh versi %(newer)s; proses versi terbaru.")
            % {"version": close.version, "newer": newer.version}
        )


def can_issue_tpp_list(user, org_unit) -> bool:
    from praja.core.permissions.checks import has_permission
    from praja.modules.performance.tpp.permissions import VIEW_OFFICE_RESULTS

    return has_permission(user, COMPUTE_CLOSE) or has_permission(user, VIEW_OFFICE_RESULTS, org_unit=org_unit)


def issue_tpp_list(*, actor, close: MonthClose, org_unit):
    """The signed TPP list of one perangkat daerah for a locked close (issued once, then reused)."""
    from django.core.exceptions import PermissionDenied

    from praja.modules.performance.tpp import documents

    require_current_tenant()
    if not can_issue_tpp_list(actor, org_unit):
        raise PermissionDenied(_("Anda tidak berwenang melakukan tindakan ini."))
    if close.status != CloseStatus.LOCKED:
        raise CloseRefused(
            _(
                "Daftar TPP untuk pembayaran (SPP-LS) hanya dibuat dari tutup buku yang sudah disetujui dan "
                "dikunci; status versi %(version)s: %(status)s."
            )
            % {"version": close.version, "status": close.get_status_display()}
        )
    if not EmployeeMonthResult.objects.filter(close=close, org_unit=org_unit).exists():
        raise CloseRefused(_("Tidak ada pegawai %(unit)s dalam tutup buku ini.") % {"unit": org_unit.name})
    existing = documents.find_unit_pdf(close, org_unit)
    if existing is not None:
        return existing
    return documents.render_unit_pdf(close, org_unit, actor=actor)
