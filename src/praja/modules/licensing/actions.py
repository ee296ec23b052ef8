"""The only writers of licensing cases: applying, checking, the technical team, deciding, issuing.

Catalogue writers live in catalogue.py. Every status change goes through `_move`, which wraps
core.workflow.transition() and stamps `queued_at` (the first-in-first-out order of the queues).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record, record_personal_data_access
from praja.core.calendar.selectors import local_date
from praja.core.documents.actions import revoke_official_document, store_upload, supersede_official_document
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.core.workflow.actions import transition
from praja.core.workflow.errors import CaseMovedOn, PermissionDenied
from praja.modules.licensing import rules
from praja.modules.licensing.models import (
    Application,
    ApplicationDocument,
    ApplicationKind,
    ApplicationReturn,
    ApplicationStatus,
    InspectionPhoto,
    InspectionReport,
    NumberSequence,
    Permit,
    PermitStatus,
    PermitType,
    Requirement,
    ReturnStage,
    TeamAssignment,
    TeamMember,
)
from praja.modules.licensing.permissions import REVIEW, VIEW_APPLICATIONS

S = ApplicationStatus
EDITABLE_STATUSES = (S.DRAFT, S.RETURNED, S.REVISION)
OUT_OF_TURN_EVENT = "licensing.taken_out_of_turn"


# --- Helpers ---------------------------------------------------------------------------------------


def _move(
    application: Application,
    name: str,
    *,
    actor,
    reason: str = "",
    updates=None,
    effects=None,
    data=None,
    request=None,
    otp_verified=None,
):
    """Take transition `name` (core.workflow.transition) and stamp when the file entered its status."""
    now = timezone.now()
    return transition(
        application,
        name,
        actor=actor,
        reason=reason,
        data=data,
        updates={"queued_at": now, **(updates or {})},
        effects=effects,
        request=request,
        otp_verified=otp_verified,
    )


def next_number(name: str, year: int) -> int:
    """Take the next value of a per-tenant yearly counter (locked row; call inside a transaction)."""
    with transaction.atomic():
        sequence, _created = NumberSequence.objects.select_for_update().get_or_create(name=name, year=year)
        NumberSequence.objects.filter(pk=sequence.pk).update(last_value=F("last_value") + 1)
        return NumberSequence.objects.values_list("last_value", flat=True).get(pk=sequence.pk)


def _tracking_prefix(tenant) -> str:
    from praja.core.tenancy.models import TenantModule

    row = TenantModule.objects.filter(module="licensing").first()
    configured = (row.parameters or {}).get("tracking_prefix", "") if row else ""
    return rules.tracking_prefix_for(tenant.slug, configured)


def _today(tenant) -> datetime.date:
    return local_date(tenant, timezone.now())


def applicable_requirements(application: Application) -> list[Requirement]:
    """The requirements of the application's version that apply to its form data."""
    return [
        item
        for item in application.requirement_set.requirements.all()
        if rules.condition_holds(item.condition, application.form_data or {})
    ]


def _current_documents(application: Application) -> dict[str, ApplicationDocument]:
    return {doc.requirement_code: doc for doc in application.documents.filter(is_current=True)}


def _refuse_unless_applicant(actor, application: Application) -> None:
    if actor is None or actor.pk != application.applicant_id:
        raise PermissionDenied(_("Hanya pemohon berkas ini yang dapat mengubahnya."))


def _refuse_unless_editable(application: Application) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise ValidationError(
            _("Berkas berstatus %(status)s tidak dapat diubah lagi.")
            % {"status": application.get_status_display()},
            code="not_editable",
        )


# --- Applicant ----------------------------------------------------------------------------------------


