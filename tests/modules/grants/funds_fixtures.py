"""Fixtures of the grants funds tests (G3): the people of a disbursement office and a grant."""

from __future__ import annotations

from dataclasses import dataclass

import pytest


@dataclass
class FundsOffice:
    tenant: object
    applicant: object
    officer: object
    verifier: object
    approver: object
    treasurer: object
    reviewer: object
    inspector: object


@pytest.fixture
def document_root(settings, tmp_path):
    settings.PRAJA_DOCUMENT_ROOT = tmp_path / "documents"
    return settings.PRAJA_DOCUMENT_ROOT


@pytest.fixture
def funds_office(tenant_a, make_person, document_root):
    return FundsOffice(
        tenant=tenant_a,
        applicant=make_person(tenant_a, full_name="Siti Nurhaliza"),
        officer=make_person(tenant_a, roles=["grants_disbursement_officer"], full_name="Pengelola Hibah"),
        verifier=make_person(tenant_a, roles=["grants_disbursement_verifier"], full_name="Verifikator Hibah"),
        approver=make_person(tenant_a, roles=["grants_disbursement_approver"], full_name="Kepala BPKAD"),
        treasurer=make_person(tenant_a, roles=["grants_treasurer"], full_name="Kuasa BUD"),
        reviewer=make_person(tenant_a, roles=["grants_lpj_reviewer"], full_name="Pemeriksa LPJ"),
        inspector=make_person(
            tenant_a, roles=["grants_complaints_inspector"], full_name="Inspektur Pembantu"
        ),
    )


def paid_through(office, grant, amount: int, *, key: str = "", sp2d: str = "SP2D-0001/LS/2026"):
    """Request, verify, approve, order, batch and confirm one tranche of `amount`; return it."""
    import datetime

    from praja.modules.grants.funds import actions

    tranche = actions.request_tranche(
        actor=office.officer,
        proposal=grant.proposal,
        amount=amount,
        idempotency_key=key or f"req-{amount}-{sp2d}",
    )
    actions.verify_tranche(actor=office.verifier, tranche=tranche)
    actions.approve_tranche(actor=office.approver, tranche=tranche, otp_verified=True)
    result = actions.disburse_tranche(
        actor=office.treasurer, tranche=tranche, idempotency_key=f"pay-{tranche.pk}"
    )
    actions.create_transfer_batch(actor=office.treasurer, disbursement_ids=[result.disbursement.pk])
    actions.confirm_disbursement(
        actor=office.treasurer,
        disbursement=result.disbursement,
        sp2d_number=sp2d,
        sp2d_date=datetime.date(2026, 4, 2),
    )
    tranche.refresh_from_db()
    grant.proposal.refresh_from_db()
    return tranche
