"""The grants pages: public, applicant, officials; they render, work through forms and refuse."""

from __future__ import annotations

import datetime

import pytest

from praja.core.tenancy.context import use_tenant
from praja.modules.grants import actions
from praja.modules.grants.models import Organisation, Proposal, RabLine
from praja.modules.grants.models import ProposalStatus as S
from praja.modules.grants.testing import (
    BOARD_NIKS,
    draft_proposal,
    evaluation_checklist,
    full_checklist,
    make_organisation,
    pdf_upload,
    place_proposal,
    upload_all_documents,
)

pytestmark = pytest.mark.django_db


def url(office, path):
    return f"/t/{office.tenant.slug}/grants/{path}"


def test_public_catalogue_and_programme_pages_need_no_login(client, grants_office):
    response = client.get(url(grants_office, ""))
    assert response.status_code == 200
    assert "Hibah Lembaga Kemasyarakatan 2027" in response.content.decode()
    page = client.get(url(grants_office, "programmes/hibah-2027/")).content.decode()
    assert "UU 23/2014 Pasal 298 ayat (5)" in page
    assert "Ajukan proposal" in page


def test_unpublished_programme_is_not_found(client, grants_office):
    with use_tenant(grants_office.tenant):
        grants_office.programme.is_published = False
        grants_office.programme.save()
    assert client.get(url(grants_office, "programmes/hibah-2027/")).status_code == 404