def start_application(
    *,
    actor,
    permit_type: PermitType,
    idempotency_key: uuid.UUID | str | None = None,
    kind: str = ApplicationKind.NEW,
    previous_permit: Permit | None = None,
    organisation_name: str = "",
    organisation_id_number: str = "",
    representative_position: str = "",
) -> Application:
    """Create the applicant's draft under the requirement version in force now.

    The same `idempotency_key` (carried by the form) returns the draft already made, so a
    double-clicked button makes one application.
    """
    from praja.modules.licensing.selectors import get_current_requirement_set

    tenant = require_current_tenant()
    if not getattr(actor, "is_authenticated", False) or not actor.has_verified_email:
        raise PermissionDenied(
            _("Masuk dengan akun yang emailnya sudah terverifikasi untuk mengajukan izin.")
        )
    key = uuid.UUID(str(idempotency_key)) if idempotency_key else uuid.uuid4()
    existing = Application.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.applicant_id != actor.pk:
            raise PermissionDenied(_("Formulir ini milik pemohon lain; muat ulang halaman."))
        return existing
    if not permit_type.is_published:
        raise ValidationError(
            _("Layanan %(name)s belum dibuka.") % {"name": permit_type.name}, code="unpublished"
        )
    requirement_set = get_current_requirement_set(permit_type)
    if requirement_set is None:
        raise ValidationError(_("Persyaratan layanan ini belum ditetapkan."), code="no_requirements")
    errors = {}
    if kind not in ApplicationKind.values:
        errors["kind"] = _("Pilih jenis permohonan: baru, perpanjangan atau perubahan.")
    elif kind != ApplicationKind.NEW:
        if previous_permit is None:
            errors["previous_permit"] = _("Pilih izin yang akan diperpanjang atau diubah.")
        elif (
            previous_permit.holder_id != actor.pk
            or previous_permit.permit_type_id != permit_type.pk
            or previous_permit.status != PermitStatus.VALID
        ):
            errors["previous_permit"] = _(
                "Izin %(number)s bukan izin Anda yang masih berlaku untuk layanan ini."
            ) % {"number": previous_permit.permit_number}
    if organisation_name.strip() and not permit_type.allows_organisation:
        errors["organisation_name"] = _("Layanan ini hanya untuk perorangan.")
    if organisation_name.strip() and not representative_position.strip():
        errors["representative_position"] = _("Isi jabatan/kedudukan Anda sebagai kuasa badan usaha.")
    if errors:
        raise ValidationError(errors)
    form_data = {}
    if previous_permit is not None and kind != ApplicationKind.NEW:
        form_data = dict(previous_permit.application.form_data or {})
    try:
        with transaction.atomic():
            application = Application.objects.create(
                tenant=tenant,
                permit_type=permit_type,
                requirement_set=requirement_set,
                kind=kind,
                previous_permit=previous_permit if kind != ApplicationKind.NEW else None,
                applicant=actor,
                organisation_name=organisation_name.strip(),
                organisation_id_number=organisation_id_number.strip(),
                representative_position=representative_position.strip(),
                form_data=form_data,
                org_unit=permit_type.responsible_org_unit,
                idempotency_key=key,
            )
            record(
                "licensing.application_started",
                actor=actor,
                obj=application,
                data={
                    "permit_type": permit_type.code,
                    "kind": kind,
                    "requirement_set_version": requirement_set.version,
                },
            )
    except IntegrityError:
        # A concurrent click with the same key won the race: hand back its draft.
        return Application.objects.get(idempotency_key=key, applicant=actor)
    return application


def save_application_form(
    *,
    actor,
    application: Application,
    values: dict[str, Any],
    organisation_name: str | None = None,
    organisation_id_number: str | None = None,
    representative_position: str | None = None,
) -> Application:
    """Store the form values (typed per field); a draft may be incomplete, never malformed."""
    _refuse_unless_applicant(actor, application)
    _refuse_unless_editable(application)
    fields = list(application.requirement_set.form_fields.all())
    data = dict(application.form_data or {})
    errors = {}
    for field in fields:
        if field.key not in values:
            continue
        try:
            data[field.key] = rules.coerce_form_value(
                field.kind, values[field.key], choices=[value for value, _label in field.choice_list]
            )
        except ValueError as error:
            errors[field.key] = f"{field.label}: {error}"
    if errors:
        raise ValidationError(errors)
    updates = ["form_data", "updated_at"]
    application.form_data = data
    for name, value in (
        ("organisation_name", organisation_name),
        ("organisation_id_number", organisation_id_number),
        ("representative_position", representative_position),
    ):
        if value is not None:
            setattr(application, name, value.strip())
            updates.append(name)
    if application.organisation_name and not application.permit_type.allows_organisation:
        raise ValidationError({"organisation_name": _("Layanan ini hanya untuk perorangan.")})
    with transaction.atomic():
        application.save(update_fields=updates)
        record("licensing.application_saved", actor=actor, obj=application, data={"fields": sorted(values)})
    return application


