"""The only writers of grants screening: registry, import, flags (raise, clear), screening, SSH prices.

Every action takes keyword-only arguments with `actor`, checks permission inside, runs in one
transaction and puts its change on the audit chain in the same transaction.
"""

from __future__ import annotations

import datetime
import logging
from functools import partial
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.calendar.selectors import local_date
from praja.core.documents.actions import discard_unsaved_upload, open_stored_file, store_upload
from praja.core.permissions.checks import has_permission
from praja.core.reference.models import Area, AreaLevel
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.checks import second_factor_verified
from praja.modules.grants.screening import matching, rules, selectors, spreadsheets
from praja.modules.grants.screening.models import (
    Beneficiary,
    DataSource,
    Flag,
    FlagKind,
    FlagSeverity,
    FlagStatus,
    ImportBatch,
    ImportRejection,
    ScreeningStatus,
    StandardUnitPrice,
)
from praja.modules.grants.screening.permissions import (
    CLEAR_FLAGS,
    MANAGE_PRICES,
    MANAGE_REGISTRY,
    RUN_SCREENING,
)

DEFAULT_PRICE_THRESHOLD_PERCENT = 10  # flag RAB unit prices more than 10 % above the SSH price
EVENT_FLAG_RAISED = "grants_screening.flag_raised"
EVENT_FLAG_CLEARED = "grants_screening.flag_cleared"
EVENT_IMPORTED = "grants_screening.beneficiaries_imported"
EVENT_REGISTERED = "grants_screening.beneficiary_registered"
EVENT_PRICES_IMPORTED = "grants_screening.prices_imported"
EVENT_SCREENED = "grants_screening.import_screened"
EVENT_SCREENING_RETRIED = "grants_screening.import_screening_retried"
EVENT_IMPORT_FILE_DOWNLOADED = "grants_screening.import_file_downloaded"
IMPORT_FILE_PURPOSE = "grants_screening:import"

logger = logging.getLogger(__name__)


def _refuse(message: str) -> None:
    raise PermissionDenied(message)


def _require(actor, permission: str) -> None:
    if (
        actor is None
        or not getattr(actor, "is_authenticated", False)
        or not has_permission(actor, permission)
    ):
        _refuse(_("Anda tidak berwenang melakukan tindakan ini."))


def _today() -> datetime.date:
    return local_date(require_current_tenant(), timezone.now())


def _village_exists(code: str) -> bool:
    return Area.objects.filter(code=code, level=AreaLevel.VILLAGE).exists()


def tenant_parameter(name: str, default):
    from praja.core.tenancy.models import TenantModule

    row = TenantModule.objects.filter(module="grants").first()
    value = (row.parameters or {}).get(name) if row else None
    return default if value in (None, "") else value


def subject_ref(subject) -> tuple[str, int]:
    return subject._meta.label_lower, int(subject.pk)


# --- Flags ---------------------------------------------------------------------------------------------


