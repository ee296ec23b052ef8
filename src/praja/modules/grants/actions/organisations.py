"""Writers of organisations (lembaga): registration, board, bank account, documents, verification,
sanctions and annual-funding exemptions."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record
from praja.core.documents.actions import store_upload
from praja.core.tenancy.context import require_current_tenant
from praja.core.workflow.actions import transition
from praja.core.workflow.errors import PermissionDenied
from praja.modules.grants import rules
from praja.modules.grants.actions.common import (
    DOCUMENT_TYPES,
    ORGANISATION_DOCUMENT_CODES,
    OS,
    _check_area,
    _clean_digits,
    _refuse_unless_editable_organisation,
    _refuse_unless_representative,
    _require,
)
from praja.modules.grants.models import (
    BankAccount,
    BoardMember,
    BoardRole,
    FundingExemption,
    Organisation,
    OrganisationDocument,
    OrganisationKind,
)
from praja.modules.grants.permissions import (
    VERIFY_ORGANISATIONS,
)

# --- Organisations -----------------------------------------------------------------------------------

ORGANISATION_FIELDS = (
    "name",
    "acronym",
    "kind",
    "deed_number",
    "deed_date",
    "kemenkumham_sk_number",
    "kemenkumham_sk_date",
    "npwp",
    "domicile_letter_number",
    "registration_number",
    "registered_on",
    "has_permanent_secretariat",
    "secretariat_rented",
    "address",
    "area",
    "phone",
    "email",
    "supervising_org_unit",
)


def _clean_organisation_values(values: dict) -> dict:
    cleaned = {key: value for key, value in values.items() if key in ORGANISATION_FIELDS}
    errors = {}
    if "name" in cleaned and not (cleaned["name"] or "").strip():
        errors["name"] = _("Isi nama lembaga.")
    if "kind" in cleaned and cleaned["kind"] not in OrganisationKind.values:
        errors["kind"] = _("Pilih jenis lembaga.")
    if cleaned.get("npwp"):
        try:
            cleaned["npwp"] = rules.parse_npwp(cleaned["npwp"])
        except ValidationError as error:
            errors["npwp"] = error.messages
    if "area" in cleaned and isinstance(cleaned["area"], str):
        try:
            cleaned["area"] = _check_area(cleaned["area"])
        except ValidationError as error:
            errors.update(error.message_dict)
    for key in ("deed_date", "kemenkumham_sk_date", "registered_on"):
        value = cleaned.get(key)
        if value and value > timezone.localdate():
            errors[key] = _("Tanggal tidak boleh di masa depan.")
    if errors:
        raise ValidationError(errors)
    for key in ("name", "acronym", "address"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    return cleaned


def register_organisation(*, actor, **values) -> Organisation:
    """A citizen registers the organisation they represent (draft until verified)."""
    require_current_tenant()
    if not getattr(actor, "is_authenticated", False) or not actor.has_verified_email:
        raise PermissionDenied(
            _("Masuk dengan akun yang emailnya sudah terverifikasi untuk mendaftarkan lembaga.")
        )
    cleaned = _clean_organisation_values(values)
    missing = {key: _("Wajib diisi.") for key in ("name", "kind", "address") if not cleaned.get(key)}
    if missing:
        raise ValidationError(missing)
    with transaction.atomic():
        organisation = Organisation.objects.create(registered_by=actor, **cleaned)
        organisation.representatives.add(actor)
        record(
            "grants.organisation_registered",
            actor=actor,
            obj=organisation,
            data={"name": organisation.name, "kind": organisation.kind},
        )
    return organisation


def update_organisation(*, actor, organisation: Organisation, **values) -> Organisation:
    _refuse_unless_representative(actor, organisation)
    _refuse_unless_editable_organisation(organisation)
    cleaned = _clean_organisation_values(values)
    for key, value in cleaned.items():
        setattr(organisation, key, value)
    with transaction.atomic():
        organisation.save(update_fields=[*cleaned, "updated_at"])
        record("grants.organisation_updated", actor=actor, obj=organisation, data={"fields": sorted(cleaned)})
    return organisation


def add_board_member(
    *,
    actor,
    organisation: Organisation,
    role: str,
    nik: str,
    full_name: str,
    role_title: str = "",
    phone: str = "",
) -> BoardMember:
    """Add a board member; the NIK must be a valid 16-digit NIK, once per board."""
    _refuse_unless_representative(actor, organisation)
    _refuse_unless_editable_organisation(organisation)
    errors = {}
    if role not in BoardRole.values:
        errors["role"] = _("Pilih jabatan pengurus.")
    if not (full_name or "").strip():
        errors["full_name"] = _("Isi nama lengkap pengurus.")
    try:
        nik = rules.check_board_nik(nik)
    except ValidationError as error:
        errors["nik"] = [
            _("NIK pengurus tidak sah: %(error)s (Permendagri 19/2018)") % {"error": message}
            for message in error.messages
        ]
    if not errors and organisation.board_members.filter(nik=nik).exists():
        errors["nik"] = _("NIK %(nik)s sudah tercatat sebagai pengurus lembaga ini.") % {"nik": nik}
    if (
        not errors
        and role in (BoardRole.CHAIR, BoardRole.SECRETARY, BoardRole.TREASURER)
        and organisation.board_members.filter(role=role).exists()
    ):
        errors["role"] = _("Jabatan %(role)s sudah terisi; hapus dulu pengurus lama.") % {
            "role": BoardRole(role).label
        }
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        member = BoardMember.objects.create(
            organisation=organisation,
            role=role,
            role_title=role_title.strip(),
            nik=nik,
            full_name=full_name.strip(),
            phone=phone.strip(),
        )
        record(
            "grants.board_member_added",
            actor=actor,
            obj=organisation,
            data={"member_id": member.pk, "role": role},
        )
    return member


def remove_board_member(*, actor, member: BoardMember) -> None:
    organisation = member.organisation
    _refuse_unless_representative(actor, organisation)
    _refuse_unless_editable_organisation(organisation)
    with transaction.atomic():
        record(
            "grants.board_member_removed",
            actor=actor,
            obj=organisation,
            data={"member_id": member.pk, "role": member.role},
        )
        member.delete()


def set_bank_account(
    *, actor, organisation: Organisation, bank_name: str, account_number: str, holder_name: str
) -> BankAccount:
    """Record the organisation's account; the holder must be the organisation itself (LS only to it)."""
    _refuse_unless_representative(actor, organisation)
    number = _clean_digits(account_number)
    errors = {}
    if not (bank_name or "").strip():
        errors["bank_name"] = _("Isi nama bank.")
    if not number.isdigit() or not 6 <= len(number) <= 20:
        errors["account_number"] = _("Nomor rekening harus 6 sampai 20 digit angka.")
    refusal = rules.check_bank_holder(
        holder_name, organisation_name=organisation.name, acronym=organisation.acronym
    )
    if refusal:
        errors["holder_name"] = str(refusal)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        BankAccount.objects.filter(organisation=organisation, is_active=True).update(is_active=False)
        account = BankAccount.objects.create(
            organisation=organisation,
            bank_name=bank_name.strip(),
            account_number=number,
            holder_name=holder_name.strip(),
        )
        record(
            "grants.bank_account_set",
            actor=actor,
            obj=organisation,
            data={"account_id": account.pk, "bank": account.bank_name, "last4": number[-4:]},
        )
    return account


