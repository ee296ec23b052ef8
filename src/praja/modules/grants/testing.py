"""Test helpers of the grants module and its isolation factories (imported by the walker).

Files: `pdf_upload()`, `image_upload()`. Builders (active tenant): `make_programme(...)`,
`make_organisation(representative, ...)` (with board, bank account; verified by default),
`draft_proposal(...)`, `place_proposal(...)` (a proposal already in a status, written as fixture data).
"""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from praja.core.testing.isolation import register_isolation_factory

# Kelurahan Sukarasa, Kota Bandung (32.73).
BANDUNG_VILLAGE = "32.73.01.1001"
# Valid NIKs for board members (Sumur Bandung, 1980s births).
BOARD_NIKS = {
    "chair": "3273011505800001",
    "secretary": "3273015206850002",
    "treasurer": "3273012003820003",
}
# A valid 15-digit NPWP (python-stdnum's check digit).
NPWP = "013000666091000"


def pdf_bytes() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (255, 255, 255)).save(buffer, format="PDF")
    return buffer.getvalue()


def image_bytes(fmt: str = "JPEG", colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (24, 16), colour).save(buffer, format=fmt)
    return buffer.getvalue()


def pdf_upload(name: str = "dokumen.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), "application/pdf")


def image_upload(name: str = "foto.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, image_bytes(), "image/jpeg")


def make_programme(code: str = "hibah-2027", *, kind: str = "hibah", **overrides):
    """A published programme of the active tenant whose proposal window is open now."""
    from praja.modules.grants import rules
    from praja.modules.grants.models import Programme

    existing = Programme.objects.filter(code=code).first()
    if existing is not None:
        return existing
    now = timezone.now()
    values = {
        "code": code,
        "name": "Hibah Lembaga Kemasyarakatan 2027" if kind == "hibah" else "Bansos Warga Rentan 2027",
        "budget_year": 2027,
        "kind": kind,
        "envelope": 500_000_000,
        "budget_line_code": "5.1.05.05.01.0001" if kind == "hibah" else "5.1.06.01.01.0001",
        "eligibility_rules": dict(
            rules.DEFAULT_HIBAH_RULES if kind == "hibah" else rules.DEFAULT_BANSOS_RULES
        ),
        "required_documents": [
            dict(item)
            for item in (
                rules.DEFAULT_REQUIRED_DOCUMENTS if kind == "hibah" else rules.DEFAULT_BANSOS_DOCUMENTS
            )
        ],
        "social_data_source": "" if kind == "hibah" else "dtsen",
        "opens_at": now - datetime.timedelta(days=10),
        "closes_at": now + datetime.timedelta(days=30),
        "lpj_deadline": rules.default_lpj_deadline(2027),
        "is_published": True,
    }
    values.update(overrides)
    return Programme.objects.create(**values)


def make_organisation(
    representative,
    *,
    name: str = "Yayasan Sabilulungan Braga",
    verified: bool = True,
    niks: dict | None = None,
    **overrides,
):
    """An organisation represented by `representative`, with chair/secretary/treasurer and an account.

    `verified=True` writes the verified status directly (fixture data, not the workflow)."""
    from praja.core.reference.models import Area
    from praja.core.workflow.registry import allow_status_assignment
    from praja.modules.grants.models import BankAccount, BoardMember, Organisation

    niks = BOARD_NIKS if niks is None else niks
    values = {
        "name": name,
        "acronym": "",
        "kind": "yayasan",
        "deed_number": "12",
        "deed_date": datetime.date(2015, 3, 2),
        "kemenkumham_sk_number": "AHU-0012345.AH.01.04.Tahun 2015",
        "kemenkumham_sk_date": datetime.date(2015, 4, 1),
        "npwp": NPWP,
        "domicile_letter_number": "470/12-Braga/2026",
        "registration_number": "220/45-Kesbangpol/2016",
        "registered_on": datetime.date(2016, 6, 1),
        "has_permanent_secretariat": True,
        "address": "Jl. Braga No. 10, Bandung",
        "area": Area.objects.filter(code=BANDUNG_VILLAGE).first(),
        "phone": "0224201234",
        "email": "sekretariat@yayasan.contoh.id",
        "registered_by": representative,
    }
    values.update(overrides)
    with allow_status_assignment():
        organisation = Organisation.objects.create(status="verified" if verified else "draft", **values)
    organisation.representatives.add(representative)
    names = {"chair": "Asep Sunandar", "secretary": "Siti Rohmah", "treasurer": "Dadang Hermawan"}
    for role, nik in niks.items():
        BoardMember.objects.create(
            organisation=organisation, role=role, nik=nik, full_name=names.get(role, role)
        )
    BankAccount.objects.create(
        organisation=organisation,
        bank_name="Bank BJB",
        account_number="0012345678901",
        holder_name=organisation.name,
        is_verified=verified,
    )
    return organisation


RAB = [
    {"description": "Sewa tenda dan kursi", "volume": "2", "unit": "paket", "unit_price": "5000000"},
    {"description": "Konsumsi peserta", "volume": "200", "unit": "kotak", "unit_price": "25000"},
]


def draft_proposal(applicant, programme, organisation=None, *, amount: int = 20_000_000, rab=None, **values):
    """A draft proposal with a RAB totalling 15,000,000 (by default) through the actions."""
    from praja.modules.grants import actions

    proposal = actions.start_proposal(
        actor=applicant,
        programme=programme,
        organisation=organisation,
        title=values.pop("title", "Festival Seni Braga"),
        purpose=values.pop("purpose", "Pelestarian seni tradisi Sunda bagi pemuda kelurahan Braga."),
        start_date=values.pop("start_date", datetime.date(2027, 3, 1)),
        end_date=values.pop("end_date", datetime.date(2027, 3, 31)),
        amount_requested=amount,
        **values,
    )
    actions.set_rab_lines(actor=applicant, proposal=proposal, lines=rab if rab is not None else RAB)
    return proposal


def upload_all_documents(applicant, proposal, *, skip=()):
    from praja.modules.grants import actions
    from praja.modules.grants.selectors import applicable_documents_for

    for item in applicable_documents_for(proposal):
        if item["code"] in skip:
            continue
        actions.upload_proposal_document(
            actor=applicant,
            proposal=proposal,
            code=item["code"],
            uploaded_file=pdf_upload(f"{item['code']}.pdf"),
        )


def full_checklist(proposal) -> dict:
    from praja.modules.grants.selectors import applicable_documents_for

    return {item["code"]: True for item in applicable_documents_for(proposal)}


def evaluation_checklist() -> dict:
    from praja.modules.grants import rules

    return {code: True for code, _label in rules.EVALUATION_CHECKLIST}


def place_proposal(applicant, programme, organisation, status: str, *, amount: int = 20_000_000, **fields):
    """A proposal already in `status` with the numbers that status implies (fixture data)."""
    from praja.core.workflow.registry import allow_status_assignment
    from praja.modules.grants.models import Proposal

    proposal = draft_proposal(applicant, programme, organisation, amount=amount)
    order = [
        "draft",
        "submitted",
        "complete",
        "routing",
        "evaluation",
        "recommended",
        "verified",
        "tapd_approved",
        "in_decree",
        "nphd_signed",
        "disbursing",
        "in_progress",
    ]
    index = order.index(status) if status in order else len(order)
    updates = {"status": status, "number": f"HBH-{programme.budget_year}-{proposal.pk:06d}"}
    if index >= order.index("recommended"):
        updates["recommended_amount"] = 15_000_000
    if index >= order.index("verified"):
        updates["verified_amount"] = 15_000_000
    if index >= order.index("tapd_approved"):
        updates["tapd_amount"] = 15_000_000
    updates.update(fields)
    with allow_status_assignment():
        Proposal.objects.filter(pk=proposal.pk).update(**updates)
    proposal.refresh_from_db()
    return proposal


# --- Isolation factories ---------------------------------------------------------------------------


def _person(tenant, marker, make_user):
    return make_user(tenant, marker, email_verified_at=timezone.now())


@register_isolation_factory("grants.Organisation")
def _organisation(tenant, marker, make_user):
    from praja.modules.grants.models import Organisation

    existing = Organisation.objects.first()
    if existing is not None:
        return existing
    suffix = "7" if tenant.code == "32.73" else "8"
    niks = {
        "chair": f"327301150580000{suffix}",
        "secretary": f"327301520685000{suffix}",
        "treasurer": f"327301200382000{suffix}",
    }
    return make_organisation(_person(tenant, marker, make_user), name=f"Yayasan {marker}", niks=niks)


@register_isolation_factory("grants.Programme")
def _programme(tenant, marker, make_user):
    return make_programme(name=f"Hibah {marker}", description=f"Program {marker}")


@register_isolation_factory("grants.Proposal")
def _proposal(tenant, marker, make_user):
    from praja.modules.grants.models import Proposal

    existing = Proposal.objects.exclude(number=None).first()
    if existing is not None:
        return existing
    organisation = _organisation(tenant, marker, make_user)
    return place_proposal(
        organisation.registered_by,
        _programme(tenant, marker, make_user),
        organisation,
        "in_progress",
        title=f"Kegiatan {marker}",
    )


@register_isolation_factory("grants.RabLine")
def _rab_lines(tenant, marker, make_user):
    return list(_proposal(tenant, marker, make_user).rab_lines.all())


@register_isolation_factory("grants.BoardMember")
def _board(tenant, marker, make_user):
    return list(_organisation(tenant, marker, make_user).board_members.all())


@register_isolation_factory("grants.BankAccount")
def _accounts(tenant, marker, make_user):
    return list(_organisation(tenant, marker, make_user).bank_accounts.all())


@register_isolation_factory("grants.ProposalDocument")
def _documents(tenant, marker, make_user):
    from praja.core.documents.actions import store_upload
    from praja.modules.grants.models import ProposalDocument

    proposal = _proposal(tenant, marker, make_user)
    stored = store_upload(actor=proposal.applicant, uploaded_file=pdf_upload(f"{marker}.pdf"), case=proposal)
    return ProposalDocument.objects.create(
        proposal=proposal, code="proposal", stored_file=stored, uploaded_by=proposal.applicant
    )


@register_isolation_factory("grants.ProposalPhoto")
def _photos(tenant, marker, make_user):
    from praja.core.documents.actions import store_upload
    from praja.modules.grants.models import ProposalPhoto

    proposal = _proposal(tenant, marker, make_user)
    stored = store_upload(actor=proposal.applicant, uploaded_file=image_upload(), case=proposal)
    return ProposalPhoto.objects.create(proposal=proposal, stored_file=stored, caption=f"Foto {marker}")


@register_isolation_factory("grants.OrganisationDocument")
def _organisation_documents(tenant, marker, make_user):
    from praja.core.documents.actions import store_upload
    from praja.modules.grants.models import OrganisationDocument

    organisation = _organisation(tenant, marker, make_user)
    stored = store_upload(actor=organisation.registered_by, uploaded_file=pdf_upload(f"{marker}.pdf"))
    return OrganisationDocument.objects.create(
        organisation=organisation,
        code="akta_notaris",
        stored_file=stored,
        uploaded_by=organisation.registered_by,
    )


@register_isolation_factory("grants.StageReview")
def _reviews(tenant, marker, make_user):
    from praja.modules.grants.models import StageReview

    proposal = _proposal(tenant, marker, make_user)
    return StageReview.objects.create(
        proposal=proposal,
        stage="review",
        action="lanjut",
        actor=_person(tenant, marker, make_user),
        remarks=f"Catatan {marker}",
    )


@register_isolation_factory("grants.Decree")
def _decree(tenant, marker, make_user):
    from praja.modules.grants.models import Decree, DecreeEntry

    existing = Decree.objects.first()
    if existing is not None:
        return existing
    proposal = _proposal(tenant, marker, make_user)
    decree = Decree.objects.create(
        programme=proposal.programme,
        title=f"DNC {marker}",
        total_amount=15_000_000,
        created_by=_person(tenant, marker, make_user),
        number=f"001/DNC-PBH/{marker}",
        approved_at=timezone.now(),
    )
    DecreeEntry.objects.create(
        decree=decree,
        proposal=proposal,
        recipient_name=f"Penerima {marker}",
        amount=15_000_000,
        purpose=f"Peruntukan {marker}",
    )
    return decree


@register_isolation_factory("grants.DecreeEntry")
def _decree_entries(tenant, marker, make_user):
    return list(_decree(tenant, marker, make_user).entries.all())


@register_isolation_factory("grants.Nphd")
def _nphd(tenant, marker, make_user):
    from praja.modules.grants.models import Nphd

    proposal = _proposal(tenant, marker, make_user)
    existing = Nphd.objects.filter(proposal=proposal).first()
    if existing is not None:
        return existing
    return Nphd.objects.create(
        proposal=proposal,
        number=f"001/NPHD/{marker}",
        amount=15_000_000,
        rights_and_obligations=f"Hak {marker}",
        disbursement_procedure="LS",
        reporting_procedure="LPJ",
        lpj_deadline=datetime.date(2028, 1, 10),
        prepared_by=_person(tenant, marker, make_user),
        recipient_signed_at=timezone.now(),
        official_signed_at=timezone.now(),
    )


@register_isolation_factory("grants.BansosCase")
def _bansos(tenant, marker, make_user):
    from praja.modules.grants.models import BansosCase

    programme = make_programme("bansos-2027", kind="bansos")
    return BansosCase.objects.create(
        number=f"BSS-{marker}",
        programme=programme,
        recipient_name=f"Warga {marker}",
        amount=1_200_000,
        social_data_source="dtsen",
        social_data_reference=f"D{marker}",
    )
