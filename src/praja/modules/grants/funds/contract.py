"""Everything this app reads from or asks of the grants top level (G1), in one place.

G1's models are those of the same module (praja.modules.grants.models); the proposal's status
moves only through G1's workflow "grants.proposal", by the transition names below.
"""

from __future__ import annotations

import logging

from praja.core.workflow.actions import transition
from praja.modules.grants.models import (
    BankAccount,
    Nphd,
    Organisation,
    Programme,
    Proposal,
    ProposalStatus,
)

logger = logging.getLogger(__name__)

# Transition names of G1's workflow "grants.proposal" this app takes (grants/transitions.py).
REQUEST_DISBURSEMENT = "request_disbursement"  # nphd_signed -> disbursing (grants.disburse)
REQUEST_NEXT_TRANCHE = "request_next_tranche"  # in_progress -> disbursing (grants.disburse)
CONFIRM_DISBURSEMENT = "confirm_disbursement"  # disbursing -> in_progress (grants.disburse)
SUBMIT_LPJ = "submit_lpj"  # in_progress | lpj_rejected | lpj_overdue -> lpj_submitted (applicant)
REJECT_LPJ = "reject_lpj"  # lpj_submitted -> lpj_rejected (grants.review_lpj, reason)
ACCEPT_LPJ = "accept_lpj"  # lpj_submitted -> closed (grants.review_lpj)
MARK_LPJ_OVERDUE = "mark_lpj_overdue"  # in_progress | lpj_rejected -> lpj_overdue (system)
# Workflow "grants.organisation" (system transitions, with a reason).
SUSPEND_AUTOMATICALLY = "suspend_automatically"  # verified -> suspended
REINSTATE_AUTOMATICALLY = "reinstate_automatically"  # suspended -> verified

# Stages where the grant has been awarded (listed among the public's recipients).
AWARDED_STATUSES = (
    ProposalStatus.NPHD_SIGNED,
    ProposalStatus.DISBURSING,
    ProposalStatus.IN_PROGRESS,
    ProposalStatus.LPJ_SUBMITTED,
    ProposalStatus.LPJ_REJECTED,
    ProposalStatus.LPJ_OVERDUE,
    ProposalStatus.CLOSED,
)
# Stages where the money is out and an LPJ is owed.
LPJ_OWED_STATUSES = (ProposalStatus.IN_PROGRESS, ProposalStatus.LPJ_REJECTED)
LPJ_OPEN_STATUSES = (
    ProposalStatus.IN_PROGRESS,
    ProposalStatus.LPJ_SUBMITTED,
    ProposalStatus.LPJ_REJECTED,
    ProposalStatus.LPJ_OVERDUE,
)


def get_proposal(proposal_id: int) -> Proposal:
    return Proposal.objects.select_related("organisation", "programme").get(pk=proposal_id)


def lock_proposal(proposal_id: int) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme")
        .get(pk=proposal_id)
    )


def lock_programme(programme_id: int) -> Programme:
    return Programme.objects.select_for_update().get(pk=programme_id)


def programme_id_of(proposal: Proposal) -> int:
    return proposal.programme_id


def programme_envelope(programme_id: int) -> int:
    return Programme.objects.values_list("envelope", flat=True).get(pk=programme_id)


def proposal_number(proposal: Proposal) -> str:
    return proposal.number or f"P{proposal.pk}"


def recipient_name(proposal: Proposal) -> str:
    return proposal.recipient_name


def signed_nphd_amount(proposal: Proposal) -> int | None:
    """The NPHD value when the NPHD is signed by both parties, else None."""
    nphd = Nphd.objects.filter(proposal_id=proposal.pk).first()
    if nphd is None or not nphd.is_fully_signed:
        return None
    return nphd.amount


def lpj_due_date(proposal: Proposal):
    """The LPJ deadline: the NPHD's, else the programme's, else 10 January after the budget year."""
    from praja.modules.grants.funds.rules import default_lpj_due_date

    nphd_deadline = (
        Nphd.objects.filter(proposal_id=proposal.pk).values_list("lpj_deadline", flat=True).first()
    )
    return nphd_deadline or proposal.programme.lpj_deadline or default_lpj_due_date(proposal.budget_year)


def verified_bank_account(proposal: Proposal) -> BankAccount | None:
    """The organisation's active, verified account (LS only to the recipient's account)."""
    if proposal.organisation_id is None:
        return None
    return (
        BankAccount.objects.filter(organisation_id=proposal.organisation_id, is_active=True, is_verified=True)
        .order_by("-pk")
        .first()
    )


def is_party(user, proposal: Proposal) -> bool:
    """The applicant or a representative of the proposal's organisation."""
    from praja.modules.grants import selectors as grants_selectors

    return grants_selectors.is_proposal_party(user, proposal)


def start_disbursement(proposal: Proposal, *, actor, request=None) -> None:
    """A payment order was made: the proposal is (again) disbursing."""
    if proposal.status == ProposalStatus.NPHD_SIGNED:
        transition(proposal, REQUEST_DISBURSEMENT, actor=actor, request=request)
    elif proposal.status == ProposalStatus.IN_PROGRESS:
        transition(proposal, REQUEST_NEXT_TRANCHE, actor=actor, request=request)


def finish_disbursement(proposal: Proposal, *, actor, request=None) -> None:
    """No payment order is waiting any more: the money is out, implementation runs."""
    if proposal.status == ProposalStatus.DISBURSING:
        transition(proposal, CONFIRM_DISBURSEMENT, actor=actor, request=request)


def suspend_organisation(organisation_id: int, *, reason: str, legal_basis: str) -> bool:
    """Suspend a verified organisation from new calls (G1's action, as the system)."""
    from praja.modules.grants import actions as grants_actions

    organisation = Organisation.objects.get(pk=organisation_id)
    return grants_actions.suspend_organisation(
        organisation=organisation, actor=None, reason=reason, legal_basis=legal_basis
    )


def lift_organisation_suspension(organisation_id: int, *, reason: str) -> bool:
    from praja.modules.grants import actions as grants_actions

    organisation = Organisation.objects.get(pk=organisation_id)
    return grants_actions.reinstate_organisation(organisation=organisation, actor=None, reason=reason)
