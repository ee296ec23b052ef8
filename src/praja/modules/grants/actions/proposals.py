"""Writers of the applicant's side of a proposal: draft, RAB, uploads, submit, resubmit, withdraw."""

from __future__ import annotations

import uuid
from decimal import Decimal, InvalidOperation
from types import SimpleNamespace

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.documents.actions import store_upload
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.core.workflow.errors import CaseMovedOn, PermissionDenied
from praja.modules.grants import rules
from praja.modules.grants.actions.common import (
    DOCUMENT_TYPES,
    EDITABLE_PROPOSAL,
    S,
    _parse_amount,
    _refuse_unless_representative,
    next_number,
)
from praja.modules.grants.models import (
    Organisation,
    Programme,
    ProgrammeKind,
    Proposal,
    ProposalDocument,
    ProposalPhoto,
    RabLine,
)

# --- Proposals: applicant ------------------------------------------------------------------------------


def _refuse_unless_applicant(actor, proposal: Proposal) -> None:
    if actor is None or actor.pk != proposal.applicant_id:
        raise PermissionDenied(_("Hanya pemohon proposal ini yang dapat mengubahnya."))


def _refuse_unless_editable(proposal: Proposal) -> None:
    if proposal.status not in EDITABLE_PROPOSAL:
        raise ValidationError(
            _("Proposal berstatus %(status)s tidak dapat diubah lagi.")
            % {"status": proposal.get_status_display()},
            code="not_editable",
        )


PROPOSAL_FIELDS = (
    "title",
    "background",
    "purpose",
    "letter_number",
    "letter_date",
    "start_date",
    "end_date",
    "is_construction",
    "suggested_org_unit",
    "amount_requested",
)