def upload_requirement_document(
    *,
    actor,
    application: Application,
    requirement_code: str,
    uploaded_file,
    valid_until: datetime.date | None = None,
) -> ApplicationDocument:
    """Store the file for one requirement after its type and named check pass; refusals store nothing."""
    _refuse_unless_applicant(actor, application)
    _refuse_unless_editable(application)
    requirement = application.requirement_set.requirements.filter(code=requirement_code).first()
    if requirement is None:
        raise ValidationError(
            {
                "requirement": _("Persyaratan %(code)s tidak ada pada layanan ini.")
                % {"code": requirement_code}
            }
        )
    if requirement.check_name:
        message = rules.run_requirement_check(
            requirement.check_name,
            rules.CheckContext(
                label=requirement.label, valid_until=valid_until, submission_date=_today(application.tenant)
            ),
        )
        if message:
            raise ValidationError({"valid_until": message}, code="check_failed")
    try:
        stored = store_upload(
            actor=actor,
            uploaded_file=uploaded_file,
            allowed_types=requirement.accepted_type_list,
            case=application,
            purpose=f"licensing:{requirement.code}",
        )
    except ValidationError as error:
        raise ValidationError(
            {
                "file": [
                    _("%(label)s: %(reason)s") % {"label": requirement.label, "reason": message}
                    for message in error.messages
                ]
            },
            code=getattr(error, "code", None),
        ) from error
    with transaction.atomic():
        ApplicationDocument.objects.filter(
            application=application, requirement_code=requirement.code, is_current=True
        ).update(is_current=False)
        document = ApplicationDocument.objects.create(
            application=application,
            requirement=requirement,
            requirement_code=requirement.code,
            stored_file=stored,
            valid_until=valid_until if requirement.check_name else None,
            uploaded_by=actor,
        )
        record(
            "licensing.requirement_uploaded",
            actor=actor,
            obj=application,
            data={"requirement": requirement.code, "file_id": stored.pk, "sha256": stored.sha256},
        )
    return document


def find_submission_problems(application: Application) -> dict[str, str]:
    """Field or requirement code -> what is missing or no longer valid; empty when it may be submitted."""
    problems: dict[str, str] = {}
    data = application.form_data or {}
    for field in application.requirement_set.form_fields.all():
        if field.required and data.get(field.key) in (None, "", []):
            problems[field.key] = _("Isian wajib belum diisi: %(label)s.") % {"label": field.label}
    documents = _current_documents(application)
    today = _today(application.tenant)
    for requirement in applicable_requirements(application):
        document = documents.get(requirement.code)
        if document is None:
            if requirement.is_mandatory:
                problems[requirement.code] = _("Persyaratan wajib belum diunggah: %(code)s — %(label)s.") % {
                    "code": requirement.code,
                    "label": requirement.label,
                }
            continue
        if requirement.check_name:
            message = rules.run_requirement_check(
                requirement.check_name,
                rules.CheckContext(
                    label=requirement.label, valid_until=document.valid_until, submission_date=today
                ),
            )
            if message:
                problems[requirement.code] = message
    return problems


def _compute_fee(application: Application) -> int:
    from praja.modules.licensing.payments.rules import compute_retribusi

    return int(compute_retribusi(application.permit_type, application.form_data or {}))


def submit_application(*, actor, application: Application, request=None) -> Application:
    """Submit a complete draft: tracking number, fee, receipt. Submitting it again changes nothing."""
    _refuse_unless_applicant(actor, application)
    if application.status != S.DRAFT and application.tracking_number:
        return application  # a repeated click: the file was already submitted
    problems = find_submission_problems(application)
    if problems:
        raise ValidationError(problems, code="incomplete")
    fee = _compute_fee(application)
    tenant = application.tenant

    def effects(locked):
        now = timezone.now()
        year = local_date(tenant, now).year
        locked.tracking_number = rules.format_tracking_number(
            _tracking_prefix(tenant), year, next_number("tracking", year)
        )
        locked.submitted_at = now
        locked.fee_amount = fee
        return ["tracking_number", "submitted_at", "fee_amount"]

    try:
        _move(application, "submit", actor=actor, effects=effects, request=request, data={"fee_amount": fee})
    except CaseMovedOn:
        application.refresh_from_db()
        if application.tracking_number:
            return application
        raise
    ensure_receipt(application=application)
    return application