def test_organisation_registration_form_refuses_bad_npwp_and_keeps_input(
    login_client, make_person, grants_office
):
    citizen = make_person(grants_office.tenant, full_name="Rina")
    client = login_client(citizen)
    response = client.post(
        url(grants_office, "organisations/new/"),
        {
            "name": "Perkumpulan Seni Cibeunying",
            "kind": "perkumpulan",
            "address": "Jl. Cibeunying 3",
            "npwp": "013000665091000",
            "area": "32.73.01.1001",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "digit periksanya tidak cocok" in page
    assert 'value="Perkumpulan Seni Cibeunying"' in page
    with use_tenant(grants_office.tenant):
        assert not Organisation.objects.filter(name="Perkumpulan Seni Cibeunying").exists()


def test_organisation_registration_board_bank_and_submission(login_client, make_person, grants_office):
    citizen = make_person(grants_office.tenant, full_name="Rina")
    client = login_client(citizen)
    response = client.post(
        url(grants_office, "organisations/new/"),
        {
            "name": "Perkumpulan Seni Cibeunying",
            "kind": "perkumpulan",
            "address": "Jl. Cibeunying 3",
            "npwp": "013000666091000",
            "area": "32.73.01.1001",
        },
    )
    assert response.status_code == 302
    with use_tenant(grants_office.tenant):
        organisation = Organisation.objects.get(name="Perkumpulan Seni Cibeunying")
    base = f"organisations/{organisation.pk}/"
    bad = client.post(
        url(grants_office, base + "board/"),
        {"board-role": "chair", "board-full_name": "Budi", "board-nik": "123"},
    ).content.decode()
    assert "NIK pengurus tidak sah: NIK harus 16 digit; yang Anda isi 3 digit." in bad
    assert 'value="Budi"' in bad
    for role, nik in BOARD_NIKS.items():
        client.post(
            url(grants_office, base + "board/"),
            {"board-role": role, "board-full_name": f"Pengurus {role}", "board-nik": nik},
        )
    wrong = client.post(
        url(grants_office, base + "bank/"),
        {
            "bank-bank_name": "Bank BJB",
            "bank-account_number": "0012345678",
            "bank-holder_name": "Budi Santoso",
        },
    )
    assert "tidak sama dengan nama lembaga" in wrong.content.decode()
    assert 'value="0012345678"' in wrong.content.decode()
    client.post(
        url(grants_office, base + "bank/"),
        {
            "bank-bank_name": "Bank BJB",
            "bank-account_number": "0012345678",
            "bank-holder_name": "PERKUMPULAN SENI CIBEUNYING",
        },
    )
    page = client.post(url(grants_office, base + "submit/"), follow=True).content.decode()
    assert "Lembaga diajukan untuk verifikasi" in page
    with use_tenant(grants_office.tenant):
        organisation.refresh_from_db()
        assert organisation.status == "submitted"
        assert organisation.board_members.count() == 3


def test_proposal_form_with_rab_formset_refuses_rab_above_request(login_client, grants_office):
    client = login_client(grants_office.representative)
    response = client.post(
        url(grants_office, "programmes/hibah-2027/apply/"),
        {
            "organisation": grants_office.organisation.pk,
            "title": "Festival Braga",
            "purpose": "Seni",
            "start_date": "2027-03-01",
            "end_date": "2027-03-31",
            "amount_requested": "10000000",
        },
    )
    assert response.status_code == 302
    with use_tenant(grants_office.tenant):
        proposal = Proposal.objects.get(title="Festival Braga")
    form = {
        "title": "Festival Braga",
        "purpose": "Seni",
        "start_date": "2027-03-01",
        "end_date": "2027-03-31",
        "amount_requested": "10000000",
        "rab-TOTAL_FORMS": "2",
        "rab-INITIAL_FORMS": "0",
        "rab-MIN_NUM_FORMS": "0",
        "rab-MAX_NUM_FORMS": "100",
        "rab-0-description": "Sewa panggung",
        "rab-0-volume": "1",
        "rab-0-unit": "paket",
        "rab-0-unit_price": "8000000",
        "rab-1-description": "Honor penari",
        "rab-1-volume": "10",
        "rab-1-unit": "orang",
        "rab-1-unit_price": "300000",
        "save": "1",
    }
    page = client.post(url(grants_office, f"proposals/{proposal.pk}/edit/"), form).content.decode()
    assert "Jumlah RAB Rp11.000.000 melebihi nilai yang diajukan Rp10.000.000" in page
    assert 'value="Honor penari"' in page
    with use_tenant(grants_office.tenant):
        assert not RabLine.objects.filter(proposal=proposal).exists()
    form["rab-1-volume"] = "5"
    assert client.post(url(grants_office, f"proposals/{proposal.pk}/edit/"), form).status_code == 302
    with use_tenant(grants_office.tenant):
        assert sorted(RabLine.objects.filter(proposal=proposal).values_list("subtotal", flat=True)) == [
            1_500_000,
            8_000_000,
        ]


def test_official_stage_pages_drive_a_proposal_to_tapd(login_client, grants_office):
    o = grants_office
    with use_tenant(o.tenant):
        proposal = draft_proposal(o.representative, o.programme, o.organisation)
        upload_all_documents(o.representative, proposal)
        actions.submit_proposal(actor=o.representative, proposal=proposal)
        checklist = {f"check_{code}": "on" for code in full_checklist(proposal)}
    path = url(o, f"files/{proposal.pk}/")
    tu = login_client(o.tu)
    page = tu.get(path).content.decode()
    assert "Daftar periksa kelengkapan" in page
    page = tu.post(path + "do/checklist/", {"check_proposal": "on"}, follow=True).content.decode()
    assert "Semua butir daftar periksa harus dicentang" in page
    tu.post(path + "do/checklist/", checklist)
    head = login_client(o.head, otp_device=o.head.totpdevice_set.first())
    head.post(path + "do/review/", {"decision": "lanjut"})
    login_client(o.committee).post(path + "do/route/", {"org_unit": o.dinas.pk})
    evaluator = login_client(o.evaluator)
    evaluation = {
        "decision": "lanjut",
        "amount": "25000000",
        "field_check_date": "2026-11-20",
        **{f"check_{code}": "on" for code in evaluation_checklist()},
    }
    page = evaluator.post(path + "do/evaluate/", evaluation, follow=True).content.decode()
    assert "Nilai Rp25.000.000 melebihi nilai yang diajukan Rp20.000.000" in page
    evaluation["amount"] = "15000000"
    evaluator.post(path + "do/evaluate/", evaluation)
    login_client(o.committee2).post(path + "do/verify/", {"decision": "lanjut", "amount": "15000000"})
    tapd = login_client(o.tapd, otp_device=o.tapd.totpdevice_set.first())
    page = tapd.post(
        path + "do/tapd/", {"decision": "lanjut", "amount": "14000000"}, follow=True
    ).content.decode()
    assert "Pertimbangan TAPD tercatat" in page
    with use_tenant(o.tenant):
        proposal.refresh_from_db()
    assert (proposal.status, proposal.recommended_amount, proposal.verified_amount, proposal.tapd_amount) == (
        S.TAPD_APPROVED,
        15_000_000,
        15_000_000,
        14_000_000,
    )
    applicant_page = login_client(o.representative).get(url(o, f"proposals/{proposal.pk}/")).content.decode()
    assert "Disetujui TAPD" in applicant_page
    assert "Rp14000000" in applicant_page


def test_return_for_missing_document_shows_codes_to_applicant(login_client, grants_office):
    o = grants_office
    with use_tenant(o.tenant):
        proposal = draft_proposal(o.representative, o.programme, o.organisation)
        upload_all_documents(o.representative, proposal, skip=("npwp",))
        actions.submit_proposal(actor=o.representative, proposal=proposal)
    tu = login_client(o.tu)
    tu.post(
        url(o, f"files/{proposal.pk}/do/return/"),
        {"missing_codes": ["npwp"], "reason": "NPWP belum dilampirkan"},
    )
    applicant = login_client(o.representative)
    page = applicant.get(url(o, f"proposals/{proposal.pk}/")).content.decode()
    assert "Dokumen yang kurang:" in page and "npwp" in page and "NPWP belum dilampirkan" in page
    applicant.post(url(o, f"proposals/{proposal.pk}/upload/npwp/"), {"file": pdf_upload("npwp.pdf")})
    with use_tenant(o.tenant):
        proposal.refresh_from_db()
        assert proposal.documents.filter(code="npwp", is_current=True).exists()


def test_wrong_role_is_refused_on_official_pages(login_client, make_person, grants_office):
    o = grants_office
    with use_tenant(o.tenant):
        proposal = place_proposal(o.representative, o.programme, o.organisation, "submitted")
    clerk = make_person(o.tenant, roles=["official"])
    assert login_client(clerk).get(url(o, f"files/{proposal.pk}/")).status_code == 403
    assert login_client(clerk).get(url(o, "queue/")).status_code == 403
    # The applicant sees their own page, never the official one.
    response = login_client(o.representative).get(url(o, f"files/{proposal.pk}/"))
    assert response.status_code in (302, 403)
    # A TU official may not take the head's stage through the action URL.
    tu = login_client(o.tu)
    page = tu.post(
        url(o, f"files/{proposal.pk}/do/review/"), {"decision": "lanjut"}, follow=True
    ).content.decode()
    assert "tidak berwenang" in page or "hanya dapat dilakukan" in page
    with use_tenant(o.tenant):
        assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED


def test_other_tenant_cannot_open_a_proposal(login_client, make_person, grants_office, tenant_b):
    o = grants_office
    with use_tenant(o.tenant):
        proposal = place_proposal(o.representative, o.programme, o.organisation, "submitted")
    stranger = make_person(tenant_b, roles=["grants_tu"])
    assert login_client(stranger).get(f"/t/{tenant_b.slug}/grants/files/{proposal.pk}/").status_code == 404
    assert login_client(stranger).get(url(o, f"files/{proposal.pk}/")).status_code == 404


def test_queue_lists_only_what_the_official_may_act_on(login_client, grants_office):
    o = grants_office
    with use_tenant(o.tenant):
        submitted = place_proposal(o.representative, o.programme, o.organisation, "submitted", title="Satu")
        routed = place_proposal(o.representative, o.programme, o.organisation, "evaluation", org_unit=o.dinas)
    tu_page = login_client(o.tu).get(url(o, "queue/")).content.decode()
    assert submitted.number in tu_page and routed.number not in tu_page
    evaluator_page = login_client(o.evaluator).get(url(o, "queue/")).content.decode()
    assert routed.number in evaluator_page and submitted.number not in evaluator_page


def test_admin_creates_a_programme_with_rules_as_data(login_client, grants_office):
    o = grants_office
    client = login_client(o.admin)
    response = client.post(
        url(o, "admin/programmes/new/"),
        {
            "code": "hibah-olahraga-2027",
            "name": "Hibah Olahraga 2027",
            "budget_year": "2027",
            "kind": "hibah",
            "envelope": "2000000000",
            "opens_at": "2026-12-01T08:00",
            "closes_at": "2027-01-31T16:00",
            "legal_entity_required": "on",
            "min_years_registered": "3",
            "not_funded_previous_year": "on",
            "is_published": "on",
        },
    )
    assert response.status_code == 302
    with use_tenant(o.tenant):
        from praja.modules.grants.models import Programme

        programme = Programme.objects.get(code="hibah-olahraga-2027")
    assert programme.eligibility_rules["min_years_registered"] == 3
    assert programme.eligibility_rules["domiciled_in_tenant"] is False
    assert programme.lpj_deadline == datetime.date(2028, 1, 10)
    assert [item["code"] for item in programme.required_documents][:2] == ["surat_permohonan", "proposal"]
    refused = login_client(o.tu).get(url(o, "admin/programmes/new/"))
    assert refused.status_code == 403


def test_pages_and_refusals_follow_the_readers_language(client, login_client, grants_office):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url(grants_office, "")).content.decode()
    assert "Grants and social aid" in page and "Hibah and bansos programmes" in page
    with use_tenant(grants_office.tenant):
        proposal = place_proposal(
            grants_office.representative, grants_office.programme, grants_office.organisation, "recommended"
        )
    committee = login_client(grants_office.committee)
    committee.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = committee.post(
        url(grants_office, f"files/{proposal.pk}/do/verify/"),
        {"decision": "lanjut", "amount": "16000000"},
        follow=True,
    ).content.decode()
    assert "The amount Rp16.000.000 exceeds the office recommendation Rp15.000.000" in body


def test_manifest_work_queue_lists_proposals_and_organisations(grants_office, make_person):
    from praja.core.modules.registry import get_manifest

    o = grants_office
    with use_tenant(o.tenant):
        proposal = place_proposal(o.representative, o.programme, o.organisation, "submitted")
        pending = make_organisation(make_person(o.tenant), name="Perkumpulan Menunggu", verified=False)
        Organisation.objects.filter(pk=pending.pk).update(status="submitted")
        manifest = get_manifest("grants")
        tu_items = manifest.work_queue(o.tu)
        verifier_items = manifest.work_queue(o.verifier)
        head_items = manifest.work_queue(o.head)
    assert [item["title"] for item in tu_items] == [f"{proposal.number} · {proposal.title}"]
    assert tu_items[0]["url"] == f"/t/{o.tenant.slug}/grants/files/{proposal.pk}/"
    assert tu_items[0]["sla_days_left"] is None or isinstance(tu_items[0]["sla_days_left"], int)
    assert [item["title"] for item in verifier_items] == ["Perkumpulan Menunggu"]
    assert head_items == []


def test_bansos_page_registers_verifies_and_screens(login_client, grants_office, permission_matrix):
    from praja.modules.grants.models import BansosCase
    from praja.modules.grants.testing import make_programme

    o = grants_office
    with use_tenant(o.tenant):
        programme = make_programme("bansos-2027", kind="bansos")
    permission_matrix(
        path=url(o, "bansos/"),
        tenant=o.tenant,
        kind="page",
        right_roles=["grants_admin"],
        wrong_roles=["grants_tu"],
    )
    admin = login_client(o.admin)
    refused = admin.post(
        url(o, "bansos/"), {"programme": programme.pk, "recipient_name": "Euis", "amount": "0"}
    )
    assert refused.status_code == 200 and 'value="Euis"' in refused.content.decode()
    admin.post(
        url(o, "bansos/"),
        {
            "programme": programme.pk,
            "recipient_name": "Euis",
            "amount": "2400000",
            "social_data_source": "dtsen",
        },
    )
    with use_tenant(o.tenant):
        case = BansosCase.objects.get(recipient_name="Euis")
    page = admin.post(url(o, "bansos/"), {"case": case.pk, "step": "verify"}, follow=True).content.decode()
    assert "harus terdaftar dalam data sosial (DTKS/DTSEN)" in page
    with use_tenant(o.tenant):
        BansosCase.objects.filter(pk=case.pk).update(social_data_reference="DTSEN-3273-0001")
    admin.post(url(o, "bansos/"), {"case": case.pk, "step": "verify"})
    page = admin.post(url(o, "bansos/"), {"case": case.pk, "step": "screen"}, follow=True).content.decode()
    assert "Penerima BSS-2027-000001: Lolos penyaringan." in page
