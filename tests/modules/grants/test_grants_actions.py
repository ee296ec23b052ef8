"""The grants actions: eligibility at submission, amount invariants, separation of duties, the decree
within the envelope, the NPHD signed by both parties, sanctions, bansos; nothing changes on refusal."""

from __future__ import annotations

import datetime
import json
import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from praja.core.audit.models import AuditEvent
from praja.core.tenancy.context import use_tenant
from praja.core.workflow.errors import (
    GuardFailed,
    PermissionDenied,
    SecondFactorRequired,
    SeparationOfDutiesViolation,
)
from praja.modules.grants import actions
from praja.modules.grants.models import (
    BankAccount,
    Decree,
    DecreeEntry,
    Nphd,
    Organisation,
    Proposal,
    StageReview,
)
from praja.modules.grants.models import ProposalStatus as S
from praja.modules.grants.testing import (
    draft_proposal,
    evaluation_checklist,
    full_checklist,
    make_organisation,
    place_proposal,
    upload_all_documents,
)

pytestmark = pytest.mark.django_db
PASSWORD = "rahasia-uji-123"


@pytest.fixture
def office(grants_office):
    with use_tenant(grants_office.tenant):
        yield grants_office


def events(office, event_type):
    return [
        json.loads(row.data)
        for row in AuditEvent.objects.filter(tenant=office.tenant, event_type=event_type).order_by("seq")
    ]


def snapshot(proposal):
    fresh = Proposal.objects.get(pk=proposal.pk)
    return (fresh.status, fresh.version, fresh.recommended_amount, fresh.verified_amount, fresh.tapd_amount)


# --- Submission and eligibility -------------------------------------------------------------------------


def test_submission_numbers_the_proposal_and_records_the_event(office):
    proposal = draft_proposal(office.representative, office.programme, office.organisation)
    actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert proposal.status == S.SUBMITTED
    assert proposal.number == f"HBH-2027-{1:06d}"
    assert events(office, "grants.proposal_submitted")[-1]["to"] == "submitted"
    again = actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert again.number == proposal.number and Proposal.objects.count() == 1


def test_submission_outside_the_window_is_refused(office):
    proposal = draft_proposal(office.representative, office.programme, office.organisation)
    office.programme.closes_at = timezone.now() - datetime.timedelta(minutes=1)
    office.programme.opens_at = timezone.now() - datetime.timedelta(days=30)
    office.programme.save()
    with pytest.raises(GuardFailed) as refused:
        actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert "Pengajuan proposal untuk program ini hanya dibuka" in str(refused.value)
    assert snapshot(proposal)[0] == S.DRAFT
    assert Proposal.objects.get(pk=proposal.pk).number is None


def test_board_member_without_a_valid_nik_blocks_submission(office):
    proposal = draft_proposal(office.representative, office.programme, office.organisation)
    office.organisation.board_members.filter(role="treasurer").update(nik="3273013202820003")
    with pytest.raises(GuardFailed) as refused:
        actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert "NIK pengurus Dadang Hermawan tidak sah" in str(refused.value)
    assert "Permendagri 19/2018" in str(refused.value)
    assert snapshot(proposal)[0] == S.DRAFT


def test_add_board_member_refuses_invalid_nik_and_changes_nothing(office, make_person):
    citizen = make_person(office.tenant)
    organisation = make_organisation(citizen, name="Perkumpulan Baru", verified=False, niks={})
    with pytest.raises(ValidationError) as refused:
        actions.add_board_member(
            actor=citizen, organisation=organisation, role="chair", nik="32730115058", full_name="A"
        )
    assert (
        "NIK pengurus tidak sah: NIK harus 16 digit; yang Anda isi 11 digit."
        in refused.value.message_dict["nik"][0]
    )
    assert organisation.board_members.count() == 0