def _clean_proposal(values: dict, *, programme: Programme, creating: bool) -> dict:
    cleaned = {key: value for key, value in values.items() if key in PROPOSAL_FIELDS}
    errors = {}
    required = ("title", "purpose", "start_date", "end_date", "amount_requested") if creating else ()
    for key in required:
        if cleaned.get(key) in (None, ""):
            errors[key] = _("Wajib diisi.")
    if cleaned.get("amount_requested") not in (None, ""):
        try:
            cleaned["amount_requested"] = _parse_amount(
                cleaned["amount_requested"], field="amount_requested", label=_("Nilai yang diajukan")
            )
        except ValidationError as error:
            errors.update(error.message_dict)
        else:
            if cleaned["amount_requested"] <= 0:
                errors["amount_requested"] = _("Nilai yang diajukan harus lebih dari nol Rupiah.")
            refusal = rules.check_max_amount(cleaned["amount_requested"], programme.max_amount_per_proposal)
            if refusal:
                errors["amount_requested"] = str(refusal)
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end:
        refusal = rules.check_dates(start, end)
        if refusal:
            errors["end_date"] = str(refusal)
    if errors:
        raise ValidationError(errors)
    for key in ("title", "background", "purpose", "letter_number"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    return cleaned


def start_proposal(
    *,
    actor,
    programme: Programme,
    organisation: Organisation | None = None,
    idempotency_key: uuid.UUID | str | None = None,
    **values,
) -> Proposal:
    """Create the applicant's draft proposal for an open programme (one per idempotency key)."""
    require_current_tenant()
    if not getattr(actor, "is_authenticated", False) or not actor.has_verified_email:
        raise PermissionDenied(
            _("Masuk dengan akun yang emailnya sudah terverifikasi untuk mengajukan proposal.")
        )
    key = uuid.UUID(str(idempotency_key)) if idempotency_key else uuid.uuid4()
    existing = Proposal.objects.filter(idempotency_key=key).first()
    if existing is not None:
        if existing.applicant_id != actor.pk:
            raise PermissionDenied(_("Formulir ini milik pemohon lain; muat ulang halaman."))
        return existing
    if not programme.is_published:
        raise ValidationError(
            _("Program %(name)s belum diumumkan.") % {"name": programme.name}, code="unpublished"
        )
    if programme.kind == ProgrammeKind.HIBAH and organisation is None:
        raise ValidationError(
            {
                "organisation": _(
                    "Hibah hanya untuk lembaga; pilih lembaga yang Anda "
                    "wakili (UU 23/2014 Pasal 298 ayat (5))."
                )
            }
        )
    if organisation is not None:
        _refuse_unless_representative(actor, organisation)
    cleaned = _clean_proposal(values, programme=programme, creating=True)
    try:
        with transaction.atomic():
            proposal = Proposal.objects.create(
                programme=programme,
                budget_year=programme.budget_year,
                organisation=organisation,
                applicant=actor,
                idempotency_key=key,
                **cleaned,
            )
            record(
                "grants.proposal_started",
                actor=actor,
                obj=proposal,
                data={"programme": programme.code, "organisation_id": getattr(organisation, "pk", None)},
            )
    except IntegrityError:
        return Proposal.objects.get(idempotency_key=key, applicant=actor)
    return proposal


def update_proposal(*, actor, proposal: Proposal, **values) -> Proposal:
    _refuse_unless_applicant(actor, proposal)
    _refuse_unless_editable(proposal)
    cleaned = _clean_proposal(values, programme=proposal.programme, creating=False)
    merged_start = cleaned.get("start_date", proposal.start_date)
    merged_end = cleaned.get("end_date", proposal.end_date)
    refusal = rules.check_dates(merged_start, merged_end)
    if refusal:
        raise ValidationError({"end_date": str(refusal)})
    for key, value in cleaned.items():
        setattr(proposal, key, value)
    with transaction.atomic():
        proposal.save(update_fields=[*cleaned, "updated_at"])
        record("grants.proposal_saved", actor=actor, obj=proposal, data={"fields": sorted(cleaned)})
    return proposal


def _parse_rab_line(index: int, line: dict) -> dict:
    errors = []
    description = (line.get("description") or "").strip()
    unit = (line.get("unit") or "").strip()
    if not description:
        errors.append(_("uraian wajib diisi"))
    if not unit:
        errors.append(_("satuan wajib diisi"))
    try:
        volume = Decimal(str(line.get("volume")).replace(",", "."))
        if volume <= 0 or volume != volume.quantize(Decimal("0.01")):
            raise InvalidOperation
    except (InvalidOperation, ValueError, TypeError):
        errors.append(_("volume harus angka lebih dari nol (paling banyak 2 desimal)"))
        volume = None
    try:
        unit_price = int(str(line.get("unit_price")).replace(".", "").strip())
        if unit_price <= 0:
            raise ValueError
    except (TypeError, ValueError):
        errors.append(_("harga satuan harus angka Rupiah lebih dari nol"))
        unit_price = None
    if errors:
        raise ValidationError(
            _("Baris RAB %(number)d: %(errors)s.")
            % {"number": index + 1, "errors": "; ".join(str(e) for e in errors)}
        )
    return {
        "position": index,
        "description": description,
        "volume": volume,
        "unit": unit,
        "unit_price": unit_price,
        "subtotal": rules.rab_subtotal(volume, unit_price),
        "standard_price_code": (line.get("standard_price_code") or "").strip(),
    }


def set_rab_lines(*, actor, proposal: Proposal, lines: list[dict]) -> list[RabLine]:
    """Replace the RAB; each line volume × unit price = subtotal; Σ RAB ≤ amount requested."""
    _refuse_unless_applicant(actor, proposal)
    _refuse_unless_editable(proposal)
    errors = []
    parsed = []
    for index, line in enumerate(
        line for line in lines if any(str(v).strip() for v in line.values() if v is not None)
    ):
        try:
            parsed.append(_parse_rab_line(index, line))
        except ValidationError as error:
            errors.extend(error.messages)
    if errors:
        raise ValidationError({"rab": errors})
    refusals = rules.check_rab(
        [SimpleNamespace(**item) for item in parsed], amount_requested=proposal.amount_requested
    )
    if refusals:
        raise ValidationError({"rab": [str(item) for item in refusals]})
    with transaction.atomic():
        proposal.rab_lines.all().delete()
        rows = RabLine.objects.bulk_create(
            [RabLine(proposal=proposal, tenant=proposal.tenant, **item) for item in parsed]
        )
        record(
            "grants.rab_saved",
            actor=actor,
            obj=proposal,
            data={"lines": len(rows), "total": sum(item["subtotal"] for item in parsed)},
        )
    return rows


def upload_proposal_document(*, actor, proposal: Proposal, code: str, uploaded_file) -> ProposalDocument:
    """Store the file for one checklist code of the programme; a replacement supersedes the old one."""
    from praja.modules.grants.selectors import applicable_documents_for

    _refuse_unless_applicant(actor, proposal)
    _refuse_unless_editable(proposal)
    known = {item["code"]: item for item in applicable_documents_for(proposal)}
    if code not in known:
        raise ValidationError(
            {"code": _("Dokumen %(code)s tidak diminta oleh program ini.") % {"code": code}}
        )
    try:
        stored = store_upload(
            actor=actor,
            uploaded_file=uploaded_file,
            allowed_types=DOCUMENT_TYPES,
            case=proposal,
            purpose=f"grants:{code}",
        )
    except ValidationError as error:
        raise ValidationError(
            {
                "file": [
                    _("%(label)s: %(reason)s") % {"label": known[code]["label"], "reason": m}
                    for m in error.messages
                ]
            }
        ) from error
    with transaction.atomic():
        ProposalDocument.objects.filter(proposal=proposal, code=code, is_current=True).update(
            is_current=False
        )
        document = ProposalDocument.objects.create(
            proposal=proposal, code=code, stored_file=stored, uploaded_by=actor
        )
        record(
            "grants.proposal_document_uploaded",
            actor=actor,
            obj=proposal,
            data={"code": code, "file_id": stored.pk, "sha256": stored.sha256},
        )
    return document


def add_proposal_photo(*, actor, proposal: Proposal, uploaded_file, caption: str = "") -> ProposalPhoto:
    _refuse_unless_applicant(actor, proposal)
    _refuse_unless_editable(proposal)
    stored = store_upload(
        actor=actor,
        uploaded_file=uploaded_file,
        allowed_types=("jpeg", "png"),
        case=proposal,
        purpose="grants:photo",
    )
    with transaction.atomic():
        photo = ProposalPhoto.objects.create(
            proposal=proposal, stored_file=stored, caption=caption.strip()[:200]
        )
        record(
            "grants.proposal_photo_added",
            actor=actor,
            obj=proposal,
            data={"file_id": stored.pk, "sha256": stored.sha256},
        )
    return photo


def _proposal_prefix(programme: Programme) -> str:
    from praja.core.tenancy.models import TenantModule

    row = TenantModule.objects.filter(module="grants").first()
    configured = ((row.parameters or {}).get("proposal_prefix", "") if row else "").strip()
    if programme.kind == ProgrammeKind.BANSOS:
        return (configured + "-BSS") if configured else "BSS"
    return configured or "HBH"


def _screen(proposal: Proposal) -> list:
    """Run G2's screening on the proposal (system actor); returns its open flags."""
    try:
        from praja.modules.grants.screening.actions import screen_proposal
    except ImportError:  # the screening app is optional for a tenant without it installed
        return []
    return list(screen_proposal(proposal=proposal, actor=None))


def submit_proposal(*, actor, proposal: Proposal, request=None) -> Proposal:
    """Submit a draft: eligibility checked (each refusal names its rule), number given, screened."""
    _refuse_unless_applicant(actor, proposal)
    if proposal.status != S.DRAFT and proposal.number:
        return proposal  # a repeated click: already submitted

    def effects(locked):
        now = timezone.now()
        sequence = next_number(f"proposal:{locked.programme.kind}", locked.budget_year)
        locked.number = f"{_proposal_prefix(locked.programme)}-{locked.budget_year}-{sequence:06d}"
        locked.submitted_at = now
        return ["number", "submitted_at"]

    try:
        transition(proposal, "submit", actor=actor, effects=effects, request=request)
    except CaseMovedOn:
        proposal.refresh_from_db()
        if proposal.number:
            return proposal
        raise
    _screen(proposal)
    return proposal


def resubmit_proposal(*, actor, proposal: Proposal, request=None) -> Proposal:
    _refuse_unless_applicant(actor, proposal)
    transition(proposal, "resubmit", actor=actor, request=request)
    _screen(proposal)
    return proposal


def withdraw_proposal(*, actor, proposal: Proposal, reason: str = "", request=None) -> Proposal:
    transition(
        proposal,
        "withdraw",
        actor=actor,
        reason=(reason or "").strip(),
        request=request,
        updates={"cancellation_reason": (reason or "").strip()},
    )
    return proposal