def verify_bank_account(*, actor, account: BankAccount) -> BankAccount:
    """An organisation verifier confirms the account exists in the organisation's name."""
    from praja.modules.grants.transitions import not_party_to_organisation

    _require(actor, VERIFY_ORGANISATIONS)
    conflict = not_party_to_organisation(account.organisation, actor=actor, data={})
    if conflict:
        raise PermissionDenied(str(conflict))
    refusal = rules.check_bank_holder(
        account.holder_name, organisation_name=account.organisation.name, acronym=account.organisation.acronym
    )
    if refusal:
        raise ValidationError({"holder_name": str(refusal)})
    with transaction.atomic():
        account.is_verified = True
        account.verified_at = timezone.now()
        account.verified_by = actor
        account.save(update_fields=["is_verified", "verified_at", "verified_by"])
        record(
            "grants.bank_account_verified",
            actor=actor,
            obj=account.organisation,
            data={"account_id": account.pk},
        )
    return account


def upload_organisation_document(
    *, actor, organisation: Organisation, code: str, uploaded_file
) -> OrganisationDocument:
    _refuse_unless_representative(actor, organisation)
    if code not in ORGANISATION_DOCUMENT_CODES:
        raise ValidationError({"code": _("Jenis dokumen lembaga tidak dikenal: %(code)s.") % {"code": code}})
    stored = store_upload(
        actor=actor,
        uploaded_file=uploaded_file,
        allowed_types=DOCUMENT_TYPES,
        case=organisation,
        purpose=f"grants:{code}",
    )
    with transaction.atomic():
        OrganisationDocument.objects.filter(organisation=organisation, code=code, is_current=True).update(
            is_current=False
        )
        document = OrganisationDocument.objects.create(
            organisation=organisation, code=code, stored_file=stored, uploaded_by=actor
        )
        record(
            "grants.organisation_document_uploaded",
            actor=actor,
            obj=organisation,
            data={"code": code, "file_id": stored.pk, "sha256": stored.sha256},
        )
    return document


def submit_organisation(*, actor, organisation: Organisation, request=None) -> Organisation:
    transition(organisation, "submit", actor=actor, request=request, updates={"submitted_at": timezone.now()})
    return organisation


def return_organisation(*, actor, organisation: Organisation, reason: str, request=None) -> Organisation:
    transition(
        organisation, "return_for_correction", actor=actor, reason=(reason or "").strip(), request=request
    )
    return organisation