def test_hibah_refused_to_organisation_funded_last_year_unless_exempt(office, make_person):
    from praja.modules.grants.testing import make_programme

    last_year = make_programme("hibah-2026", budget_year=2026, name="Hibah 2026")
    place_proposal(office.representative, last_year, office.organisation, "in_progress")
    proposal = draft_proposal(office.representative, office.programme, office.organisation)
    with pytest.raises(GuardFailed) as refused:
        actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert "sudah menerima hibah pada tahun anggaran sebelumnya" in str(refused.value)
    assert "Permendagri 32/2011 Pasal 4 ayat (4)" in str(refused.value)
    koni = {row.code: row for row in actions.ensure_builtin_exemptions()}["koni"]
    actions.set_organisation_exemption(
        actor=office.verifier, organisation=office.organisation, exemption=koni
    )
    actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert proposal.status == S.SUBMITTED


def test_suspended_organisation_cannot_submit_and_reinstatement_lifts_it(office):
    proposal = draft_proposal(office.representative, office.programme, office.organisation)
    assert actions.suspend_organisation(
        organisation=office.organisation,
        reason="LPJ hibah 2025 tidak diserahkan",
        legal_basis="Perwal 816/2015",
    )
    office.organisation.refresh_from_db()
    assert office.organisation.status == "suspended"
    assert events(office, "grants.organisation_suspended")[-1]["actor"] == "Sistem"
    with pytest.raises(GuardFailed) as refused:
        actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert "LPJ hibah 2025 tidak diserahkan" in str(refused.value)
    assert (
        actions.suspend_organisation(organisation=office.organisation, reason="x", legal_basis="y") is False
    )
    assert actions.reinstate_organisation(organisation=office.organisation, reason="LPJ diterima")
    proposal.organisation.refresh_from_db()
    actions.submit_proposal(actor=office.representative, proposal=proposal)
    assert proposal.status == S.SUBMITTED


def test_bank_account_in_a_board_members_name_is_refused(office):
    with pytest.raises(ValidationError) as refused:
        actions.set_bank_account(
            actor=office.representative,
            organisation=office.organisation,
            bank_name="BRI",
            account_number="1234567890",
            holder_name="Asep Sunandar",
        )
    assert "tidak sama dengan nama lembaga" in refused.value.message_dict["holder_name"][0]
    assert BankAccount.objects.filter(organisation=office.organisation).count() == 1


def test_organisation_workflow_submit_verify(office, make_person):
    citizen = make_person(office.tenant, full_name="Rina")
    organisation = actions.register_organisation(
        actor=citizen, name="Perkumpulan Seni Cibeunying", kind="perkumpulan", address="Jl. Cibeunying 3"
    )
    with pytest.raises(GuardFailed) as refused:
        actions.submit_organisation(actor=citizen, organisation=organisation)
    assert "Susunan pengurus belum lengkap" in str(refused.value)
    assert "Rekening bank atas nama lembaga belum diisi" in str(refused.value)
    for role, nik in (
        ("chair", "3273011505800004"),
        ("secretary", "3273015206850005"),
        ("treasurer", "3273012003820006"),
    ):
        actions.add_board_member(actor=citizen, organisation=organisation, role=role, nik=nik, full_name=role)
    account = actions.set_bank_account(
        actor=citizen,
        organisation=organisation,
        bank_name="BJB",
        account_number="0099887766",
        holder_name="Perkumpulan Seni Cibeunying",
    )
    actions.submit_organisation(actor=citizen, organisation=organisation)
    with pytest.raises(GuardFailed, match="Verifikasi dulu rekening bank"):
        actions.verify_organisation(actor=office.verifier, organisation=organisation)
    actions.verify_bank_account(actor=office.verifier, account=account)
    actions.verify_organisation(actor=office.verifier, organisation=organisation)
    assert Organisation.objects.get(pk=organisation.pk).status == "verified"


# --- Officials: separation of duties -------------------------------------------------------------------