def ensure_receipt(*, application: Application):
    """Render the bukti pendaftaran once (after submission) and return it."""
    from praja.modules.licensing import documents

    if application.receipt_document_id:
        return application.receipt_document
    if not application.tracking_number:
        return None
    with use_tenant(application.tenant):
        document = documents.render_receipt(application)
        Application.objects.filter(pk=application.pk, receipt_document__isnull=True).update(
            receipt_document=document
        )
    application.receipt_document = document
    return document


def resubmit_application(*, actor, application: Application, request=None) -> Application:
    """Send a returned file back after fixing it: to the front office, or to the technical team."""
    _refuse_unless_applicant(actor, application)
    problems = find_submission_problems(application)
    if problems:
        raise ValidationError(problems, code="incomplete")
    name = "resubmit_revision" if application.status == S.REVISION else "resubmit"

    def effects(locked):
        ApplicationReturn.objects.filter(application=locked, answered_at__isnull=True).update(
            answered_at=timezone.now()
        )
        return []

    _move(application, name, actor=actor, effects=effects, request=request)
    return application


def withdraw_application(*, actor, application: Application, reason: str = "", request=None) -> Application:
    _move(application, "withdraw", actor=actor, reason=reason, request=request)
    return application


# --- Officials ---------------------------------------------------------------------------------------


def record_application_view(*, actor, application: Application, request=None) -> None:
    """An official opened the applicant's data: the applicant's "who viewed my data" entry."""
    if actor.pk == application.applicant_id:
        return
    record_personal_data_access(
        official=actor,
        citizen=application.applicant,
        case=application,
        purpose=_("Memeriksa permohonan %(number)s")
        % {"number": application.tracking_number or application.pk},
        request=request,
    )


def take_out_of_turn(*, actor, application: Application, reason: str, request=None) -> Application:
    """Let an official handle a file before older ones: a written reason, an audit event and a flag."""
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise ValidationError(
            {"reason": _("Tuliskan alasan mengambil berkas di luar urutan (minimal 10 karakter).")},
            code="reason_required",
        )
    if not has_permission(actor, VIEW_APPLICATIONS, org_unit=application.org_unit):
        raise PermissionDenied(_("Anda tidak berwenang memproses berkas ini."))
    if actor.pk == application.applicant_id:
        raise PermissionDenied(_("Anda adalah pemohon berkas ini, sehingga tidak boleh memprosesnya."))
    with transaction.atomic():
        locked = Application.objects.select_for_update().get(pk=application.pk)
        now = timezone.now()
        locked.out_of_turn_at, locked.out_of_turn_by, locked.out_of_turn_reason = now, actor, reason
        locked.save(update_fields=["out_of_turn_at", "out_of_turn_by", "out_of_turn_reason"])
        record(
            OUT_OF_TURN_EVENT,
            actor=actor,
            obj=locked,
            data={"status": locked.status, "reason": reason, "tracking_number": locked.tracking_number},
        )
    application.out_of_turn_at, application.out_of_turn_by, application.out_of_turn_reason = (
        now,
        actor,
        reason,
    )
    return application


def mark_application_complete(*, actor, application: Application, request=None) -> Application:
    _move(application, "mark_complete", actor=actor, request=request)
    return application