def verify_organisation(
    *, actor, organisation: Organisation, exemption: FundingExemption | None = None, request=None
) -> Organisation:
    """Verify the organisation's legal data (and, optionally, its annual-funding exemption)."""
    transition(
        organisation,
        "verify",
        actor=actor,
        request=request,
        updates={"verified_at": timezone.now(), "verified_by": actor, "exemption": exemption},
        data={"exemption": exemption.code if exemption else None},
    )
    return organisation


def reject_organisation(*, actor, organisation: Organisation, reason: str, request=None) -> Organisation:
    reason = (reason or "").strip()
    transition(
        organisation,
        "reject",
        actor=actor,
        reason=reason,
        request=request,
        updates={"rejection_reason": reason},
    )
    return organisation


def suspend_organisation(
    *, organisation: Organisation, reason: str, legal_basis: str, actor=None, request=None
) -> bool:
    """Suspend a verified organisation (sanction): excluded from new grants until reinstated.

    actor None is the system (G3's overdue-LPJ job); a person needs grants.sanction_organisations.
    Returns False (and changes nothing) when the organisation is not verified.
    """
    if organisation.status != OS.VERIFIED:
        return False
    reason = (reason or "").strip()
    legal_basis = (legal_basis or "").strip()
    if not legal_basis:
        raise ValidationError({"legal_basis": _("Sebutkan dasar hukum sanksi.")})
    transition(
        organisation,
        "suspend" if actor is not None else "suspend_automatically",
        actor=actor,
        reason=reason,
        request=request,
        updates={
            "suspended_at": timezone.now(),
            "suspension_reason": reason,
            "suspension_legal_basis": legal_basis[:300],
        },
        data={"legal_basis": legal_basis[:300]},
    )
    return True


def reinstate_organisation(*, organisation: Organisation, reason: str, actor=None, request=None) -> bool:
    """Lift the sanction (LPJ accepted, or decided by a person with grants.sanction_organisations)."""
    if organisation.status != OS.SUSPENDED:
        return False
    transition(
        organisation,
        "reinstate" if actor is not None else "reinstate_automatically",
        actor=actor,
        reason=(reason or "").strip(),
        request=request,
        updates={"suspended_at": None, "suspension_reason": "", "suspension_legal_basis": ""},
    )
    return True


lift_organisation_suspension = reinstate_organisation


def ensure_builtin_exemptions() -> list[FundingExemption]:
    """Create KONI, PMI, Pramuka and KORPRI for the active tenant when missing."""
    rows = []
    for code, name, legal_basis in rules.BUILTIN_EXEMPTIONS:
        row, _created = FundingExemption.objects.get_or_create(
            code=code, defaults={"name": name, "legal_basis": legal_basis, "is_builtin": True}
        )
        rows.append(row)
    return rows


def add_exemption(*, actor, code: str, name: str, legal_basis: str) -> FundingExemption:
    """A tenant adds a body a law obliges it to fund yearly; the legal basis is mandatory."""
    _require_programme_manager(actor)
    errors = {}
    if not re.fullmatch(r"[a-z0-9_-]{2,40}", code or ""):
        errors["code"] = _("Kode 2-40 huruf kecil, angka, - atau _.")
    if not (name or "").strip():
        errors["name"] = _("Isi nama lembaga.")
    if not (legal_basis or "").strip():
        errors["legal_basis"] = _(
            "Pengecualian dari larangan hibah terus-menerus hanya dengan "
            "dasar undang-undang; isi dasar hukumnya."
        )
    if not errors and FundingExemption.objects.filter(code=code).exists():
        errors["code"] = _("Kode %(code)s sudah ada.") % {"code": code}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        row = FundingExemption.objects.create(code=code, name=name.strip(), legal_basis=legal_basis.strip())
        record(
            "grants.exemption_added",
            actor=actor,
            obj=row,
            data={"code": code, "legal_basis": row.legal_basis},
        )
    return row


def set_organisation_exemption(
    *, actor, organisation: Organisation, exemption: FundingExemption | None
) -> Organisation:
    from praja.modules.grants.transitions import not_party_to_organisation

    _require(actor, VERIFY_ORGANISATIONS)
    conflict = not_party_to_organisation(organisation, actor=actor, data={})
    if conflict:
        raise PermissionDenied(str(conflict))
    with transaction.atomic():
        organisation.exemption = exemption
        organisation.save(update_fields=["exemption", "updated_at"])
        record(
            "grants.organisation_exemption_set",
            actor=actor,
            obj=organisation,
            data={"exemption": exemption.code if exemption else None},
        )
    return organisation


def _require_programme_manager(actor) -> None:
    from praja.modules.grants.selectors import can_manage_programmes

    if not can_manage_programmes(actor):
        raise PermissionDenied(_("Hanya pengelola hibah atau admin daerah yang dapat mengelola program."))
