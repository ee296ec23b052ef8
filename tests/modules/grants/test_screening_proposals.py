"""Screening of grant proposals: shared board members, bank accounts, contacts, documents, prices, years."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile

from praja.core.workflow.registry import allow_status_assignment
from praja.modules.grants.models import FundingExemption, Proposal
from praja.modules.grants.screening import actions, selectors
from praja.modules.grants.screening.models import Beneficiary, Flag, FlagKind, StandardUnitPrice
from praja.modules.grants.testing import draft_proposal, make_organisation, make_programme, place_proposal

pytestmark = pytest.mark.django_db

OTHER_NIKS = {"chair": "3273011808750004", "secretary": "3273015905880005", "treasurer": "3273012507790006"}


_PDFS: dict = {}


def pdf_upload(colour, name="dokumen.pdf"):
    """A small PDF per colour, built once (PIL stamps the creation time, so rebuilding changes the bytes)."""
    from PIL import Image

    if colour not in _PDFS:
        buffer = io.BytesIO()
        Image.new("RGB", (40, 40), colour).save(buffer, format="PDF")
        _PDFS[colour] = buffer.getvalue()
    return SimpleUploadedFile(name, _PDFS[colour], content_type="application/pdf")


def kinds(flags):
    return sorted(flag.kind for flag in flags)


@pytest.fixture
def world(tenant_a, make_person, in_tenant, document_root):
    first_rep = make_person(tenant_a, full_name="Asep Sunandar", nik="3273011505800001")
    second_rep = make_person(tenant_a, full_name="Ujang Sobari", nik="3273011808750004")
    with in_tenant(tenant_a):
        programme = make_programme()
        first = make_organisation(first_rep)
        second = make_organisation(
            second_rep, name="Perkumpulan Seni Cikapundung", niks=OTHER_NIKS, address="Jl. Cikapundung 7",
            phone="0227001122",
        )  # fmt: skip
        second.bank_accounts.update(account_number="0098765432100")
    return {
        "first_rep": first_rep,
        "second_rep": second_rep,
        "programme": programme,
        "first": first,
        "second": second,
    }


def test_a_clean_proposal_raises_no_flag(tenant_a, world, in_tenant):
    with in_tenant(tenant_a):
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"])
        assert actions.screen_proposal(proposal=proposal, actor=None) == []
        assert Flag.objects.count() == 0


def test_shared_board_member_bank_account_phone_and_address_are_flagged(
    tenant_a, world, make_person, in_tenant
):
    rep = make_person(tenant_a, full_name="Dadang Hermawan", nik="3273012003820003")
    with in_tenant(tenant_a):
        # A "papan nama" organisation: the treasurer of the first, its account, phone and address.
        copy = make_organisation(
            rep, name="Yayasan Braga Lestari",
            niks={"chair": "3273012003820003", "secretary": "3273014406900007", "treasurer": "3273012209910008"},  # noqa: E501
            address="Jl. Braga no 10 Bandung",
        )  # fmt: skip
        copy.bank_accounts.update(account_number="0012-3456-78901")
        proposal = draft_proposal(rep, world["programme"], copy)
        flags = actions.screen_proposal(proposal=proposal, actor=None)
        assert kinds(flags) == [
            "duplicate_address",
            "duplicate_bank_account",
            "duplicate_board_member",
            "duplicate_phone",
        ]
        by_kind = {flag.kind: flag for flag in flags}
        assert by_kind[FlagKind.DUPLICATE_BOARD_MEMBER].explanation == (
            "Pengurus Asep Sunandar (NIK 3273012003820003, Ketua) juga tercatat sebagai pengurus "
            "Yayasan Sabilulungan Braga."
        )
        assert by_kind[FlagKind.DUPLICATE_BOARD_MEMBER].evidence["records"] == [
            f"grants.organisation:{world['first'].pk}"
        ]
        assert by_kind[FlagKind.DUPLICATE_BANK_ACCOUNT].explanation == (
            "Rekening Bank BJB 0012-3456-78901 juga dipakai oleh Yayasan Sabilulungan Braga."
        )
        assert by_kind[FlagKind.DUPLICATE_BANK_ACCOUNT].severity == "high"
        assert by_kind[FlagKind.DUPLICATE_PHONE].explanation == (
            "Nomor telepon lembaga 0224201234 juga dipakai oleh Yayasan Sabilulungan Braga."
        )
        # Screening again (resubmission) does not duplicate anything.
        again = actions.screen_proposal(proposal=proposal, actor=None)
        assert sorted(f.pk for f in again) == sorted(f.pk for f in flags)
        assert Flag.objects.count() == 4
        # The other organisation's own proposal is flagged for the same shared facts, not more.
        assert list(selectors.open_flags_for(world["first"])) == []


def test_bank_holder_name_residual_mismatch(tenant_a, world, in_tenant):
    with in_tenant(tenant_a):
        world["second"].bank_accounts.update(holder_name="Seni Cikapundung")
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"])
        (flag,) = actions.screen_proposal(proposal=proposal, actor=None)
        assert (flag.kind, flag.severity) == (FlagKind.BANK_NAME_MISMATCH, "low")
        world["second"].bank_accounts.update(holder_name="Budi Santoso")
        flags = actions.screen_proposal(proposal=proposal, actor=None)
        assert sorted((f.kind, f.severity) for f in flags) == [
            (FlagKind.BANK_NAME_MISMATCH, "high"),
            (FlagKind.BANK_NAME_MISMATCH, "low"),
        ]
        assert (
            'Nama pemilik rekening "Budi Santoso" tidak sesuai dengan nama lembaga'
            in max(flags, key=lambda f: f.pk).explanation
        )


def test_funded_in_the_previous_year_is_flagged_unless_exempt(tenant_a, world, in_tenant):
    with in_tenant(tenant_a):
        last_year = make_programme("hibah-2026", budget_year=2026, name="Hibah 2026")
        funded = place_proposal(world["second_rep"], last_year, world["second"], "in_decree")
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"])
        (flag,) = actions.screen_proposal(proposal=proposal, actor=None)
        assert flag.kind == FlagKind.FUNDED_PREVIOUS_YEAR
        assert flag.explanation.startswith(
            f"Perkumpulan Seni Cikapundung sudah menerima hibah tahun 2026 ({funded.number}). Hibah tidak "
            "terus-menerus setiap tahun (Permendagri 32/2011"
        )
        assert flag.evidence["records"] == [f"grants.proposal:{funded.pk}"]

        exempt_org = make_organisation(
            world["first_rep"], name="KONI Kota Bandung",
            niks={"chair": "3273011505800001", "secretary": "3273014406900007", "treasurer": "3273012209910008"},  # noqa: E501
            address="Jl. Pajajaran 1", phone="0224200000",
        )  # fmt: skip
        exempt_org.bank_accounts.update(account_number="0077700077700")
        exemption = FundingExemption.objects.filter(code="koni").first() or FundingExemption.objects.create(
            code="koni", name="KONI", legal_basis="UU 3/2005 Pasal 69"
        )
        exempt_org.exemption = exemption
        exempt_org.save(update_fields=["exemption"])
        place_proposal(world["first_rep"], last_year, exempt_org, "in_decree")
        koni_proposal = draft_proposal(world["first_rep"], world["programme"], exempt_org)
        assert FlagKind.FUNDED_PREVIOUS_YEAR not in kinds(
            actions.screen_proposal(proposal=koni_proposal, actor=None)
        )


def test_rab_unit_prices_above_the_standard_price_list(tenant_a, world, in_tenant):
    with in_tenant(tenant_a):
        StandardUnitPrice.objects.create(
            code="SSH-1", description="Sewa tenda dan kursi", unit="paket", price=4_000_000, year=2027
        )
        StandardUnitPrice.objects.create(
            code="SSH-2", description="Konsumsi peserta", unit="kotak", price=25_000, year=2027
        )
        rab = [
            {"description": "Sewa tenda dan kursi", "volume": "2", "unit": "paket", "unit_price": "5000000"},
            {"description": "Konsumsi peserta", "volume": "100", "unit": "kotak", "unit_price": "27500"},
            {"description": "Sound system", "volume": "1", "unit": "paket", "unit_price": "2000000",
             "standard_price_code": "SSH-2"},
        ]  # fmt: skip
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"], rab=rab)
        flags = actions.screen_proposal(proposal=proposal, actor=None)
        prices = sorted((f.evidence["unit_price"], f.evidence["excess_percent"], f.severity) for f in flags)
        # 27,500 is exactly 10 % above 25,000: not flagged (the rule is "more than 10 %").
        assert prices == [(2_000_000, 7900.0, "high"), (5_000_000, 25.0, "high")]
        tent = next(f for f in flags if f.evidence["unit_price"] == 5_000_000)
        assert tent.explanation == (
            'Harga satuan "Sewa tenda dan kursi" Rp5.000.000 per paket, 25.0% di atas standar satuan harga '
            "SSH-1 tahun 2027 (Rp4.000.000; batas 10%)."
        )


def test_the_same_document_in_two_proposals_is_flagged(tenant_a, world, in_tenant):
    from praja.modules.grants import actions as grants_actions

    with in_tenant(tenant_a):
        hibah_2027 = world["programme"]
        code = hibah_2027.required_documents[0]["code"]
        first = draft_proposal(world["first_rep"], hibah_2027, world["first"])
        grants_actions.upload_proposal_document(
            actor=world["first_rep"], proposal=first, code=code, uploaded_file=pdf_upload((1, 2, 3))
        )
        second = draft_proposal(
            world["second_rep"], hibah_2027, world["second"], title="Pentas Tari Cikapundung"
        )
        grants_actions.upload_proposal_document(
            actor=world["second_rep"], proposal=second, code=code, uploaded_file=pdf_upload((9, 9, 9))
        )
        assert actions.screen_proposal(proposal=second, actor=None) == []
        grants_actions.upload_proposal_document(
            actor=world["second_rep"], proposal=second, code=code, uploaded_file=pdf_upload((1, 2, 3))
        )
        (flag,) = actions.screen_proposal(proposal=second, actor=None)
        assert flag.kind == FlagKind.DUPLICATE_DOCUMENT
        assert flag.evidence["records"] == [f"grants.proposal:{first.pk}"]
        assert flag.explanation.startswith(f"Berkas {code} (SHA-256 ")


def test_a_beneficiary_in_two_bansos_proposals_and_a_relative_in_the_same_year(
    tenant_a, make_person, in_tenant, document_root
):
    officer = make_person(tenant_a, roles=["grants_registry_officer"])
    citizen = make_person(tenant_a, full_name="Dewi Lestari", nik="3273015203850002")
    with in_tenant(tenant_a):
        bansos = make_programme("bansos-2027", kind="bansos")
        other = make_programme("bansos-lansia-2027", kind="bansos", name="Bansos Lansia 2027")

        def person(nik, name, birth, sex):
            return actions.register_beneficiary(
                actor=officer, data_source="dtsen", nik=nik, kk_number="3273010101090002", full_name=name,
                birth_date=birth, sex=sex, mother_name="Rohimah", address="Jl. Sukajadi 10", rt="3", rw="4",
                area_code="32.73.02.1001",
            )  # fmt: skip

        dewi = person("3273015203850002", "Dewi Lestari", datetime.date(1985, 3, 12), "P")
        husband = person("3273010607820003", "Budi Santoso", datetime.date(1982, 7, 6), "L")

        def bansos_proposal(programme, beneficiary):
            proposal = draft_proposal(citizen, programme, None, title="Bantuan usaha warung")
            with allow_status_assignment():
                Proposal.objects.filter(pk=proposal.pk).update(beneficiary=beneficiary, status="submitted")
            proposal.refresh_from_db()
            return proposal

        first = bansos_proposal(bansos, dewi)
        assert actions.screen_proposal(proposal=first, actor=None) == []
        second = bansos_proposal(other, dewi)
        flags = actions.screen_proposal(proposal=second, actor=None)
        assert kinds(flags) == [FlagKind.DUPLICATE_NIK]
        assert flags[0].explanation == (
            "Penerima Dewi Lestari (NIK 3273015203850002) juga tercatat pada Bansos Warga Rentan 2027 2027."
        )
        # The beneficiary's aid history carries its own flag (G1's bansos "mark_screened" guard reads it).
        assert [f.kind for f in selectors.open_flags_for(dewi)] == [FlagKind.DUPLICATE_NIK]
        third = bansos_proposal(bansos, husband)
        assert FlagKind.DUPLICATE_KK in kinds(actions.screen_proposal(proposal=third, actor=None))
        assert Beneficiary.objects.count() == 2


def test_a_person_needs_the_screening_permission_to_rescreen(tenant_a, world, make_person, in_tenant):
    clerk = make_person(tenant_a, roles=["official"])
    with in_tenant(tenant_a):
        proposal = draft_proposal(world["second_rep"], world["programme"], world["second"])
        with pytest.raises(PermissionDenied):
            actions.screen_proposal(proposal=proposal, actor=clerk)