def test_a_representative_or_board_member_may_not_act_as_official(office, make_person):
    proposal = place_proposal(office.representative, office.programme, office.organisation, "submitted")
    board_official = make_person(office.tenant, roles=["grants_tu"], nik="3273015206850002")
    with pytest.raises(GuardFailed) as refused:
        actions.check_completeness(
            actor=board_official, proposal=proposal, checklist=full_checklist(proposal)
        )
    assert "tercatat sebagai pengurus lembaga Yayasan Sabilulungan Braga" in str(refused.value)
    representative_official = make_person(office.tenant, roles=["grants_tu"])
    office.organisation.representatives.add(representative_official)
    with pytest.raises(GuardFailed, match="wakil lembaga"):
        actions.check_completeness(
            actor=representative_official, proposal=proposal, checklist=full_checklist(proposal)
        )
    assert snapshot(proposal)[0] == S.SUBMITTED


def test_the_evaluator_may_not_be_the_tapd_approver(office, make_person, totp_for):
    both = make_person(office.tenant, roles=["grants_evaluator", "grants_tapd"])
    proposal = place_proposal(
        office.representative, office.programme, office.organisation, "evaluation", org_unit=office.dinas
    )
    actions.evaluate_proposal(
        actor=both,
        proposal=proposal,
        recommend=True,
        amount=15_000_000,
        field_check_date=datetime.date(2026, 11, 20),
        checklist=evaluation_checklist(),
    )
    actions.verify_proposal_amount(actor=office.committee, proposal=proposal, proceed=True, amount=15_000_000)
    before = snapshot(proposal)
    with pytest.raises(SeparationOfDutiesViolation):
        actions.consider_at_tapd(
            actor=both, proposal=proposal, budgeted=True, amount=15_000_000, otp_verified=True
        )
    assert snapshot(proposal) == before


def test_evaluator_of_another_office_is_refused(office, make_person):
    from praja.core.accounts.models import OrgUnit

    other = OrgUnit.objects.create(code="1.06", name="Dinas Sosial", kind="perangkat_daerah")
    stranger = make_person(office.tenant, roles=["grants_evaluator"], org_unit=other)
    proposal = place_proposal(
        office.representative, office.programme, office.organisation, "evaluation", org_unit=office.dinas
    )
    with pytest.raises(PermissionDenied):
        actions.evaluate_proposal(
            actor=stranger,
            proposal=proposal,
            recommend=True,
            amount=1,
            field_check_date=datetime.date(2026, 11, 20),
            checklist=evaluation_checklist(),
        )
    assert snapshot(proposal)[0] == S.EVALUATION


def test_tapd_needs_the_second_factor(office):
    proposal = place_proposal(office.representative, office.programme, office.organisation, "verified")
    with pytest.raises(SecondFactorRequired):
        actions.consider_at_tapd(actor=office.tapd, proposal=proposal, budgeted=True, amount=15_000_000)
    assert snapshot(proposal)[0] == S.VERIFIED
    assert events(office, "workflow.second_factor_refused")


# --- Amount invariants -----------------------------------------------------------------------------------


def test_office_recommendation_may_not_exceed_the_request_even_with_a_reason(office):
    proposal = place_proposal(
        office.representative, office.programme, office.organisation, "evaluation", org_unit=office.dinas
    )
    before = snapshot(proposal)
    with pytest.raises(GuardFailed) as refused:
        actions.evaluate_proposal(
            actor=office.evaluator,
            proposal=proposal,
            recommend=True,
            amount=20_000_001,
            field_check_date=datetime.date(2026, 11, 20),
            checklist=evaluation_checklist(),
        )
    assert str(refused.value).startswith("Nilai Rp20.000.001 melebihi nilai yang diajukan Rp20.000.000.")
    assert snapshot(proposal) == before
    assert not StageReview.objects.filter(proposal=proposal).exists()