def return_application(
    *, actor, application: Application, requirement_codes: Iterable[str], reason: str, request=None
) -> ApplicationReturn:
    """Return the file to the applicant citing requirement codes; before registration or in review."""
    codes = [code.strip() for code in requirement_codes if code and code.strip()]
    known = set(application.requirement_set.requirements.values_list("code", flat=True))
    if not codes:
        raise ValidationError(
            {"requirement_codes": _("Pilih minimal satu kode persyaratan yang harus diperbaiki.")},
            code="codes_required",
        )
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise ValidationError(
            {
                "requirement_codes": _("Kode persyaratan tidak dikenal: %(codes)s.")
                % {"codes": ", ".join(unknown)}
            }
        )
    technical = application.status in (S.TECHNICAL_REVIEW, S.FIELD_INSPECTION)
    name = "request_revision" if technical else "return_incomplete"
    created: list[ApplicationReturn] = []

    def effects(locked):
        created.append(
            ApplicationReturn.objects.create(
                application=locked,
                stage=ReturnStage.TECHNICAL if technical else ReturnStage.COMPLETENESS,
                requirement_codes=codes,
                reason=reason.strip(),
                returned_by=actor,
                returned_at=timezone.now(),
            )
        )
        return []

    full_reason = f"[{', '.join(codes)}] {reason.strip()}" if reason.strip() else ""
    _move(
        application,
        name,
        actor=actor,
        reason=full_reason,
        effects=effects,
        request=request,
        data={"requirement_codes": codes},
    )
    return created[0]


def register_application(*, actor, application: Application, request=None) -> Application:
    """Register a complete file: its register number; the SLA clock starts."""
    tenant = application.tenant

    def effects(locked):
        now = timezone.now()
        year = local_date(tenant, now).year
        locked.registration_number = rules.format_letter_number("REG", year, next_number("register", year))
        locked.registered_at = now
        return ["registration_number", "registered_at"]

    _move(application, "register", actor=actor, effects=effects, request=request)
    return application


def _refuse_unless_technical_officers(application: Application, members: list) -> None:
    errors = []
    for member in members:
        if member.pk == application.applicant_id:
            errors.append(_("%(name)s adalah pemohon berkas ini.") % {"name": member})
        elif not has_permission(member, REVIEW, org_unit=application.org_unit):
            errors.append(
                _("%(name)s bukan anggota tim teknis perangkat daerah yang bertanggung jawab.")
                % {"name": member}
            )
    if errors:
        raise ValidationError({"members": errors})


def assign_technical_team(
    *, actor, application: Application, members: list, lead=None, notes: str = "", request=None
) -> TeamAssignment:
    """Assign the tim teknis by letter (surat tugas); a field inspection needs at least two officers."""
    members = list(dict.fromkeys(members))
    inspection = application.permit_type.needs_field_inspection
    minimum = 2 if inspection else 1
    if len(members) < minimum:
        raise ValidationError(
            {
                "members": _("Peninjauan lapangan harus ditugaskan kepada minimal dua petugas.")
                if inspection
                else _("Pilih minimal satu petugas tim teknis.")
            },
            code="team_too_small",
        )
    _refuse_unless_technical_officers(application, members)
    lead = lead if lead in members else members[0]
    tenant = application.tenant
    created: list[TeamAssignment] = []

    def effects(locked):
        year = local_date(tenant, timezone.now()).year
        assignment = TeamAssignment.objects.create(
            application=locked,
            letter_number=rules.format_letter_number("ST", year, next_number("assignment_letter", year)),
            with_field_inspection=inspection,
            notes=notes.strip(),
            assigned_by=actor,
            assigned_at=timezone.now(),
        )
        for member in members:
            TeamMember.objects.create(assignment=assignment, user=member, is_lead=member.pk == lead.pk)
        created.append(assignment)
        return []

    name = "assign_inspection_team" if inspection else "assign_team"
    _move(
        application,
        name,
        actor=actor,
        effects=effects,
        request=request,
        data={"members": [member.pk for member in members]},
    )
    assignment = created[0]
    from praja.modules.licensing import documents

    with use_tenant(tenant):
        letter = documents.render_assignment_letter(assignment, actor=actor)
        TeamAssignment.objects.filter(pk=assignment.pk).update(letter_document=letter)
    assignment.letter_document = letter
    return assignment


def current_assignment(application: Application) -> TeamAssignment | None:
    return application.assignments.order_by("-assigned_at", "-pk").first()


def _refuse_unless_team_member(actor, application: Application) -> TeamAssignment:
    assignment = current_assignment(application)
    if assignment is None or not assignment.members.filter(user=actor).exists():
        raise PermissionDenied(
            _("Hanya anggota tim teknis yang ditugaskan dengan surat tugas yang dapat melakukan ini.")
        )
    return assignment


