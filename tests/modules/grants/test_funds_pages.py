"""Pages and API of grant funds for officials and recipients: who may do what (including another
tenant's people), and the whole money-and-LPJ walk through the pages."""

from __future__ import annotations

import pytest

from praja.core.testing.permission_matrix import verified_client
from praja.modules.grants.funds.models import Disbursement, LpjReport, Tranche, TrancheStatus
from praja.modules.grants.funds.testing import make_awarded_grant
from praja.modules.grants.models import ProposalStatus
from praja.modules.licensing.testing import image_upload, pdf_upload
from tests.modules.grants.funds_fixtures import *  # noqa: F403

pytestmark = pytest.mark.django_db


@pytest.fixture
def grant(tenant_a, make_person, in_tenant, document_root):
    with in_tenant(tenant_a):
        return make_awarded_grant(
            applicant=make_person(tenant_a, full_name="Ketua Yayasan"), amount=40_000_000
        )


def count(tenant, model):
    from praja.core.tenancy.context import use_tenant

    with use_tenant(tenant):
        return model.objects.count()


@pytest.mark.parametrize(
    ("path", "right", "wrong"),
    [
        ("funds/", "grants_disbursement_verifier", "official"),
        ("funds/batches/", "grants_treasurer", "grants_disbursement_officer"),
        ("funds/complaints/", "grants_complaints_inspector", "grants_treasurer"),
    ],
)
def test_official_pages_permission_matrix(permission_matrix, tenant_a, path, right, wrong):
    permission_matrix(
        path=f"/t/{tenant_a.slug}/grants/{path}",
        kind="page",
        tenant=tenant_a,
        right_roles=[right],
        wrong_roles=[wrong],
    )


def test_proposal_funds_page_matrix(permission_matrix, tenant_a, grant):
    permission_matrix(
        path=f"/t/{tenant_a.slug}/grants/funds/proposals/{grant.proposal.pk}/",
        kind="page",
        tenant=tenant_a,
        right_roles=["grants_disbursement_officer"],
        wrong_roles=["official"],
        expect={"wrong_role": 404},
    )


def test_tranche_request_api_matrix(permission_matrix, tenant_a, grant):
    responses = permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/grants/funds/proposals/{grant.proposal.pk}/tranches/",
        method="post",
        data={"amount": 15_000_000, "idempotency_key": "api-1"},
        tenant=tenant_a,
        right_roles=["grants_disbursement_officer"],
        wrong_roles=["grants_treasurer"],
        expect={"right_role": 201},
        snapshot=lambda: count(tenant_a, Tranche),
    )
    body = responses["right_role"].json()
    assert (body["number"], body["amount"], body["status"], body["disbursement"]) == (
        1,
        15_000_000,
        "requested",
        None,
    )


def test_disburse_api_matrix(permission_matrix, tenant_a, grant, make_person, in_tenant):
    from praja.modules.grants.funds import actions

    with in_tenant(tenant_a):
        officer = make_person(tenant_a, roles=["grants_disbursement_officer"])
        verifier = make_person(tenant_a, roles=["grants_disbursement_verifier"])
        approver = make_person(tenant_a, roles=["grants_disbursement_approver"])
        tranche = actions.request_tranche(
            actor=officer, proposal=grant.proposal, amount=40_000_000, idempotency_key="t"
        )
        actions.verify_tranche(actor=verifier, tranche=tranche)
        actions.approve_tranche(actor=approver, tranche=tranche, otp_verified=True)
    responses = permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/grants/funds/tranches/{tranche.pk}/disburse/",
        method="post",
        data={"idempotency_key": "pay-api"},
        tenant=tenant_a,
        right_roles=["grants_treasurer"],
        wrong_roles=["grants_disbursement_verifier"],
        expect={"right_role": 201},
        snapshot=lambda: count(tenant_a, Disbursement),
    )
    body = responses["right_role"].json()
    assert body["status"] == "in_transfer"
    assert body["disbursement"]["amount"] == 40_000_000
    assert body["disbursement"]["reference"] == f"{grant.proposal.number}/T1"