def test_evaluation_needs_field_check_and_every_checklist_item(office):
    proposal = place_proposal(
        office.representative, office.programme, office.organisation, "evaluation", org_unit=office.dinas
    )
    with pytest.raises(GuardFailed, match="tanggal peninjauan lapangan"):
        actions.evaluate_proposal(
            actor=office.evaluator,
            proposal=proposal,
            recommend=True,
            amount=1,
            checklist=evaluation_checklist(),
        )
    ticks = evaluation_checklist() | {"lembaga_tidak_fiktif": False}
    with pytest.raises(GuardFailed, match="Lembaga tidak fiktif"):
        actions.evaluate_proposal(
            actor=office.evaluator,
            proposal=proposal,
            recommend=True,
            amount=1,
            field_check_date=datetime.date(2026, 11, 20),
            checklist=ticks,
        )
    assert snapshot(proposal)[0] == S.EVALUATION


def test_committee_above_office_needs_a_reason_which_is_stored(office):
    proposal = place_proposal(office.representative, office.programme, office.organisation, "recommended")
    with pytest.raises(GuardFailed, match="tuliskan alasan"):
        actions.verify_proposal_amount(
            actor=office.committee, proposal=proposal, proceed=True, amount=16_000_000
        )
    assert snapshot(proposal)[3] is None
    actions.verify_proposal_amount(
        actor=office.committee,
        proposal=proposal,
        proceed=True,
        amount=16_000_000,
        override_reason="Harga tenda naik sesuai SSH 2027",
    )
    proposal.refresh_from_db()
    assert (proposal.verified_amount, proposal.verified_override_reason) == (
        16_000_000,
        "Harga tenda naik sesuai SSH 2027",
    )
    review = StageReview.objects.get(proposal=proposal, stage="verification")
    assert (review.amount, review.override_reason) == (16_000_000, "Harga tenda naik sesuai SSH 2027")


def test_tapd_at_most_committee_amount_without_reason(office):
    proposal = place_proposal(office.representative, office.programme, office.organisation, "verified")
    with pytest.raises(GuardFailed, match="melebihi rekomendasi Tim Pertimbangan Rp15.000.000"):
        actions.consider_at_tapd(
            actor=office.tapd, proposal=proposal, budgeted=True, amount=15_000_001, otp_verified=True
        )
    actions.consider_at_tapd(
        actor=office.tapd, proposal=proposal, budgeted=True, amount=12_500_000, otp_verified=True
    )
    proposal.refresh_from_db()
    assert (proposal.status, proposal.tapd_amount, proposal.tapd_override_reason) == (
        S.TAPD_APPROVED,
        12_500_000,
        "",
    )


def test_rab_above_request_is_refused_and_nothing_saved(office):
    proposal = draft_proposal(office.representative, office.programme, office.organisation, amount=15_000_000)
    lines = [{"description": "Sewa", "volume": "3", "unit": "paket", "unit_price": "5000001"}]
    with pytest.raises(ValidationError) as refused:
        actions.set_rab_lines(actor=office.representative, proposal=proposal, lines=lines)
    assert refused.value.message_dict["rab"] == [
        "Jumlah RAB Rp15.000.003 melebihi nilai yang diajukan Rp15.000.000. "
        "(Permendagri 32/2011 (RAB proposal))"
    ]
    assert sorted(proposal.rab_lines.values_list("subtotal", flat=True)) == [5_000_000, 10_000_000]


# --- Returns ----------------------------------------------------------------------------------------------