def record_inspection(
    *,
    actor,
    application: Application,
    inspected_on: datetime.date,
    location: str,
    latitude,
    longitude,
    findings: str,
    is_compliant: bool,
    photos: list[dict],
    request=None,
) -> InspectionReport:
    """Record the BAP with geotagged photos; everything is checked before a single file is stored.

    `photos`: [{"file": UploadedFile, "latitude": ..., "longitude": ..., "caption": ...}].
    """
    assignment = _refuse_unless_team_member(actor, application)
    if application.status != S.FIELD_INSPECTION:
        raise ValidationError(_("Berkas ini tidak sedang dalam peninjauan lapangan."), code="wrong_status")
    errors: dict[str, Any] = {}
    errors.update(rules.validate_coordinates(latitude, longitude))
    if not findings.strip():
        errors["findings"] = _("Tuliskan hasil pemeriksaan lapangan.")
    if not location.strip():
        errors["location"] = _("Tuliskan lokasi yang diperiksa.")
    if inspected_on > _today(application.tenant):
        errors["inspected_on"] = _("Tanggal pemeriksaan tidak boleh di masa depan.")
    if not photos:
        errors["photos"] = _("Lampirkan minimal satu foto lapangan beserta koordinatnya.")
    for number, photo in enumerate(photos, start=1):
        for name, message in rules.validate_coordinates(
            photo.get("latitude"), photo.get("longitude")
        ).items():
            errors[f"photo_{number}_{name}"] = _("Foto %(number)d: %(message)s") % {
                "number": number,
                "message": message,
            }
    if errors:
        raise ValidationError(errors)
    stored = []
    for number, photo in enumerate(photos, start=1):
        try:
            stored.append(
                store_upload(
                    actor=actor,
                    uploaded_file=photo["file"],
                    allowed_types=("jpeg", "png"),
                    case=application,
                    purpose="licensing:bap_photo",
                )
            )
        except ValidationError as error:
            raise ValidationError({f"photo_{number}": error.messages}) from error
    created: list[InspectionReport] = []

    def effects(locked):
        report = InspectionReport.objects.create(
            application=locked,
            assignment=assignment,
            inspected_on=inspected_on,
            location=location.strip(),
            latitude=latitude,
            longitude=longitude,
            findings=findings.strip(),
            is_compliant=is_compliant,
            recorded_by=actor,
            recorded_at=timezone.now(),
        )
        for file, photo in zip(stored, photos, strict=True):
            InspectionPhoto.objects.create(
                report=report,
                stored_file=file,
                latitude=photo["latitude"],
                longitude=photo["longitude"],
                caption=(photo.get("caption") or "")[:200],
            )
        created.append(report)
        return []

    _move(
        application,
        "record_inspection",
        actor=actor,
        effects=effects,
        request=request,
        data={"latitude": str(latitude), "longitude": str(longitude), "is_compliant": is_compliant},
    )
    report = created[0]
    from praja.modules.licensing import documents

    with use_tenant(application.tenant):
        bap = documents.render_inspection_report(report, actor=actor)
        InspectionReport.objects.filter(pk=report.pk).update(document=bap)
    report.document = bap
    return report


def recommend(*, actor, application: Application, approve: bool, reason: str, request=None) -> Application:
    """The technical team's recommendation, with its reasons, to the head of DPMPTSP."""
    _refuse_unless_team_member(actor, application)
    name = "recommend_approve" if approve else "recommend_reject"
    _move(
        application,
        name,
        actor=actor,
        reason=reason.strip(),
        updates={"recommendation": reason.strip()},
        request=request,
    )
    return application


def decide_application(
    *, actor, application: Application, approve: bool, reason: str = "", request=None, otp_verified=None
) -> Application:
    """The head's decision with a second factor: approval (bill or permit) or a signed rejection."""
    if approve:
        if application.fee_amount:
            now = timezone.now()
            _move(
                application,
                "approve_for_payment",
                actor=actor,
                reason=reason.strip(),
                request=request,
                otp_verified=otp_verified,
                updates={"approved_at": now, "approved_by": actor, "decided_at": now},
            )
            ensure_bill(application=application)
            return application
        now = timezone.now()
        _move(
            application,
            "approve",
            actor=actor,
            reason=reason.strip(),
            request=request,
            otp_verified=otp_verified,
            updates={"approved_at": now, "approved_by": actor, "decided_at": now},
        )
        issue_permit(application=application)
        return application
    now = timezone.now()
    _move(
        application,
        "reject",
        actor=actor,
        reason=reason.strip(),
        request=request,
        otp_verified=otp_verified,
        updates={"decided_at": now, "decision_reason": reason.strip()},
    )
    from praja.modules.licensing import documents

    with use_tenant(application.tenant):
        letter = documents.render_rejection_letter(application, actor=actor)
        Application.objects.filter(pk=application.pk).update(rejection_document=letter)
    application.rejection_document = letter
    return application


