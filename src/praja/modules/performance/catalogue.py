"""Writers of BKPSDM's master data: config versions, TPP per job class, activity catalogue, adoption.

A version is edited only while it is a draft; the Kepala BKPSDM approves it with the second factor
(workflow "performance.config"). A new draft copies the version in force (allowances and catalogue)
so BKPSDM changes only what changed. Adoption copies another tenant's version in force as a draft.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.core.workflow.actions import transition
from praja.modules.performance import rules
from praja.modules.performance.models import (
    Activity,
    ConfigStatus,
    JobClassAllowance,
    PerformanceConfig,
    UnvalidatedPolicy,
)
from praja.modules.performance.permissions import MANAGE_CONFIG

CONFIG_FIELDS = (
    "legal_basis",
    "daily_quota_minutes",
    "office_hours",
    "break_windows",
    "tolerance_before_minutes",
    "tolerance_after_minutes",
    "entry_deadline_working_days",
    "validation_deadline_day",
    "unvalidated_policy",
    "additional_task_weight",
    "checkin_requires_location",
    "checkin_requires_photo",
    "office_latitude",
    "office_longitude",
    "geofence_radius_m",
    "lateness_brackets",
    "early_leave_brackets",
    "absent_deduction_percent",
    "apel_absence_deduction_percent",
    "deduction_cap_percent",
    "kinerja_weight_percent",
    "disiplin_weight_percent",
    "cpns_percent",
    "unpaid_statuses",
)
ACTIVITY_FIELDS = ("code", "name", "output_unit", "standard_minutes", "job_family")


def _require_manager(actor) -> None:
    if not (actor and actor.is_authenticated and has_permission(actor, MANAGE_CONFIG)):
        raise PermissionDenied(_("Hanya BKPSDM yang dapat mengubah data induk kinerja."))


def _require_draft(config: PerformanceConfig) -> None:
    if config.status != ConfigStatus.DRAFT:
        raise ValidationError(
            _(
                "Konfigurasi versi %(version)s sudah disetujui dan tidak dapat diubah; buat versi baru "
                "yang berlaku mulai bulan berikutnya."
            )
            % {"version": config.version}
        )


def _check_time(value: str) -> bool:
    try:
        rules.parse_hhmm(value)
    except (ValueError, AttributeError):
        return False
    return True


def validate_config_values(values: dict[str, Any]) -> dict[str, str]:
    """Return field -> message for values that break the master-data rules (empty when fine)."""
    errors: dict[str, str] = {}
    quota = values.get("daily_quota_minutes")
    if quota is not None and not 1 <= int(quota) <= 24 * 60:
        errors["daily_quota_minutes"] = _("Kuota menit efektif per hari harus antara 1 dan 1440.")
    hours = values.get("office_hours")
    if hours is not None:
        for weekday, window in hours.items():
            if (
                weekday not in {str(n) for n in range(7)}
                or len(window) != 2
                or not all(_check_time(item) for item in window)
                or rules.parse_hhmm(window[1]) <= rules.parse_hhmm(window[0])
            ):
                errors["office_hours"] = _(
                    "Jam kerja harus berupa hari (0 = Senin … 6 = Minggu) dengan jam masuk dan jam pulang "
                    "HH:MM, jam pulang setelah jam masuk."
                )
                break
    day = values.get("validation_deadline_day")
    if day is not None and not 1 <= int(day) <= 28:
        errors["validation_deadline_day"] = _("Batas validasi harus tanggal 1 sampai 28 bulan berikutnya.")
    weight = values.get("additional_task_weight")
    if weight is not None and not Decimal("0") <= Decimal(weight) <= Decimal("1"):
        errors["additional_task_weight"] = _("Bobot tugas tambahan harus antara 0 dan 1 (misalnya 0,5).")
    kinerja, disiplin = values.get("kinerja_weight_percent"), values.get("disiplin_weight_percent")
    if (
        kinerja is not None
        and disiplin is not None
        and Decimal(kinerja) + Decimal(disiplin) != Decimal("100")
    ):
        errors["disiplin_weight_percent"] = _(
            "Bobot kinerja dan bobot disiplin harus berjumlah 100 % (Kepmendagri 900-4700/2020: 60/40)."
        )
    for name in ("lateness_brackets", "early_leave_brackets"):
        brackets = values.get(name)
        if brackets is None:
            continue
        try:
            starts = [int(start) for start, _percent in brackets]
            percents = [Decimal(str(percent)) for _start, percent in brackets]
        except (TypeError, ValueError, InvalidOperation):
            starts, percents = [], []
        if not starts or starts != sorted(set(starts)) or starts[0] < 1 or any(p < 0 for p in percents):
            errors[name] = _(
                "Tabel potongan harus berupa baris [menit mulai, persen] dengan menit mulai naik, "
                "dimulai dari 1."
            )
    if values.get("unvalidated_policy") not in (None, *UnvalidatedPolicy.values):
        errors["unvalidated_policy"] = _("Pilih kebijakan aktivitas yang belum divalidasi.")
    if values.get("checkin_requires_location") and (
        values.get("office_latitude") in (None, "") or values.get("office_longitude") in (None, "")
    ):
        errors["office_latitude"] = _("Isi koordinat kantor bila presensi wajib lokasi.")
    return errors


def create_config_draft(
    *, actor, effective_from: datetime.date, values: dict[str, Any] | None = None
) -> PerformanceConfig:
    """Open a draft version effective from the month of `effective_from`, copying the version in force."""
    values = dict(values or {})
    with transaction.atomic():
        _require_manager(actor)
        tenant = require_current_tenant()
        effective_from = effective_from.replace(day=1)
        from praja.modules.performance.selectors import config_for_month

        base = config_for_month(tenant, effective_from.year, effective_from.month) or (
            PerformanceConfig.objects.filter(status=ConfigStatus.APPROVED).order_by("effective_from").first()
        )
        fields = {name: getattr(base, name) for name in CONFIG_FIELDS} if base else {}
        fields.update({k: v for k, v in values.items() if k in CONFIG_FIELDS})
        errors = validate_config_values(fields)
        if errors:
            raise ValidationError(errors)
        version = (PerformanceConfig.objects.aggregate(top=Max("version"))["top"] or 0) + 1
        config = PerformanceConfig.objects.create(
            version=version, effective_from=effective_from, created_by=actor, **fields
        )
        if base is not None:
            _copy_children(base, config)
        record(
            "performance.config_drafted",
            actor=actor,
            obj=config,
            data={
                "version": version,
                "effective_from": effective_from.isoformat(),
                "based_on": base.version if base else None,
            },
        )
    return config


def _copy_children(source: PerformanceConfig, target: PerformanceConfig) -> None:
    allowances = list(JobClassAllowance.all_tenants.filter(config=source))
    activities = list(Activity.all_tenants.filter(config=source))
    JobClassAllowance.objects.bulk_create(
        [
            JobClassAllowance(tenant=target.tenant, config=target, job_class=a.job_class, amount=a.amount)
            for a in allowances
        ]
    )
    Activity.objects.bulk_create(
        [
            Activity(
                tenant=target.tenant, config=target, **{name: getattr(a, name) for name in ACTIVITY_FIELDS}
            )
            for a in activities
        ]
    )


def update_config_draft(*, actor, config: PerformanceConfig, values: dict[str, Any]) -> PerformanceConfig:
    with transaction.atomic():
        _require_manager(actor)
        config = PerformanceConfig.objects.select_for_update().get(pk=config.pk)
        _require_draft(config)
        changes = {k: v for k, v in values.items() if k in CONFIG_FIELDS}
        merged = {name: getattr(config, name) for name in CONFIG_FIELDS} | changes
        errors = validate_config_values(merged)
        if errors:
            raise ValidationError(errors)
        before = {name: str(getattr(config, name)) for name in changes}
        for name, value in changes.items():
            setattr(config, name, value)
        config.save(update_fields=sorted(changes) or None)
        record(
            "performance.config_changed",
            actor=actor,
            obj=config,
            data={
                "version": config.version,
                "before": before,
                "after": {k: str(v) for k, v in changes.items()},
            },
        )
    return config


def set_allowance(*, actor, config: PerformanceConfig, job_class: int, amount: int) -> JobClassAllowance:
    """Set the besaran TPP (integer Rupiah) of one job class in a draft."""
    with transaction.atomic():
        _require_manager(actor)
        config = PerformanceConfig.objects.select_for_update().get(pk=config.pk)
        _require_draft(config)
        if not 1 <= int(job_class) <= 17:
            raise ValidationError({"job_class": _("Kelas jabatan harus 1 sampai 17.")})
        if int(amount) < 0:
            raise ValidationError({"amount": _("Besaran TPP tidak boleh negatif.")})
        row, _created = JobClassAllowance.objects.update_or_create(
            config=config, job_class=int(job_class), defaults={"amount": int(amount)}
        )
        record(
            "performance.allowance_set",
            actor=actor,
            obj=config,
            data={"version": config.version, "job_class": int(job_class), "amount": int(amount)},
        )
    return row


def save_activity(
    *, actor, config: PerformanceConfig, values: dict[str, Any], activity: Activity | None = None
) -> Activity:
    """Add (or change) one catalogue activity of a draft."""
    with transaction.atomic():
        _require_manager(actor)
        config = PerformanceConfig.objects.select_for_update().get(pk=config.pk)
        _require_draft(config)
        fields = {name: values.get(name, getattr(activity, name, "")) for name in ACTIVITY_FIELDS}
        errors = {}
        if not str(fields["code"]).strip():
            errors["code"] = _("Isi kode aktivitas.")
        if not str(fields["name"]).strip():
            errors["name"] = _("Isi nama aktivitas.")
        if not str(fields["output_unit"]).strip():
            errors["output_unit"] = _("Isi satuan output, misalnya dokumen atau laporan.")
        try:
            minutes = int(fields["standard_minutes"])
        except (TypeError, ValueError):
            minutes = 0
        if not 1 <= minutes <= 24 * 60:
            errors["standard_minutes"] = _(
                "Waktu standar harus 1 sampai 1440 menit per satuan (Permendagri 12/2008)."
            )
        if errors:
            raise ValidationError(errors)
        fields["standard_minutes"] = minutes
        try:
            with transaction.atomic():
                if activity is None:
                    activity = Activity.objects.create(config=config, **fields)
                else:
                    for name, value in fields.items():
                        setattr(activity, name, value)
                    activity.save()
        except IntegrityError:
            raise ValidationError(
                {"code": _("Kode aktivitas %(code)s sudah ada di versi ini.") % {"code": fields["code"]}}
            ) from None
        record(
            "performance.activity_saved",
            actor=actor,
            obj=activity,
            data={"version": config.version, **{k: str(v) for k, v in fields.items()}},
        )
    return activity


def approve_config(
    *, actor, config: PerformanceConfig, request=None, otp_verified: bool | None = None
) -> PerformanceConfig:
    """Kepala BKPSDM approves a draft (second factor); it governs months from its effective_from."""
    if PerformanceConfig.objects.filter(
        status=ConfigStatus.APPROVED, effective_from=config.effective_from
    ).exists():
        raise ValidationError(
            _("Sudah ada versi disetujui yang berlaku mulai %(month)s; pilih bulan lain untuk versi ini.")
            % {"month": config.effective_from.strftime("%m-%Y")}
        )
    transition(
        config,
        "approve_config",
        actor=actor,
        request=request,
        otp_verified=otp_verified,
        updates={"approved_by": actor, "approved_at": timezone.now()},
        data={"version": config.version, "effective_from": config.effective_from.isoformat()},
    )
    return config


def adopt_configuration(*, source, target, actor=None) -> list[str]:
    """Copy `source`'s approved version in force (with TPP table and catalogue) into `target` as a draft.

    Runs with `target` active. A target that already has any version is left alone (run twice,
    change once). The draft still needs the target's Kepala BKPSDM to approve it.
    """
    require_current_tenant()
    from praja.modules.performance.selectors import config_for_month, local_today

    with use_tenant(source):
        today = local_today(source)
        base = config_for_month(source, today.year, today.month)
        if base is None:
            return []
        allowances = list(JobClassAllowance.objects.filter(config=base))
        activities = list(Activity.objects.filter(config=base))
    if PerformanceConfig.objects.exists():
        return []
    with transaction.atomic():
        config = PerformanceConfig.objects.create(
            version=1,
            effective_from=today.replace(day=1),
            created_by=actor if actor is not None and actor.is_authenticated else None,
            **{name: getattr(base, name) for name in CONFIG_FIELDS},
        )
        JobClassAllowance.objects.bulk_create(
            [
                JobClassAllowance(config=config, tenant=config.tenant, job_class=a.job_class, amount=a.amount)
                for a in allowances
            ]
        )
        Activity.objects.bulk_create(
            [
                Activity(config=config, tenant=config.tenant, **{n: getattr(a, n) for n in ACTIVITY_FIELDS})
                for a in activities
            ]
        )
        record(
            "performance.config_adopted",
            actor=actor,
            obj=config,
            data={"source": source.code, "source_version": base.version, "activities": len(activities)},
        )
    return [
        _("konfigurasi kinerja versi %(version)s dari %(tenant)s disalin sebagai draf (%(count)s aktivitas)")
        % {"version": base.version, "tenant": source.name, "count": len(activities)}
    ]
