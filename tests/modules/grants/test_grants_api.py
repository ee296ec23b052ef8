"""The grants API and pages under the permission matrix (anonymous, other tenant, wrong role, right
role), and the applicant's and officials' flows over the API through the same actions."""

from __future__ import annotations

import uuid

import pytest

from praja.core.tenancy.context import use_tenant
from praja.core.testing.permission_matrix import verified_client
from praja.modules.grants.models import Proposal
from praja.modules.grants.models import ProposalStatus as S
from praja.modules.grants.testing import (
    full_checklist,
    make_organisation,
    place_proposal,
    upload_all_documents,
)

pytestmark = pytest.mark.django_db
ALL_OK = {"anonymous": 200, "other_tenant": 200, "wrong_role": 200, "right_role": 200}


def api(office, path=""):
    return f"/t/{office.tenant.slug}/api/v1/grants/{path}"


def page(office, path=""):
    return f"/t/{office.tenant.slug}/grants/{path}"


def test_programmes_are_public(permission_matrix, grants_office):
    body = permission_matrix(
        path=api(grants_office, "programmes/"), tenant=grants_office.tenant, right_roles=[], expect=ALL_OK
    )["anonymous"].json()
    assert [item["code"] for item in body] == ["hibah-2027"]
    detail = permission_matrix(
        path=api(grants_office, "programmes/hibah-2027/"),
        tenant=grants_office.tenant,
        right_roles=[],
        expect=ALL_OK,
    )["anonymous"].json()
    assert detail["eligibility_rules"]["min_years_registered"] == 3
    assert detail["required_documents"][0] == {
        "code": "surat_permohonan",
        "label": "Surat permohonan",
        "required": True,
        "condition": "",
    }


def test_queue_api_matrix(permission_matrix, grants_office):
    with use_tenant(grants_office.tenant):
        proposal = place_proposal(
            grants_office.representative, grants_office.programme, grants_office.organisation, "submitted"
        )
    responses = permission_matrix(
        path=api(grants_office, "queue/"), tenant=grants_office.tenant, right_roles=["grants_tu"]
    )
    assert [item["number"] for item in responses["right_role"].json()] == [proposal.number]


def test_checklist_step_matrix_changes_nothing_on_refusal(permission_matrix, grants_office):
    with use_tenant(grants_office.tenant):
        proposal = place_proposal(
            grants_office.representative, grants_office.programme, grants_office.organisation, "submitted"
        )
        checklist = full_checklist(proposal)

    def state():
        return Proposal.objects.filter(pk=proposal.pk).values_list("status", "version").get()

    responses = permission_matrix(
        path=api(grants_office, f"proposals/{proposal.pk}/checklist/"),
        method="post",
        data={"checklist": checklist},
        tenant=grants_office.tenant,
        right_roles=["grants_tu"],
        wrong_roles=["grants_evaluator"],
        snapshot=state,
    )
    assert responses["right_role"].json()["status"] == S.COMPLETE
    assert responses["right_role"].json()["stage_reviews"][0]["stage"] == "completeness"


def test_page_matrix_for_officials_and_admin(permission_matrix, grants_office):
    permission_matrix(
        path=page(grants_office, "queue/"),
        tenant=grants_office.tenant,
        kind="page",
        right_roles=["grants_committee"],
    )
    permission_matrix(
        path=page(grants_office, "decrees/"),
        tenant=grants_office.tenant,
        kind="page",
        right_roles=["grants_admin"],
    )
    permission_matrix(
        path=page(grants_office, "admin/programmes/"),
        tenant=grants_office.tenant,
        kind="page",
        right_roles=["grants_admin"],
        wrong_roles=["grants_tu"],
    )
    permission_matrix(
        path=page(grants_office, "verification/"),
        tenant=grants_office.tenant,
        kind="page",
        right_roles=["grants_org_verifier"],
        wrong_roles=["grants_tu"],
    )