def test_return_cites_missing_codes_and_pauses_then_resubmission(office):
    from praja.core.workflow.selectors import get_case_timeline

    proposal = draft_proposal(office.representative, office.programme, office.organisation)
    upload_all_documents(office.representative, proposal, skip=("npwp",))
    actions.submit_proposal(actor=office.representative, proposal=proposal)
    with pytest.raises(GuardFailed, match="Sebutkan dokumen yang kurang"):
        actions.return_proposal(actor=office.tu, proposal=proposal, missing_codes=[], reason="kurang")
    with pytest.raises(GuardFailed, match="tidak dikenal"):
        actions.return_proposal(actor=office.tu, proposal=proposal, missing_codes=["ijazah"], reason="kurang")
    actions.return_proposal(
        actor=office.tu, proposal=proposal, missing_codes=["npwp"], reason="NPWP belum ada"
    )
    assert proposal.status == S.RETURNED
    assert get_case_timeline(proposal).sla.is_paused
    assert StageReview.objects.get(proposal=proposal, action="kembalikan").missing_codes == ["npwp"]
    actions.resubmit_proposal(actor=office.representative, proposal=proposal)
    assert proposal.status == S.SUBMITTED
    with pytest.raises(GuardFailed) as refused:
        actions.check_completeness(actor=office.tu, proposal=proposal, checklist={"proposal": True})
    assert "belum: surat_permohonan" in str(refused.value)


# --- Decree and NPHD --------------------------------------------------------------------------------------


def test_decree_within_envelope_approved_with_totp_renders_signed_pdf(office):
    first = place_proposal(
        office.representative, office.programme, office.organisation, "tapd_approved", tapd_amount=300_000_000
    )
    second = place_proposal(
        office.representative, office.programme, office.organisation, "tapd_approved", tapd_amount=250_000_000
    )
    with pytest.raises(ValidationError) as refused:
        actions.build_decree(actor=office.admin, programme=office.programme)
    assert refused.value.messages == [
        "Jumlah DNC PBH Rp550.000.000 melebihi pagu program Rp500.000.000. (UU 23/2014 Pasal 298 ayat (4))"
    ]
    assert not Decree.objects.exists()
    actions.cancel_proposal(actor=office.admin, proposal=second, reason="Lembaga mengundurkan diri")
    decree = actions.build_decree(actor=office.admin, programme=office.programme)
    assert decree.total_amount == 300_000_000 and decree.entries.count() == 1
    with pytest.raises(SecondFactorRequired):
        actions.approve_decree(actor=office.head, decree=decree)
    with pytest.raises(PermissionDenied):
        actions.approve_decree(actor=office.admin, decree=decree, otp_verified=True)
    assert Decree.objects.get(pk=decree.pk).approved_at is None
    actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)
    first.refresh_from_db()
    assert first.status == S.IN_DECREE
    assert decree.number == "001/DNC-PBH/2027"
    assert decree.official_document.document_type == "grants.decree"
    with pytest.raises(ValidationError, match="sudah ditetapkan"):
        actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)


def test_envelope_counts_decrees_already_approved(office):
    place_proposal(
        office.representative, office.programme, office.organisation, "tapd_approved", tapd_amount=400_000_000
    )
    decree = actions.build_decree(actor=office.admin, programme=office.programme)
    actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)
    place_proposal(
        office.representative, office.programme, office.organisation, "tapd_approved", tapd_amount=100_000_001
    )
    with pytest.raises(ValidationError, match="melebihi pagu"):
        actions.build_decree(actor=office.admin, programme=office.programme)


def _in_decree(office):
    proposal = place_proposal(office.representative, office.programme, office.organisation, "tapd_approved")
    decree = actions.build_decree(actor=office.admin, programme=office.programme)
    actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)
    proposal.refresh_from_db()
    return proposal


