"""Demo data of the grants module for Kota Bandung: a 2027 hibah and a bansos programme, a few
organisations (KONI among them, exempt from "not every year"), and proposals at several stages,
moved there through the real actions by the demo officials (one login per grants role)."""

from __future__ import annotations

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from praja.core.accounts.models import OrgUnit, RoleGrant, User
from praja.modules.grants import actions, rules
from praja.modules.grants.models import FundingExemption, Organisation, Programme

DEMO_TENANT_CODE = "32.73"
HIBAH_CODE = "hibah-kemasyarakatan"
BANSOS_CODE = "bansos-warga-rentan"


def _pdf(name: str) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 40), (255, 255, 255)).save(buffer, format="PDF")
    return SimpleUploadedFile(name, buffer.getvalue(), "application/pdf")


def _role_user(role: str) -> User | None:
    grant = (
        RoleGrant.objects.filter(role=role, revoked_at__isnull=True)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return grant.user if grant else None


def _citizens() -> list[User]:
    """Demo citizens of the active tenant with a NIK (the citizen login first)."""
    from praja.core.tenancy.context import require_current_tenant

    tenant = require_current_tenant()
    people = list(
        User.objects.filter(home_tenant=tenant, nik__isnull=False, nip__isnull=True, role_grants__isnull=True)
        .order_by("email")
        .distinct()
    )
    people.sort(key=lambda user: not user.email.startswith("citizen@"))
    return people


ORGANISATIONS = [
    {
        "name": "Komite Olahraga Nasional Indonesia Kota Bandung",
        "acronym": "KONI Kota Bandung",
        "kind": "ormas",
        "address": "Jl. Jakarta No. 18, Bandung",
        "exemption": "koni",
        "title": "Pembinaan atlet Porprov Jawa Barat 2027",
        "amount": 750_000_000,
        "rab": [
            ("Pemusatan latihan atlet", "12", "bulan", "45000000"),
            ("Peralatan latihan", "1", "paket", "200000000"),
        ],
        "stage": "tapd_approved",
    },
    {
        "name": "Yayasan Pendidikan Braga",
        "acronym": "",
        "kind": "yayasan",
        "address": "Jl. Braga No. 21, Bandung",
        "title": "Renovasi ruang belajar PAUD",
        "amount": 150_000_000,
        "rab": [("Bahan bangunan", "1", "paket", "90000000"), ("Upah tukang", "60", "hari-orang", "250000")],
        "stage": "submitted",
    },
    {
        "name": "Perkumpulan Seni Sunda Sukasari",
        "acronym": "",
        "kind": "perkumpulan",
        "address": "Jl. Sarijadi No. 5, Bandung",
        "title": "Pelatihan karawitan bagi remaja",
        "amount": 60_000_000,
        "rab": [("Honor pelatih", "24", "sesi", "1500000"), ("Sewa gamelan", "6", "bulan", "3500000")],
        "stage": "evaluation",
    },
    {
        "name": "Karang Taruna Kelurahan Sukarasa",
        "acronym": "",
        "kind": "kelompok",
        "address": "Jl. Gegerkalong Hilir No. 40, Bandung",
        "title": "Bank sampah kelurahan",
        "amount": 45_000_000,
        "rab": [
            ("Timbangan dan wadah", "1", "paket", "15000000"),
            ("Pelatihan pengelola", "3", "kegiatan", "5000000"),
        ],
        "stage": "returned",
    },
]


def _programmes(now) -> tuple[Programme, Programme]:
    year = timezone.localdate(now).year + 1
    window = {
        "opens_at": now - datetime.timedelta(days=60),
        "closes_at": now + datetime.timedelta(days=120),
    }
    hibah = Programme.objects.create(
        code=HIBAH_CODE,
        name=f"Hibah Lembaga Kemasyarakatan {year}",
        description="Hibah uang kepada lembaga kemasyarakatan berbadan hukum di Kota Bandung (Sabilulungan).",
        budget_year=year,
        kind="hibah",
        envelope=2_500_000_000,
        budget_line_code="5.1.05.05.01.0001",
        max_amount_per_proposal=1_000_000_000,
        eligibility_rules=dict(rules.DEFAULT_HIBAH_RULES),
        required_documents=[dict(item) for item in rules.DEFAULT_REQUIRED_DOCUMENTS],
        lpj_deadline=rules.default_lpj_deadline(year),
        is_published=True,
        **window,
    )
    bansos = Programme.objects.create(
        code=BANSOS_CODE,
        name=f"Bantuan Sosial Warga Rentan {year}",
        description="Bantuan sosial tunai terencana bagi keluarga rentan yang terdaftar dalam DTSEN.",
        budget_year=year,
        kind="bansos",
        envelope=600_000_000,
        budget_line_code="5.1.06.01.01.0001",
        max_amount_per_proposal=3_000_000,
        eligibility_rules=dict(rules.DEFAULT_BANSOS_RULES),
        required_documents=[dict(item) for item in rules.DEFAULT_BANSOS_DOCUMENTS],
        social_data_source="dtsen",
        lpj_deadline=rules.default_lpj_deadline(year),
        is_published=True,
        **window,
    )
    return hibah, bansos


def _organisation(spec: dict, representative: User, board: list[User], verifier: User) -> Organisation:
    from praja.core.reference.models import Area
    from praja.core.workflow.registry import allow_status_assignment

    area = (
        Area.objects.filter(code__startswith=DEMO_TENANT_CODE + ".", level="village").order_by("code").first()
    )
    with allow_status_assignment():
        organisation = Organisation.objects.create(
            name=spec["name"],
            acronym=spec["acronym"],
            kind=spec["kind"],
            deed_number="15",
            deed_date=datetime.date(2012, 5, 14),
            kemenkumham_sk_number="AHU-0004512.AH.01.07.Tahun 2012",
            kemenkumham_sk_date=datetime.date(2012, 7, 2),
            npwp="013000666091000",
            domicile_letter_number="470/45-Kel/2026",
            registration_number="220/112-Kesbangpol/2013",
            registered_on=datetime.date(2013, 2, 1),
            has_permanent_secretariat=True,
            address=spec["address"],
            area=area,
            phone="0224231234",
            registered_by=representative,
            status="verified",
            verified_at=timezone.now(),
            verified_by=verifier,
            exemption=FundingExemption.objects.filter(code=spec.get("exemption") or "-").first(),
        )
    organisation.representatives.add(representative)
    roles = ("chair", "secretary", "treasurer")
    for role, person in zip(roles, [representative, *board], strict=False):
        organisation.board_members.create(role=role, nik=person.nik, full_name=person.full_name)
    account = organisation.bank_accounts.create(
        bank_name="Bank BJB", account_number=f"00{organisation.pk:04d}7788990", holder_name=organisation.name
    )
    account.is_verified, account.verified_by, account.verified_at = True, verifier, timezone.now()
    account.save(update_fields=["is_verified", "verified_by", "verified_at"])
    return organisation


def _advance(proposal, stage: str, officials: dict, office: OrgUnit | None) -> None:
    """Move a submitted proposal to `stage` through the real actions, by the demo officials."""
    from praja.modules.grants.selectors import applicable_documents_for

    order = ["submitted", "complete", "routing", "evaluation", "recommended", "verified", "tapd_approved"]
    if stage == "returned":
        actions.return_proposal(
            actor=officials["tu"],
            proposal=proposal,
            missing_codes=["npwp"],
            reason="Salinan NPWP lembaga belum ada.",
        )
        return
    steps = order[1 : order.index(stage) + 1]
    checklist = {item["code"]: True for item in applicable_documents_for(proposal)}
    for step in steps:
        if step == "complete":
            actions.check_completeness(actor=officials["tu"], proposal=proposal, checklist=checklist)
        elif step == "routing":
            actions.review_proposal(
                actor=officials["head"], proposal=proposal, proceed=True, remarks="Lanjutkan."
            )
        elif step == "evaluation":
            actions.route_proposal(actor=officials["committee"], proposal=proposal, org_unit=office)
        elif step == "recommended":
            actions.evaluate_proposal(
                actor=officials["evaluator"],
                proposal=proposal,
                recommend=True,
                amount=proposal.amount_requested,
                field_check_date=timezone.localdate(),
                checklist={code: True for code, _label in rules.EVALUATION_CHECKLIST},
                remarks="Sekretariat dan kegiatan ditinjau; layak.",
            )
        elif step == "verified":
            actions.verify_proposal_amount(
                actor=officials["committee"],
                proposal=proposal,
                proceed=True,
                amount=proposal.recommended_amount,
            )
        elif step == "tapd_approved":
            actions.consider_at_tapd(
                actor=officials["tapd"],
                proposal=proposal,
                budgeted=True,
                amount=proposal.verified_amount,
                remarks="Sesuai kapasitas fiskal.",
                otp_verified=True,
            )


def load_demo(tenant) -> int:
    """Manifest hook of `praja demo` (the active tenant is `tenant`); Bandung only, idempotent."""
    if tenant.code != DEMO_TENANT_CODE or Programme.objects.filter(code=HIBAH_CODE).exists():
        return 0
    officials = {
        key: _role_user(role)
        for key, role in (
            ("tu", "grants_tu"),
            ("head", "grants_head"),
            ("committee", "grants_committee"),
            ("evaluator", "grants_evaluator"),
            ("tapd", "grants_tapd"),
            ("verifier", "grants_org_verifier"),
            ("admin", "grants_admin"),
        )
    }
    citizens = _citizens()
    if any(user is None for user in officials.values()) or len(citizens) < len(ORGANISATIONS) * 3:
        return 0
    actions.ensure_builtin_exemptions()
    now = timezone.now()
    hibah, bansos = _programmes(now)
    office = (
        OrgUnit.objects.filter(code="1.06").first() or OrgUnit.objects.filter(kind="perangkat_daerah").first()
    )
    count = 2
    for index, spec in enumerate(ORGANISATIONS):
        people = citizens[index * 3 : index * 3 + 3]
        organisation = _organisation(spec, people[0], people[1:], officials["verifier"])
        proposal = actions.start_proposal(
            actor=people[0],
            programme=hibah,
            organisation=organisation,
            title=spec["title"],
            purpose=f"{spec['title']} untuk warga Kota Bandung.",
            start_date=datetime.date(hibah.budget_year, 3, 1),
            end_date=datetime.date(hibah.budget_year, 10, 31),
            amount_requested=spec["amount"],
        )
        actions.set_rab_lines(
            actor=people[0],
            proposal=proposal,
            lines=[{"description": d, "volume": v, "unit": u, "unit_price": p} for d, v, u, p in spec["rab"]],
        )
        skip = {"npwp"} if spec["stage"] == "returned" else set()
        from praja.modules.grants.selectors import applicable_documents_for

        for item in applicable_documents_for(proposal):
            if item["code"] not in skip:
                actions.upload_proposal_document(
                    actor=people[0],
                    proposal=proposal,
                    code=item["code"],
                    uploaded_file=_pdf(f"{item['code']}.pdf"),
                )
        actions.submit_proposal(actor=people[0], proposal=proposal)
        _advance(proposal, spec["stage"], officials, office)
        count += 2
    for number, (name, reference) in enumerate(
        (
            ("Euis Komariah", "DTSEN-3273-0001"),
            ("Ujang Saepudin", "DTSEN-3273-0002"),
            ("Nining Kurniasih", ""),
        )
    ):
        actions.register_bansos_case(
            actor=officials["admin"],
            programme=bansos,
            recipient_name=name,
            recipient_address=f"Jl. Sukarasa Gg. {number + 1}, Bandung",
            amount=2_400_000,
            social_risk="Keluarga rentan: kepala keluarga kehilangan pekerjaan.",
            social_data_source="dtsen" if reference else "",
            social_data_reference=reference,
        )
        count += 1
    return count