def test_applicant_api_flow_with_idempotent_start(grants_office):
    client = verified_client(grants_office.representative)
    payload = {
        "programme": "hibah-2027",
        "organisation_id": grants_office.organisation.pk,
        "idempotency_key": str(uuid.uuid4()),
        "title": "Festival Braga",
        "purpose": "Seni tradisi",
        "start_date": "2027-03-01",
        "end_date": "2027-03-31",
        "amount_requested": 20_000_000,
    }
    first = client.post(api(grants_office, "proposals/"), payload, content_type="application/json")
    again = client.post(api(grants_office, "proposals/"), payload, content_type="application/json")
    assert first.status_code == again.status_code == 201
    assert first.json()["id"] == again.json()["id"]
    proposal_id = first.json()["id"]
    too_much = client.put(
        api(grants_office, f"proposals/{proposal_id}/rab/"),
        {"lines": [{"description": "Sewa", "volume": "3", "unit": "paket", "unit_price": 7_000_000}]},
        content_type="application/json",
    )
    assert too_much.status_code == 400
    assert too_much.json()["error"]["fields"]["rab"][0].startswith("Jumlah RAB Rp21.000.000 melebihi")
    ok = client.put(
        api(grants_office, f"proposals/{proposal_id}/rab/"),
        {"lines": [{"description": "Sewa", "volume": "2", "unit": "paket", "unit_price": 7_000_000}]},
        content_type="application/json",
    )
    assert [line["subtotal"] for line in ok.json()["rab_lines"]] == [14_000_000]
    with use_tenant(grants_office.tenant):
        upload_all_documents(grants_office.representative, Proposal.objects.get(pk=proposal_id))
    submitted = client.post(
        api(grants_office, f"proposals/{proposal_id}/submit/"), {}, content_type="application/json"
    )
    assert submitted.status_code == 200
    assert (submitted.json()["status"], submitted.json()["number"]) == ("submitted", "HBH-2027-000001")
    assert submitted.json()["timeline"][-1]["to_status"] == "submitted"


def test_api_refusal_has_the_error_envelope_with_the_rule(grants_office, make_person):
    with use_tenant(grants_office.tenant):
        proposal = place_proposal(
            grants_office.representative, grants_office.programme, grants_office.organisation, "recommended"
        )
    client = verified_client(grants_office.committee)
    response = client.post(
        api(grants_office, f"proposals/{proposal.pk}/verify-amount/"),
        {"proceed": True, "amount": 16_000_000},
        content_type="application/json",
    )
    assert response.status_code == 422
    body = response.json()["error"]
    assert body["code"] == "guard_failed"
    assert body["message"].startswith(
        "Nilai Rp16.000.000 melebihi rekomendasi perangkat daerah Rp15.000.000;"
    )
    with use_tenant(grants_office.tenant):
        assert Proposal.objects.get(pk=proposal.pk).status == S.RECOMMENDED


def test_organisation_api_registration_refuses_bad_nik(grants_office, make_person):
    citizen = make_person(grants_office.tenant)
    client = verified_client(citizen)
    created = client.post(
        api(grants_office, "organisations/"),
        {
            "name": "Perkumpulan Cibeunying",
            "kind": "perkumpulan",
            "address": "Jl. Cibeunying 3",
        },
        content_type="application/json",
    )
    assert created.status_code == 201
    organisation_id = created.json()["id"]
    refused = client.post(
        api(grants_office, f"organisations/{organisation_id}/board-members/"),
        {"role": "chair", "full_name": "Budi", "nik": "3273014002800001"},
        content_type="application/json",
    )
    assert refused.status_code == 400
    assert "NIK pengurus tidak sah" in refused.json()["error"]["fields"]["nik"][0]
    stranger = verified_client(make_person(grants_office.tenant))
    assert stranger.get(api(grants_office, f"organisations/{organisation_id}/")).status_code == 404


def test_screening_flags_show_on_the_official_page(grants_office, make_person, login_client):
    """A board member who sits on another applicant's board is flagged by G2's screening at submission."""
    from praja.modules.grants import actions
    from praja.modules.grants.testing import draft_proposal

    o = grants_office
    with use_tenant(o.tenant):
        other = make_organisation(
            make_person(o.tenant), name="Perkumpulan Lain Braga", niks={"chair": "3273011505800001"}
        )
        assert other.board_members.count() == 1
        proposal = draft_proposal(o.representative, o.programme, o.organisation)
        actions.submit_proposal(actor=o.representative, proposal=proposal)
        from praja.modules.grants.screening.selectors import open_flags_for

        kinds = set(open_flags_for(proposal).values_list("kind", flat=True))
    assert "duplicate_board_member" in kinds
    body = login_client(o.tu).get(page(o, f"files/{proposal.pk}/")).content.decode()
    assert "Hasil penyaringan" in body and "Pengurus sama di lembaga lain" in body


def test_tenant_admin_also_manages_programmes(permission_matrix, grants_office):
    body = permission_matrix(
        path=page(grants_office, "admin/programmes/"),
        tenant=grants_office.tenant,
        kind="page",
        right_roles=["tenant_admin"],
        wrong_roles=["grants_evaluator"],
    )["right_role"].content.decode()
    assert "Hibah Lembaga Kemasyarakatan 2027" in body