def raise_flag(
    *,
    kind: str,
    subject,
    explanation: str,
    evidence: dict | None = None,
    severity: str = FlagSeverity.MEDIUM,
    actor=None,
    dedup_extra: str = "",
) -> Flag:
    """Record a finding about `subject`; the open (or already cleared) flag of the same finding is returned.

    The finding's identity is kind + subject + the ids listed in evidence["records"] + `dedup_extra`.
    A finding an official already cleared is not raised again (its reason stands) unless its evidence
    changes (other records, another key).
    """
    if kind not in FlagKind.values:
        raise ValueError(f"unknown flag kind {kind}")
    evidence = dict(evidence or {})
    subject_type, subject_id = subject_ref(subject)
    key = rules.flag_dedup_key(kind, subject_type, subject_id, evidence.get("records", ()), dedup_extra)
    with transaction.atomic():
        existing = Flag.objects.filter(dedup_key=key).order_by("status", "-pk").first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                flag = Flag.objects.create(
                    kind=kind,
                    severity=severity,
                    subject_type=subject_type,
                    subject_id=subject_id,
                    subject_label=str(subject)[:200],
                    explanation=explanation,
                    evidence=evidence,
                    dedup_key=key,
                    raised_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
        except IntegrityError:  # raised concurrently by another screening run
            return Flag.objects.get(dedup_key=key, status=FlagStatus.OPEN)
        record(
            EVENT_FLAG_RAISED,
            actor=actor,
            obj=flag,
            data={"kind": kind, "subject": f"{subject_type}:{subject_id}", "severity": severity},
        )
    return flag


def clear_flag(*, flag: Flag, actor, reason: str, request=None, otp_verified: bool | None = None) -> Flag:
    """An authorised official declares the finding not a problem, with a written reason and TOTP."""
    _require(actor, CLEAR_FLAGS)
    if not second_factor_verified(actor, request=request, otp_verified=otp_verified):
        _refuse(_("Menyelesaikan temuan memerlukan verifikasi dua langkah; masukkan kode autentikator dulu."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {
                "reason": _(
                    "Tulis alasan tertulis (paling sedikit 10 karakter) mengapa temuan ini tidak bermasalah."
                )
            }
        )
    with transaction.atomic():
        locked = Flag.objects.select_for_update().get(pk=flag.pk)
        if locked.status != FlagStatus.OPEN:
            raise ValidationError(_("Temuan ini sudah diselesaikan sebelumnya."), code="already_cleared")
        locked.status = FlagStatus.CLEARED
        locked.cleared_by = actor
        locked.cleared_at = timezone.now()
        locked.clear_reason = reason
        locked.save(update_fields=["status", "cleared_by", "cleared_at", "clear_reason"])
        record(
            EVENT_FLAG_CLEARED,
            actor=actor,
            obj=locked,
            data={
                "kind": locked.kind,
                "subject": f"{locked.subject_type}:{locked.subject_id}",
                "reason": reason,
            },
            ip_address=(request.META.get("REMOTE_ADDR", "") if request is not None else ""),
        )
    flag.refresh_from_db()
    return flag


# --- Registry ------------------------------------------------------------------------------------------


def _beneficiary_fields(values: dict, area: Area) -> dict:
    return {
        "nik": values["nik"],
        "kk_number": values["kk_number"],
        "full_name": values["full_name"],
        "birth_date": values["birth_date"],
        "sex": values["sex"],
        "mother_name": values.get("mother_name", ""),
        "address": values["address"],
        "rt": values.get("rt", ""),
        "rw": values.get("rw", ""),
        "area": area,
        "phone": values.get("phone", ""),
        "data_source": values["data_source"],
        "source_reference": values.get("source_reference", ""),
    }


def register_beneficiary(
    *,
    actor,
    data_source: str,
    nik: str,
    kk_number: str,
    full_name: str,
    birth_date,
    sex: str,
    mother_name: str,
    address: str,
    rt: str,
    rw: str,
    area_code: str,
    phone: str = "",
    source_reference: str = "",
    citizen=None,
) -> Beneficiary:
    """Register one person: a citizen themself (data_source "citizen") or a registry official."""
    tenant = require_current_tenant()
    if actor is None or not getattr(actor, "is_authenticated", False):
        _refuse(_("Masuk terlebih dahulu."))
    is_self = data_source == DataSource.CITIZEN and citizen is not None and citizen.pk == actor.pk
    if not is_self:
        _require(actor, MANAGE_REGISTRY)
    values = {
        "nik": nik,
        "kk_number": kk_number,
        "full_name": full_name,
        "birth_date": birth_date.isoformat() if isinstance(birth_date, datetime.date) else birth_date,
        "sex": sex,
        "mother_name": mother_name,
        "address": address,
        "rt": rt,
        "rw": rw,
        "area_code": area_code,
        "phone": phone,
        "data_source": "dtks" if data_source == DataSource.CITIZEN else data_source,
        "source_reference": source_reference,
    }
    result = rules.check_row(values, tenant_code=tenant.code, village_exists=_village_exists, today=_today())
    errors = list(result.errors)
    if is_self and actor.nik and result.cleaned.get("nik") and actor.nik != result.cleaned["nik"]:
        errors.append(_("NIK harus sama dengan NIK akun Anda."))
    if errors:
        raise ValidationError(errors)
    cleaned = dict(result.cleaned, data_source=data_source)
    existing = Beneficiary.objects.filter(nik=cleaned["nik"]).first()
    if existing is not None:
        if is_self and existing.citizen_id == actor.pk:
            return existing
        raise ValidationError(
            {
                "nik": _("NIK %(nik)s sudah terdaftar sebagai penerima di daerah ini.")
                % {"nik": cleaned["nik"]}
            }
        )
    area = Area.objects.get(code=cleaned["area_code"])
    with transaction.atomic():
        beneficiary = Beneficiary.objects.create(
            **_beneficiary_fields(cleaned, area), citizen=citizen if is_self else None, created_by=actor
        )
        record(EVENT_REGISTERED, actor=actor, obj=beneficiary, data={"data_source": data_source})
    screen_beneficiary(beneficiary=beneficiary, actor=None)
    return beneficiary


EVENT_VIEWED = "grants_screening.beneficiary_viewed"


def record_beneficiary_view(*, actor, beneficiary: Beneficiary, request=None) -> None:
    """Put an official's opening of a beneficiary's personal data on the audit chain."""
    from praja.core.audit.actions import record_personal_data_access

    if beneficiary.citizen_id:
        record_personal_data_access(
            official=actor, citizen=beneficiary.citizen, purpose=EVENT_VIEWED, request=request
        )
        return
    record(
        EVENT_VIEWED,
        actor=actor,
        obj=beneficiary,
        data={"nik": beneficiary.nik[:6] + "…"},
        ip_address=(request.META.get("REMOTE_ADDR", "") if request is not None else ""),
    )


def _cell_text(value) -> str:
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def import_beneficiaries(*, actor, content: bytes, original_name: str) -> ImportBatch:
    """Import a CSV/XLSX sheet: good rows become beneficiaries, each bad row is kept with its reasons.

    The whole file is one transaction (the file itself, kept by core.documents, the batch, rows,
    rejections, audit event); a row is either imported whole or rejected whole. A file without a
    required column, or whose content is not the XLSX/CSV it claims, is refused outright and
    nothing is kept.
    """
    _require(actor, MANAGE_REGISTRY)
    tenant = require_current_tenant()
    header, rows = spreadsheets.read_table(content, name=original_name)
    mapping, missing = rules.map_header(header)
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(columns)s. Gunakan templat impor.") % {"columns": ", ".join(missing)},
            code="missing_columns",
        )
    today = _today()
    villages: dict[str, bool] = {}

    def village_exists(code: str) -> bool:
        if code not in villages:
            villages[code] = _village_exists(code)
        return villages[code]

    checked = []
    for row_number, values in spreadsheets.rows_as_dicts(header, rows, mapping):
        result = rules.check_row(values, tenant_code=tenant.code, village_exists=village_exists, today=today)
        checked.append((row_number, values, result))
    niks = {result.cleaned["nik"] for _n, _v, result in checked if "nik" in result.cleaned}
    registered = set()
    nik_list = sorted(niks)
    for start in range(0, len(nik_list), 500):
        registered |= set(
            Beneficiary.objects.filter(nik__in=nik_list[start : start + 500]).values_list("nik", flat=True)
        )
    first_row_of: dict[str, int] = {}
    good, bad = [], []
    for row_number, values, result in checked:
        errors = list(result.errors)
        nik = result.cleaned.get("nik")
        if nik:
            if nik in first_row_of:
                errors.append(
                    _("NIK sama dengan baris %(row)d dalam berkas ini.") % {"row": first_row_of[nik]}
                )
            else:
                first_row_of[nik] = row_number
                if nik in registered:
                    errors.append(
                        _("NIK %(nik)s sudah terdaftar sebagai penerima di daerah ini.") % {"nik": nik}
                    )
        text_values = {key: _cell_text(value) for key, value in values.items()}
        (bad if errors else good).append((row_number, text_values, result.cleaned, errors))
    areas = {
        area.code: area for area in Area.objects.filter(code__in={c["area_code"] for _r, _t, c, _e in good})
    }
    stored = None
    try:
        with transaction.atomic():
            # The auditor downloads exactly these bytes later; the batch's checksum is the stored file's.
            stored = store_upload(
                actor=actor,
                uploaded_file=SimpleUploadedFile(original_name, content),
                allowed_types=spreadsheets.SPREADSHEET_KINDS,
                max_bytes=spreadsheets.MAX_BYTES,
                purpose=IMPORT_FILE_PURPOSE,
            )
            batch = ImportBatch.objects.create(
                original_name=original_name[:255],
                sha256=stored.sha256,
                stored_file=stored,
                uploaded_by=actor,
                total_rows=len(checked),
                imported_count=len(good),
                rejected_count=len(bad),
            )
            Beneficiary.objects.bulk_create(
                [
                    Beneficiary(
                        tenant=tenant,
                        **_beneficiary_fields(cleaned, areas[cleaned["area_code"]]),
                        import_batch=batch,
                        created_by=actor,
                    )
                    for _row, _text, cleaned, _errors in good
                ],
                batch_size=500,
            )
            ImportRejection.objects.bulk_create(
                [
                    ImportRejection(tenant=tenant, batch=batch, row_number=row, values=text, reasons=errors)
                    for row, text, _cleaned, errors in bad
                ],
                batch_size=500,
            )
            record(
                EVENT_IMPORTED,
                actor=actor,
                obj=batch,
                data={
                    "file": batch.original_name,
                    "sha256": batch.sha256,
                    "file_id": stored.pk,
                    "rows": batch.total_rows,
                    "imported": batch.imported_count,
                    "rejected": batch.rejected_count,
                },
            )
            if not good:
                _finish_screening(batch.pk, flags=0)
            else:
                # Screening compares the rows with the whole registry (minutes for a large region): a
                # background task, enqueued once the rows are committed so the worker can see them.
                transaction.on_commit(partial(enqueue_import_screening, tenant.pk, batch.pk))
    except BaseException:
        # The file was stored inside this transaction: take its bytes back off the disk too.
        if stored is not None:
            discard_unsaved_upload(stored)
        raise
    return batch


def open_import_file(*, actor, batch: ImportBatch, request=None) -> IO[bytes]:
    """Open the file a batch was imported from, for an official who may see the batch.

    The file holds many people's NIK and KK numbers, so every download is on the audit chain,
    naming the batch and the checksum of what was handed out.
    """
    if not selectors.can_see_import_batches(actor):
        _refuse(_("Anda tidak berwenang melakukan tindakan ini."))
    if batch.stored_file_id is None:
        raise ValidationError(
            _("Berkas asli impor ini tidak tersimpan (diimpor sebelum berkas disimpan)."), code="no_file"
        )
    stored = batch.stored_file
    with transaction.atomic():
        record(
            EVENT_IMPORT_FILE_DOWNLOADED,
            actor=actor,
            obj=batch,
            data={
                "batch": batch.pk,
                "file_id": stored.pk,
                "file": stored.original_name,
                "sha256": stored.sha256,
            },
            ip_address=(request.META.get("REMOTE_ADDR", "") if request is not None else ""),
        )
        return open_stored_file(actor=actor, stored_file=stored, request=request)


def enqueue_import_screening(tenant_id: int, batch_id: int) -> None:
    """Enqueue the background screening of an import; a failure to enqueue shows on the batch."""
    from praja.modules.grants.screening.tasks import screen_import_batch_task

    try:
        screen_import_batch_task.enqueue(tenant_id, batch_id)
    except Exception as error:  # the queue is down: say so on the page, the official can retry
        logger.exception("Could not enqueue screening of import batch %s", batch_id)
        ImportBatch.objects.filter(pk=batch_id, screening_status=ScreeningStatus.QUEUED).update(
            screening_status=ScreeningStatus.FAILED, screening_error=str(error)[:500]
        )


def retry_import_screening(*, actor, batch: ImportBatch) -> ImportBatch:
    """Queue the screening of an import again after it failed (or never started)."""
    _require(actor, RUN_SCREENING)
    tenant = require_current_tenant()
    with transaction.atomic():
        updated = ImportBatch.objects.filter(
            pk=batch.pk, screening_status__in=(ScreeningStatus.FAILED, ScreeningStatus.QUEUED)
        ).update(screening_status=ScreeningStatus.QUEUED, screening_progress=0, screening_error="")
        if not updated:
            raise ValidationError(
                _("Penyaringan impor ini sedang berjalan atau sudah selesai."), code="screening_not_retryable"
            )
        record(EVENT_SCREENING_RETRIED, actor=actor, obj=batch, data={"batch": batch.pk})
        transaction.on_commit(partial(enqueue_import_screening, tenant.pk, batch.pk))
    batch.refresh_from_db()
    return batch


def _set_progress(batch_id: int, percent: int) -> None:
    # Autocommit, outside any transaction: the waiting page reads it from another connection.
    ImportBatch.objects.filter(pk=batch_id).update(screening_progress=min(max(percent, 0), 99))


def _finish_screening(batch_id: int, *, flags: int) -> None:
    ImportBatch.objects.filter(pk=batch_id).update(
        screening_status=ScreeningStatus.DONE,
        screening_progress=100,
        screening_flags=flags,
        screening_finished_at=timezone.now(),
        screening_error="",
    )


def run_import_screening(*, batch_id: int) -> str:
    """Screen one import batch (the body of the background task; the tenant is active).

    Claims the batch with a conditional update (queued → running), so a task delivered twice runs
    once. Matching takes 80 % of the progress bar (one step per blocking pass), raising the flags
    the rest. A failure marks the batch failed with the reason; flags already raised stay (raising
    is idempotent, so a retry does not duplicate them).
    """
    claimed = ImportBatch.objects.filter(pk=batch_id, screening_status=ScreeningStatus.QUEUED).update(
        screening_status=ScreeningStatus.RUNNING,
        screening_progress=0,
        screening_started_at=timezone.now(),
        screening_error="",
    )
    if not claimed:
        return "skipped"
    batch = ImportBatch.objects.get(pk=batch_id)
    try:
        flags = screen_import_batch(batch=batch, actor=None, progress=partial(_set_progress, batch_id))
    except Exception as error:
        logger.exception("Screening of import batch %s failed", batch_id)
        ImportBatch.objects.filter(pk=batch_id).update(
            screening_status=ScreeningStatus.FAILED,
            screening_error=f"{type(error).__name__}: {error}"[:500],
            screening_finished_at=timezone.now(),
        )
        raise
    with transaction.atomic():
        _finish_screening(batch_id, flags=flags)
        record(EVENT_SCREENED, actor=None, obj=batch, data={"batch": batch.pk, "new_flags": flags})
    return "done"


# --- Screening of beneficiaries ---------------------------------------------------------------------------


def person_of(beneficiary: Beneficiary) -> matching.Person:
    return matching.Person(
        id=beneficiary.pk,
        nik=beneficiary.nik,
        full_name=beneficiary.full_name,
        birth_date=beneficiary.birth_date,
        sex=beneficiary.sex,
        mother_name=beneficiary.mother_name,
        address=f"{beneficiary.address} rt {beneficiary.rt} rw {beneficiary.rw}",
        area_code=beneficiary.area_id,
        kk_number=beneficiary.kk_number,
        phone=beneficiary.phone,
    )


_PERSON_FIELDS = (
    "pk",
    "nik",
    "full_name",
    "birth_date",
    "sex",
    "mother_name",
    "address",
    "rt",
    "rw",
    "area_id",
)


def _person_from_values(row) -> matching.Person:
    pk, nik, name, birth, sex, mother, address, rt, rw, area = row
    return matching.Person(pk, nik, name, birth, sex, mother, f"{address} rt {rt} rw {rw}", area)


def _near_duplicate_flag(subject: Beneficiary, other_id: int, match: matching.NearMatch, *, actor) -> Flag:
    other = Beneficiary.objects.get(pk=other_id)
    return raise_flag(
        kind=FlagKind.NEAR_DUPLICATE_PERSON,
        subject=subject,
        severity=FlagSeverity.HIGH,
        explanation=_(
            "%(name)s (NIK %(nik)s) kemungkinan orang yang sama dengan %(other)s (NIK %(other_nik)s): %(why)s"
        )
        % {
            "name": subject.full_name,
            "nik": subject.nik,
            "other": other.full_name,
            "other_nik": other.nik,
            "why": match.explanation(),
        },
        evidence={
            "records": [f"grants_screening.beneficiary:{other.pk}"],
            "other": {"id": other.pk, "nik": other.nik, "name": other.full_name},
            "score": match.score,
            "name_score": match.name_score,
            "birth": match.birth,
            "mother_score": match.mother_score,
            "address_score": match.address_score,
        },
        actor=actor,
    )


def _shared_key_flags(beneficiary: Beneficiary, *, actor) -> list[Flag]:
    """Same phone or same address as beneficiaries of another household (broker pattern)."""
    flags = []
    phone = matching.normalize_phone(beneficiary.phone)
    if phone:
        others = list(
            Beneficiary.objects.filter(phone=beneficiary.phone)
            .exclude(kk_number=beneficiary.kk_number)
            .exclude(pk=beneficiary.pk)
            .order_by("pk")[:20]
        )
        if others:
            flags.append(
                raise_flag(
                    kind=FlagKind.DUPLICATE_PHONE,
                    subject=beneficiary,
                    severity=FlagSeverity.MEDIUM,
                    explanation=_(
                        "Nomor telepon %(phone)s juga dipakai %(count)d penerima dari KK lain: %(names)s."
                    )
                    % {
                        "phone": phone,
                        "count": len(others),
                        "names": ", ".join(o.full_name for o in others[:5]),
                    },
                    evidence={
                        "records": [f"grants_screening.beneficiary:{o.pk}" for o in others],
                        "phone": phone,
                    },
                    actor=actor,
                )
            )
    return flags


def screen_beneficiary(*, beneficiary: Beneficiary, actor) -> list[Flag]:
    """Check one beneficiary against the tenant's registry; returns its open flags."""
    from praja.modules.grants.screening.selectors import open_flags_for

    if actor is not None:
        _require(actor, RUN_SCREENING)
    threshold = float(tenant_parameter("screening_near_duplicate_threshold", matching.DEFAULT_THRESHOLD))
    with transaction.atomic():
        _shared_key_flags(beneficiary, actor=actor)
        _history_flags(beneficiary, actor=actor)
        # Blocking query: same birth date, or same kelurahan and birth year (a typo in the date).
        from django.db.models import Q

        candidates = (
            Beneficiary.objects.filter(
                Q(birth_date=beneficiary.birth_date)
                | Q(area_id=beneficiary.area_id, birth_date__year=beneficiary.birth_date.year)
            )
            .exclude(pk=beneficiary.pk)
            .values_list(*_PERSON_FIELDS)[:2000]
        )
        people = [_person_from_values(row) for row in candidates]
        for match in matching.near_duplicates_of(person_of(beneficiary), people, threshold=threshold):
            # The later registration carries the flag; the earlier one is named in the evidence.
            subject, other_id = beneficiary, match.right
            if other_id > beneficiary.pk:
                subject, other_id = Beneficiary.objects.get(pk=other_id), beneficiary.pk
            _near_duplicate_flag(subject, other_id, match, actor=actor)
    return list(open_flags_for(beneficiary))


def _history_flags(beneficiary: Beneficiary, *, actor) -> None:
    from praja.modules.grants.screening import proposal_checks

    proposal_checks.beneficiary_history_flags(beneficiary, raise_flag, actor)


def screen_proposal(*, proposal, actor=None) -> list[Flag]:
    """Run every screening check on a grant proposal; returns its open flags (new and already open).

    `actor=None` is the system (G1 calls it inside its own permission-checked actions); a person
    needs `grants_screening.run_screening`.
    """
    from praja.modules.grants.screening import proposal_checks
    from praja.modules.grants.screening.selectors import open_flags_for

    if actor is not None:
        _require(actor, RUN_SCREENING)
    threshold = float(tenant_parameter("screening_price_threshold_percent", DEFAULT_PRICE_THRESHOLD_PERCENT))
    with transaction.atomic():
        proposal_checks.screen(proposal, raise_flag=raise_flag, actor=actor, threshold_percent=threshold)
        if proposal.beneficiary_id:
            screen_beneficiary(beneficiary=proposal.beneficiary, actor=None)
    return list(open_flags_for(proposal))


def screen_import_batch(*, batch: ImportBatch, actor, progress=None) -> int:
    """Screen the rows of an import against the whole registry in one engine run; returns new flags.

    `progress(percent)` is told how far the run is (the background task writes it on the batch).
    Flags are raised in chunks of their own transactions, so the waiting page sees the count grow
    and a failure keeps the flags already raised (raising them again is a no-op).
    """
    if actor is not None:
        _require(actor, RUN_SCREENING)
    report = progress or (lambda percent: None)
    threshold = float(tenant_parameter("screening_near_duplicate_threshold", matching.DEFAULT_THRESHOLD))
    new_ids = set(Beneficiary.objects.filter(import_batch=batch).values_list("pk", flat=True))
    if not new_ids:
        return 0
    people = [_person_from_values(row) for row in Beneficiary.objects.values_list(*_PERSON_FIELDS).iterator()]
    before = Flag.objects.count()
    matches = [
        match
        for match in matching.find_near_duplicates(
            people, threshold=threshold, progress=lambda done, total: report(80 * done // total)
        )
        if match.left in new_ids or match.right in new_ids
    ]
    phones = list(Beneficiary.objects.filter(pk__in=new_ids).exclude(phone="").order_by("pk"))
    work = len(matches) + len(phones)
    done = 0
    for start in range(0, len(matches), _FLAG_CHUNK):
        with transaction.atomic():
            for match in matches[start : start + _FLAG_CHUNK]:
                later, earlier = max(match.left, match.right), min(match.left, match.right)
                _near_duplicate_flag(Beneficiary.objects.get(pk=later), earlier, match, actor=actor)
        done += len(matches[start : start + _FLAG_CHUNK])
        report(80 + 20 * done // work)
    for start in range(0, len(phones), _FLAG_CHUNK):
        with transaction.atomic():
            for beneficiary in phones[start : start + _FLAG_CHUNK]:
                _shared_key_flags(beneficiary, actor=actor)
        done += len(phones[start : start + _FLAG_CHUNK])
        report(80 + 20 * done // work)
    return Flag.objects.count() - before


_FLAG_CHUNK = 200


# --- Standard unit prices -----------------------------------------------------------------------------


def import_standard_prices(
    *, actor, content: bytes, original_name: str
) -> tuple[int, list[tuple[int, list[str]]]]:
    """Import SSH lines (kode, uraian, satuan, harga, tahun); existing (year, code) lines are updated.

    Returns (rows saved, [(row number, reasons)] of rejected rows); the good rows are one transaction.
    """
    _require(actor, MANAGE_PRICES)
    header, rows = spreadsheets.read_table(content, name=original_name)
    titles = [str(title or "").strip().lower() for title in header]
    missing = [column for column in rules.SSH_COLUMNS if column not in titles]
    if missing:
        raise ValidationError(
            _("Kolom wajib tidak ada: %(columns)s.") % {"columns": ", ".join(missing)}, code="missing_columns"
        )
    index = {column: titles.index(column) for column in rules.SSH_COLUMNS}
    good, bad = [], []
    seen: dict[tuple[int, str], int] = {}
    for number, row in enumerate(rows, start=2):
        values = {column: (row[i] if i < len(row) else None) for column, i in index.items()}
        cleaned, errors = rules.check_price_row(values)
        key = (cleaned.get("tahun"), cleaned.get("kode"))
        if not errors and key in seen:
            errors.append(
                _("Kode %(code)s tahun %(year)s sama dengan baris %(row)d.")
                % {"code": key[1], "year": key[0], "row": seen[key]}
            )
        if errors:
            bad.append((number, errors))
        else:
            seen[key] = number
            good.append(cleaned)
    with transaction.atomic():
        for cleaned in good:
            StandardUnitPrice.objects.update_or_create(
                year=cleaned["tahun"],
                code=cleaned["kode"],
                defaults={
                    "description": cleaned["uraian"],
                    "unit": cleaned["satuan"],
                    "price": cleaned["harga"],
                },
            )
        record(
            EVENT_PRICES_IMPORTED,
            actor=actor,
            object_type="grants_screening.standardunitprice",
            data={"file": original_name[:255], "saved": len(good), "rejected": len(bad)},
        )
    return len(good), bad