def test_nphd_needs_both_signatures_and_records_both(office):
    from praja.core.documents.pdf import check_signature

    proposal = _in_decree(office)
    nphd = actions.prepare_nphd(actor=office.admin, proposal=proposal)
    assert (nphd.amount, nphd.lpj_deadline, nphd.budget_line_code) == (
        15_000_000,
        datetime.date(2028, 1, 10),
        "5.1.05.05.01.0001",
    )
    with pytest.raises(GuardFailed, match="ditandatangani dahulu oleh ketua"):
        actions.sign_nphd_as_official(actor=office.head, nphd=nphd, otp_verified=True)
    assert Proposal.objects.get(pk=proposal.pk).status == S.IN_DECREE
    with pytest.raises(ValidationError, match="Kata sandi atau kode autentikator salah"):
        actions.sign_nphd_as_recipient(actor=office.representative, nphd=nphd, password="salah")
    assert Nphd.objects.get(pk=nphd.pk).recipient_signed_at is None
    actions.sign_nphd_as_recipient(actor=office.representative, nphd=nphd, password=PASSWORD)
    assert nphd.recipient_signature_method == "password" and nphd.recipient_signer_name == "Asep Sunandar"
    with pytest.raises(ValidationError, match="sudah ditandatangani lembaga"):
        actions.prepare_nphd(actor=office.admin, proposal=proposal)
    with pytest.raises(SecondFactorRequired):
        actions.sign_nphd_as_official(actor=office.head, nphd=nphd)
    actions.sign_nphd_as_official(actor=office.head, nphd=nphd, otp_verified=True)
    proposal.refresh_from_db()
    assert (proposal.status, proposal.agreed_amount) == (S.NPHD_SIGNED, 15_000_000)
    assert nphd.is_fully_signed and nphd.official_signed_by == office.head
    path = nphd.official_document.file.absolute_path
    assert check_signature(path.read_bytes(), tenant=office.tenant).is_valid
    raw = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    text = " ".join(raw.split())
    assert "NASKAH PERJANJIAN HIBAH DAERAH (NPHD)" in text
    assert "Rp15.000.000" in text and "5.1.05.05.01.0001" in text
    assert "Asep Sunandar" in text and "Konfirmasi kata sandi" in text
    assert "Wali Kota Bandung" in text and "verifikasi dua langkah" in text
    recipient_events = events(office, "grants.nphd_signed_by_recipient")
    assert recipient_events[-1]["method"] == "password"


def test_only_the_chair_signs_for_the_organisation(office, make_person):
    proposal = _in_decree(office)
    nphd = actions.prepare_nphd(actor=office.admin, proposal=proposal)
    secretary = make_person(office.tenant, nik="3273015206850002")
    office.organisation.representatives.add(secretary)
    with pytest.raises(PermissionDenied, match="NIK akun Anda tidak sama dengan NIK ketua Asep Sunandar"):
        actions.sign_nphd_as_recipient(actor=secretary, nphd=nphd, password=PASSWORD)
    assert Nphd.objects.get(pk=nphd.pk).recipient_signed_at is None


def test_disbursement_only_after_both_signatures_to_a_verified_account(office):
    from praja.core.workflow.actions import transition

    proposal = place_proposal(office.representative, office.programme, office.organisation, "nphd_signed")
    with pytest.raises(GuardFailed, match="setelah NPHD ditandatangani kedua pihak"):
        transition(proposal, "request_disbursement", actor=office.treasurer)
    Nphd.objects.create(
        proposal=proposal,
        number="9/NPHD/2027",
        amount=15_000_000,
        rights_and_obligations="-",
        disbursement_procedure="-",
        reporting_procedure="-",
        lpj_deadline=datetime.date(2028, 1, 10),
        prepared_by=office.admin,
        recipient_signed_at=timezone.now(),
        official_signed_at=timezone.now(),
    )
    BankAccount.objects.filter(organisation=office.organisation).update(is_verified=False)
    with pytest.raises(GuardFailed, match="rekening terverifikasi"):
        transition(proposal, "request_disbursement", actor=office.treasurer)
    BankAccount.objects.filter(organisation=office.organisation).update(is_verified=True)
    transition(proposal, "request_disbursement", actor=office.treasurer)
    assert proposal.status == S.DISBURSING


# --- Bansos ------------------------------------------------------------------------------------------------