def ensure_bill(*, application: Application):
    """Issue the SKRD of an application awaiting payment (L3's create_bill is idempotent)."""
    from praja.modules.licensing.payments.actions import create_bill

    with use_tenant(application.tenant):
        return create_bill(application=application)


def mark_application_paid(*, application: Application, payment_reference: str, paid_at) -> Application:
    """Record a verified payment (L3's callback): AWAITING_PAYMENT -> PAID as the system, then issue.

    A repeat with the same reference after the file moved on returns it unchanged.
    """
    with use_tenant(application.tenant):
        application.refresh_from_db()
        if application.status != S.AWAITING_PAYMENT and application.payment_reference == payment_reference:
            if application.status == S.PAID:
                issue_permit(application=application)
            return application
        _move(
            application,
            "mark_paid",
            actor=None,
            updates={"paid_at": paid_at, "payment_reference": payment_reference},
            data={"payment_reference": payment_reference},
        )
        issue_permit(application=application)
    return application


def expire_unpaid_application(*, application: Application) -> Application:
    _move(application, "expire_unpaid", actor=None)
    return application


def issue_permit(*, application: Application) -> Permit:
    """Issue the signed permit (system step after approval or payment); renewals keep the number."""
    from praja.modules.licensing import documents

    tenant = application.tenant
    with use_tenant(tenant):
        application.refresh_from_db()
        if application.status == S.ISSUED:
            return application.permit
        signer = application.approved_by
        created: list[Permit] = []

        def effects(locked):
            now = timezone.now()
            today = local_date(tenant, now)
            previous = locked.previous_permit
            if previous is not None:
                number = previous.permit_number
                Permit.objects.filter(pk=previous.pk).update(status=PermitStatus.SUPERSEDED)
            else:
                number = rules.format_permit_number(
                    locked.permit_type.permit_number_prefix,
                    today.year,
                    next_number(f"permit:{locked.permit_type.code}", today.year),
                )
            permit = Permit.objects.create(
                application=locked,
                permit_type=locked.permit_type,
                permit_number=number,
                holder=locked.applicant,
                holder_name=locked.holder_name,
                valid_from=today,
                valid_until=rules.permit_validity(today, locked.permit_type.validity_months),
                previous_permit=previous,
                issued_at=now,
            )
            document = documents.render_permit(permit, actor=signer)
            permit.official_document = document
            permit.save(update_fields=["official_document"])
            if previous is not None and previous.official_document_id:
                supersede_official_document(actor=signer, old=previous.official_document, new=document)
            locked.issued_at = now
            created.append(permit)
            return ["issued_at"]

        _move(application, "issue", actor=None, effects=effects)
        return created[0]


def revoke_permit(*, actor, permit: Permit, reason: str, request=None, otp_verified=None) -> Permit:
    """Revoke an issued permit with a reason; its QR verification page says so at once."""
    reason = (reason or "").strip()
    application = permit.application

    def effects(locked):
        now = timezone.now()
        Permit.objects.filter(pk=permit.pk).update(
            status=PermitStatus.REVOKED, revoked_at=now, revoked_reason=reason, revoked_by=actor
        )
        if permit.official_document_id:
            revoke_official_document(actor=actor, document=permit.official_document, reason=reason)
        return []

    if permit.status != PermitStatus.VALID:
        raise ValidationError(
            _("Izin %(number)s sudah tidak berlaku.") % {"number": permit.permit_number}, code="not_valid"
        )
    _move(
        application,
        "revoke",
        actor=actor,
        reason=reason,
        effects=effects,
        request=request,
        otp_verified=otp_verified,
        data={"permit_number": permit.permit_number},
    )
    permit.refresh_from_db()
    return permit
