"""The proposal state machine, driven from the transitions table: every allowed edge is taken through
the module's actions by the right person, every forbidden edge is refused and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from praja.core.tenancy.context import use_tenant
from praja.core.workflow.actions import transition
from praja.core.workflow.errors import TransitionNotAllowed
from praja.core.workflow.registry import allow_status_assignment
from praja.modules.grants import actions
from praja.modules.grants.models import Nphd, Proposal
from praja.modules.grants.models import ProposalStatus as S
from praja.modules.grants.testing import (
    evaluation_checklist,
    full_checklist,
    place_proposal,
    upload_all_documents,
)
from praja.modules.grants.transitions import PROPOSAL_WORKFLOW

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-123"


def _signed_nphd(office, proposal, *, official=True):
    return Nphd.objects.create(
        proposal=proposal,
        number=f"{proposal.pk:03d}/NPHD/2027",
        amount=15_000_000,
        rights_and_obligations="Hak",
        disbursement_procedure="LS",
        reporting_procedure="LPJ",
        lpj_deadline=datetime.date(2028, 1, 10),
        prepared_by=office.admin,
        recipient_signed_by=office.representative,
        recipient_signed_at=timezone.now(),
        recipient_signature_method="password",
        recipient_signer_name="Asep Sunandar",
        official_signed_by=office.head if official else None,
        official_signed_at=timezone.now() if official else None,
    )


def _take(office, proposal, name):
    """Take transition `name` the way the module does it, by the person whose job it is."""
    o = office
    if name == "submit":
        return actions.submit_proposal(actor=o.representative, proposal=proposal)
    if name == "mark_complete":
        return actions.check_completeness(actor=o.tu, proposal=proposal, checklist=full_checklist(proposal))
    if name == "return_incomplete":
        return actions.return_proposal(
            actor=o.tu, proposal=proposal, missing_codes=["npwp"], reason="NPWP belum ada"
        )
    if name == "resubmit":
        return actions.resubmit_proposal(actor=o.representative, proposal=proposal)
    if name in ("review", "reject_at_review"):
        return actions.review_proposal(
            actor=o.head, proposal=proposal, proceed=name == "review", remarks="Catatan"
        )
    if name == "route":
        return actions.route_proposal(actor=o.committee, proposal=proposal, org_unit=o.dinas)
    if name in ("recommend", "reject_at_evaluation"):
        return actions.evaluate_proposal(
            actor=o.evaluator,
            proposal=proposal,
            recommend=name == "recommend",
            amount=15_000_000,
            field_check_date=datetime.date(2026, 11, 20),
            checklist=evaluation_checklist(),
            remarks="Hasil evaluasi",
        )
    if name in ("verify_amount", "reject_at_verification"):
        return actions.verify_proposal_amount(
            actor=o.committee2,
            proposal=proposal,
            proceed=name == "verify_amount",
            amount=15_000_000,
            remarks="Cek",
        )
    if name in ("tapd_approve", "mark_not_budgeted"):
        return actions.consider_at_tapd(
            actor=o.tapd,
            proposal=proposal,
            budgeted=name == "tapd_approve",
            amount=15_000_000,
            remarks="Kapasitas fiskal",
            otp_verified=True,
        )
    if name == "include_in_decree":
        decree = actions.build_decree(actor=o.admin, programme=proposal.programme)
        return actions.approve_decree(actor=o.head, decree=decree, otp_verified=True)
    if name == "sign_nphd":
        nphd = actions.prepare_nphd(actor=o.admin, proposal=proposal)
        actions.sign_nphd_as_recipient(actor=o.representative, nphd=nphd, password=PASSWORD)
        return actions.sign_nphd_as_official(actor=o.head, nphd=nphd, otp_verified=True)
    if name == "request_disbursement":
        _signed_nphd(o, proposal)
        return transition(proposal, name, actor=o.treasurer)
    if name in ("confirm_disbursement", "request_next_tranche"):
        return transition(proposal, name, actor=o.treasurer)
    if name in ("record_bank_confirmation", "mark_lpj_overdue"):
        return transition(proposal, name, actor=None)
    if name == "submit_lpj":
        return transition(proposal, name, actor=o.representative)
    if name in ("accept_lpj", "reject_lpj"):
        return transition(
            proposal, name, actor=o.lpj_reviewer, reason="Bukti kurang" if name == "reject_lpj" else ""
        )
    if name == "withdraw":
        return actions.withdraw_proposal(actor=o.representative, proposal=proposal, reason="Tidak jadi")
    if name == "cancel":
        return actions.cancel_proposal(actor=o.admin, proposal=proposal, reason="Lembaga bubar")
    raise AssertionError(f"no way to take {name}")


def _prepare(office, status):
    proposal = place_proposal(
        office.representative,
        office.programme,
        office.organisation,
        status,
        org_unit=office.dinas
        if status not in ("draft", "submitted", "complete", "routing", "returned")
        else None,
    )
    if status in ("returned", "draft"):
        upload_all_documents(office.representative, proposal)
    return proposal


ALLOWED_EDGES = [
    (item.name, source, item.target) for item in PROPOSAL_WORKFLOW.transitions for source in item.sources
]


@pytest.mark.parametrize(
    ("name", "source", "target"), ALLOWED_EDGES, ids=[f"{n}:{s}" for n, s, _t in ALLOWED_EDGES]
)
def test_every_allowed_edge_is_taken_by_its_action(grants_office, name, source, target):
    with use_tenant(grants_office.tenant):
        proposal = _prepare(grants_office, source)
        _take(grants_office, proposal, name)
        proposal.refresh_from_db()
        assert proposal.status == target


STATES = [state.value for state in PROPOSAL_WORKFLOW.states]


@pytest.mark.parametrize("status", STATES)
def test_every_forbidden_edge_is_refused_and_changes_nothing(grants_office, status):
    with use_tenant(grants_office.tenant):
        proposal = _prepare(grants_office, status)
        version = proposal.version
        forbidden = [item for item in PROPOSAL_WORKFLOW.transitions if status not in item.sources]
        assert forbidden
        for item in forbidden:
            with pytest.raises(TransitionNotAllowed) as refused:
                transition(proposal, item.name, actor=grants_office.admin, reason="x")
            assert "hanya dapat dilakukan pada berkas berstatus" in str(refused.value)
            fresh = Proposal.objects.get(pk=proposal.pk)
            assert (fresh.status, fresh.version) == (status, version)


def test_the_table_has_the_states_funds_relies_on():
    names = {item.name: (set(item.sources), item.target) for item in PROPOSAL_WORKFLOW.transitions}
    assert names["request_disbursement"] == ({S.NPHD_SIGNED}, S.DISBURSING)
    assert names["confirm_disbursement"] == ({S.DISBURSING}, S.IN_PROGRESS)
    assert names["submit_lpj"] == ({S.IN_PROGRESS, S.LPJ_REJECTED, S.LPJ_OVERDUE}, S.LPJ_SUBMITTED)
    assert names["mark_lpj_overdue"] == ({S.IN_PROGRESS, S.LPJ_REJECTED}, S.LPJ_OVERDUE)
    assert names["accept_lpj"] == ({S.LPJ_SUBMITTED}, S.CLOSED)
    assert PROPOSAL_WORKFLOW.get_transition("mark_lpj_overdue").system
    assert PROPOSAL_WORKFLOW.final_states() == {S.NOT_BUDGETED, S.REJECTED, S.CLOSED, S.CANCELLED}
    for item in PROPOSAL_WORKFLOW.transitions:
        assert item.audit_event.startswith("grants."), item.name
        assert item.permission or item.actor_is_applicant or item.system, item.name


def test_approvals_need_the_second_factor():
    needing = {item.name for item in PROPOSAL_WORKFLOW.transitions if item.requires_second_factor}
    assert needing == {"tapd_approve", "mark_not_budgeted", "include_in_decree", "sign_nphd"}


def test_status_cannot_be_assigned_outside_the_workflow(grants_office):
    from praja.core.workflow.errors import StatusChangeOutsideWorkflow

    with use_tenant(grants_office.tenant):
        proposal = place_proposal(
            grants_office.representative, grants_office.programme, grants_office.organisation, "submitted"
        )
        proposal.status = S.COMPLETE
        with pytest.raises(StatusChangeOutsideWorkflow):
            proposal.save()
        with allow_status_assignment():
            pass
        assert Proposal.objects.get(pk=proposal.pk).status == S.SUBMITTED