def test_a_refusal_in_the_api_names_the_rule(tenant_a, grant, make_person):
    officer = make_person(tenant_a, roles=["grants_disbursement_officer"])
    client = verified_client(officer)
    url = f"/t/{tenant_a.slug}/api/v1/grants/funds/proposals/{grant.proposal.pk}/tranches/"
    response = client.post(
        url, {"amount": 40_000_001, "idempotency_key": "x"}, content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "above_agreed_amount"
    assert error["message"].startswith("Jumlah tahap Rp40.000.001 melebihi sisa nilai NPHD Rp40.000.000")
    assert count(tenant_a, Tranche) == 0


def test_lpj_review_api_matrix(permission_matrix, tenant_a, make_person, in_tenant, document_root):
    from praja.modules.grants.funds import lpj

    with in_tenant(tenant_a):
        applicant = make_person(tenant_a)
        grant = make_awarded_grant(applicant=applicant, status=ProposalStatus.IN_PROGRESS)
        lpj.submit_lpj(
            actor=applicant,
            proposal=grant.proposal,
            usage_report="Selesai.",
            value_reported=1,
            statement_file=pdf_upload(),
            receipt_files=[pdf_upload()],
            photo_files=[image_upload()],
        )
    permission_matrix(
        path=f"/t/{tenant_a.slug}/api/v1/grants/funds/proposals/{grant.proposal.pk}/lpj/review/",
        method="post",
        data={"decision": "accept"},
        tenant=tenant_a,
        right_roles=["grants_lpj_reviewer"],
        wrong_roles=["grants_disbursement_officer"],
        snapshot=lambda: (
            count(tenant_a, LpjReport) and list(LpjReport.all_tenants.values_list("is_accepted", flat=True))
        ),
    )


def test_the_whole_walk_through_the_pages(tenant_a, make_person, in_tenant, document_root):
    applicant = make_person(tenant_a, full_name="Ketua Yayasan")
    with in_tenant(tenant_a):
        grant = make_awarded_grant(applicant=applicant, amount=30_000_000)
    people = {
        role: verified_client(make_person(tenant_a, roles=[role]))
        for role in (
            "grants_disbursement_officer",
            "grants_disbursement_verifier",
            "grants_disbursement_approver",
            "grants_treasurer",
            "grants_lpj_reviewer",
        )
    }
    base = f"/t/{tenant_a.slug}/grants/funds/"
    page = f"{base}proposals/{grant.proposal.pk}/"
    officer = people["grants_disbursement_officer"]
    form = officer.get(page)
    assert "Ajukan tahap pencairan" in form.content.decode()
    too_much = officer.post(page, {"form": "tranche", "amount": "30000001", "idempotency_key": "walk-0"})
    assert too_much.status_code == 400
    assert "melebihi sisa nilai NPHD Rp30.000.000" in too_much.content.decode()
    assert (
        officer.post(page, {"form": "tranche", "amount": "30000000", "idempotency_key": "walk-1"}).status_code
        == 302
    )
    with in_tenant(tenant_a):
        tranche = Tranche.objects.get()
    for role, action in (
        ("grants_disbursement_verifier", "verify"),
        ("grants_disbursement_approver", "approve"),
        ("grants_treasurer", "disburse"),
    ):
        response = people[role].post(f"{base}tranches/{tranche.pk}/{action}/")
        assert response.status_code == 302, (role, action)
    treasurer = people["grants_treasurer"]
    assert treasurer.post(f"{base}batches/").status_code == 302
    with in_tenant(tenant_a):
        order = Disbursement.objects.get()
    csv_text = treasurer.get(f"{base}batches/{order.batch_id}/transfer.csv").content.decode()
    assert f"30000000,{grant.proposal.number}/T1" in csv_text
    confirmed = treasurer.post(
        f"{base}batches/{order.batch_id}/",
        {
            "form": "sp2d",
            "disbursement": order.pk,
            "sp2d_number": "SP2D-77/LS/2026",
            "sp2d_date": "2026-05-04",
        },
    )
    assert confirmed.status_code == 302
    with in_tenant(tenant_a):
        assert Tranche.objects.get().status == TrancheStatus.PAID
        grant.proposal.refresh_from_db()
        assert grant.proposal.status == ProposalStatus.IN_PROGRESS
    recipient = verified_client(applicant)
    lpj_page = f"{base}proposals/{grant.proposal.pk}/lpj/"
    assert "Serahkan LPJ" in recipient.get(lpj_page).content.decode()
    filed = recipient.post(
        lpj_page,
        {
            "usage_report": "Renovasi selesai.",
            "value_reported": "30000000",
            "statement_file": pdf_upload("pernyataan.pdf"),
            "receipt_files": [pdf_upload("kuitansi.pdf")],
            "photo_files": [image_upload("foto.jpg")],
        },
    )
    assert filed.status_code == 302
    reviewer = people["grants_lpj_reviewer"]
    returned = reviewer.post(page, {"form": "review", "decision": "reject", "reasons": ""})
    assert "Tuliskan alasan pengembalian LPJ" in returned.content.decode()
    assert reviewer.post(page, {"form": "review", "decision": "accept", "reasons": ""}).status_code == 302
    with in_tenant(tenant_a):
        grant.proposal.refresh_from_db()
        assert grant.proposal.status == ProposalStatus.CLOSED