def test_bansos_workflow_needs_social_data_then_decree(office):
    from praja.modules.grants.testing import make_programme

    programme = make_programme("bansos-2027", kind="bansos")
    case = actions.register_bansos_case(
        actor=office.admin,
        programme=programme,
        recipient_name="Euis",
        amount="2.400.000",
        social_data_source="dtsen",
    )
    assert case.amount == 2_400_000 and case.number == "BSS-2027-000001"
    with pytest.raises(GuardFailed, match="DTKS/DTSEN"):
        actions.verify_bansos_case(actor=office.admin, case=case)
    case.social_data_reference = "DTSEN-3273-0001"
    case.save(update_fields=["social_data_reference"])
    actions.verify_bansos_case(actor=office.admin, case=case)
    actions.screen_bansos_case(actor=office.admin, case=case)
    decree = actions.build_decree(actor=office.admin, programme=programme)
    assert [entry.recipient_name for entry in decree.entries.all()] == ["Euis"]
    actions.approve_decree(actor=office.head, decree=decree, otp_verified=True)
    case.refresh_from_db()
    assert case.status == "in_decree"
    assert DecreeEntry.objects.get(bansos_case=case).amount == 2_400_000


def test_register_bansos_refuses_hibah_programme(office):
    with pytest.raises(ValidationError) as refused:
        actions.register_bansos_case(
            actor=office.admin, programme=office.programme, recipient_name="X", amount=1
        )
    assert refused.value.message_dict["programme"] == ["Penerima perorangan hanya untuk program bansos."]


# --- Demo and adoption -------------------------------------------------------------------------------------


def test_demo_loads_bandung_programmes_and_proposals_at_stages(office, make_person, totp_for):
    from praja.modules.grants import demo
    from praja.modules.grants.models import BansosCase, Programme

    for role in ("grants_org_verifier", "grants_admin"):
        make_person(office.tenant, roles=[role])
    for number in range(12):
        make_person(office.tenant, full_name=f"Warga {number}")
    added = demo.load_demo(office.tenant)
    assert added > 0
    hibah = Programme.objects.get(code=demo.HIBAH_CODE)
    statuses = dict(Proposal.objects.filter(programme=hibah).values_list("organisation__acronym", "status"))
    assert statuses["KONI Kota Bandung"] == S.TAPD_APPROVED
    assert sorted(Proposal.objects.filter(programme=hibah).values_list("status", flat=True)) == sorted(
        [S.TAPD_APPROVED, S.SUBMITTED, S.EVALUATION, S.RETURNED]
    )
    assert Organisation.objects.get(acronym="KONI Kota Bandung").exemption.code == "koni"
    assert BansosCase.objects.count() == 3
    assert demo.load_demo(office.tenant) == 0


def test_adoption_copies_programme_configuration_unpublished(office, tenant_b):
    from praja.modules.grants.catalogue import adopt_configuration
    from praja.modules.grants.models import FundingExemption, Programme

    actions.add_exemption(
        actor=office.admin, code="lvri", name="Legiun Veteran RI", legal_basis="UU 15/2012 tentang Veteran"
    )
    with use_tenant(tenant_b):
        changes = adopt_configuration(source=office.tenant, target=tenant_b)
        copy = Programme.objects.get(code="hibah-2027")
        assert copy.is_published is False
        assert copy.eligibility_rules == office.programme.eligibility_rules
        assert copy.required_documents == office.programme.required_documents
        assert FundingExemption.objects.get(code="lvri").legal_basis == "UU 15/2012 tentang Veteran"
        assert FundingExemption.objects.filter(is_builtin=True).count() == 4
        assert len(changes) == 2
        assert adopt_configuration(source=office.tenant, target=tenant_b) == []


def test_exemption_without_legal_basis_is_refused(office):
    with pytest.raises(ValidationError) as refused:
        actions.add_exemption(actor=office.admin, code="ormas-x", name="Ormas X", legal_basis=" ")
    assert "dasar undang-undang" in refused.value.message_dict["legal_basis"][0]
