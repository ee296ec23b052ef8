"""Writers of the officials' stages of a proposal: TU checklist, head of region's review, routing,
office evaluation, Tim Pertimbangan verification, TAPD consideration, cancellation."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.audit.actions import record_personal_data_access
from praja.core.workflow.actions import transition
from praja.modules.grants.actions.proposals import _screen
from praja.modules.grants.models import (
    Proposal,
    Stage,
    StageAction,
    StageReview,
)

# --- Proposals: officials' stages ---------------------------------------------------------------------


def record_proposal_view(*, actor, proposal: Proposal, request=None) -> None:
    """An official opened the proposal (applicant's and board members' personal data)."""
    from praja.modules.grants.selectors import is_proposal_party

    if is_proposal_party(actor, proposal):
        return
    record_personal_data_access(
        official=actor,
        citizen=proposal.applicant,
        case=proposal,
        purpose=_("Memeriksa proposal hibah/bansos %(number)s") % {"number": proposal.number or proposal.pk},
        request=request,
    )


def _stage_effects(
    *,
    stage,
    action,
    actor,
    amount=None,
    override_reason="",
    checklist=None,
    missing_codes=None,
    org_unit=None,
    field_check_date=None,
    remarks="",
    more=None,
):
    def effects(locked):
        StageReview.objects.create(
            proposal=locked,
            stage=stage,
            action=action,
            actor=actor,
            amount=amount,
            override_reason=override_reason or "",
            checklist=checklist or {},
            missing_codes=list(missing_codes or []),
            org_unit=org_unit,
            field_check_date=field_check_date,
            remarks=(remarks or "").strip(),
        )
        return list(more(locked) or []) if more else []

    return effects


def check_completeness(
    *, actor, proposal: Proposal, checklist: dict, remarks: str = "", request=None
) -> Proposal:
    """TU: every applicable checklist item ticked → complete (to the head of region's review)."""
    ticked = {code: bool(value) for code, value in (checklist or {}).items()}
    transition(
        proposal,
        "mark_complete",
        actor=actor,
        request=request,
        data={"checklist": ticked},
        effects=_stage_effects(
            stage=Stage.COMPLETENESS,
            action=StageAction.PROCEED,
            actor=actor,
            checklist=ticked,
            remarks=remarks,
        ),
    )
    return proposal


def return_proposal(
    *,
    actor,
    proposal: Proposal,
    missing_codes: list[str],
    reason: str,
    checklist: dict | None = None,
    request=None,
) -> Proposal:
    """TU: return to the applicant citing the missing checklist codes; the applicant fixes and resubmits."""
    codes = [code for code in (missing_codes or []) if code]
    transition(
        proposal,
        "return_incomplete",
        actor=actor,
        reason=(reason or "").strip(),
        request=request,
        data={"missing_codes": codes},
        effects=_stage_effects(
            stage=Stage.COMPLETENESS,
            action=StageAction.RETURN,
            actor=actor,
            checklist=checklist,
            missing_codes=codes,
            remarks=reason,
        ),
    )
    return proposal


def review_proposal(*, actor, proposal: Proposal, proceed: bool, remarks: str = "", request=None) -> Proposal:
    """Head of region's review: lanjut (to the Tim Pertimbangan) or tolak (with reason)."""
    name = "review" if proceed else "reject_at_review"
    updates = {} if proceed else {"decided_at": timezone.now()}
    transition(
        proposal,
        name,
        actor=actor,
        reason=(remarks or "").strip() if not proceed else "",
        request=request,
        updates=updates,
        effects=_stage_effects(
            stage=Stage.REVIEW,
            action=StageAction.PROCEED if proceed else StageAction.REJECT,
            actor=actor,
            remarks=remarks,
        ),
    )
    return proposal


def route_proposal(*, actor, proposal: Proposal, org_unit, remarks: str = "", request=None) -> Proposal:
    """Tim Pertimbangan: route to the technical office (perangkat daerah) that evaluates it."""
    transition(
        proposal,
        "route",
        actor=actor,
        request=request,
        updates={"org_unit": org_unit} if org_unit is not None else None,
        data={"org_unit_id": getattr(org_unit, "pk", None)},
        effects=_stage_effects(
            stage=Stage.ROUTING, action=StageAction.PROCEED, actor=actor, org_unit=org_unit, remarks=remarks
        ),
    )
    return proposal


def evaluate_proposal(
    *,
    actor,
    proposal: Proposal,
    recommend: bool,
    amount: int | None = None,
    field_check_date: datetime.date | None = None,
    checklist: dict | None = None,
    remarks: str = "",
    request=None,
) -> Proposal:
    """The office's evaluation after a field check: a recommended amount (≤ requested) or a refusal."""
    ticked = {code: bool(value) for code, value in (checklist or {}).items()}
    if recommend:
        transition(
            proposal,
            "recommend",
            actor=actor,
            request=request,
            updates={"recommended_amount": amount},
            data={
                "amount": amount,
                "field_check_date": field_check_date.isoformat() if field_check_date else None,
                "checklist": ticked,
            },
            effects=_stage_effects(
                stage=Stage.EVALUATION,
                action=StageAction.PROCEED,
                actor=actor,
                amount=amount,
                checklist=ticked,
                field_check_date=field_check_date,
                org_unit=proposal.org_unit,
                remarks=remarks,
            ),
        )
    else:
        transition(
            proposal,
            "reject_at_evaluation",
            actor=actor,
            reason=(remarks or "").strip(),
            request=request,
            updates={"decided_at": timezone.now()},
            effects=_stage_effects(
                stage=Stage.EVALUATION,
                action=StageAction.REJECT,
                actor=actor,
                checklist=ticked,
                field_check_date=field_check_date,
                org_unit=proposal.org_unit,
                remarks=remarks,
            ),
        )
    _screen(proposal)
    return proposal


def verify_proposal_amount(
    *,
    actor,
    proposal: Proposal,
    proceed: bool,
    amount: int | None = None,
    override_reason: str = "",
    remarks: str = "",
    request=None,
) -> Proposal:
    """Tim Pertimbangan checks the office's amount (≤ it unless an override with reason)."""
    override_reason = (override_reason or "").strip()
    if proceed:
        keep_reason = (
            override_reason if amount is not None and amount > (proposal.recommended_amount or 0) else ""
        )
        transition(
            proposal,
            "verify_amount",
            actor=actor,
            request=request,
            updates={"verified_amount": amount, "verified_override_reason": keep_reason},
            data={"amount": amount, "override_reason": override_reason},
            effects=_stage_effects(
                stage=Stage.VERIFICATION,
                action=StageAction.PROCEED,
                actor=actor,
                amount=amount,
                override_reason=keep_reason,
                remarks=remarks,
            ),
        )
    else:
        transition(
            proposal,
            "reject_at_verification",
            actor=actor,
            reason=(remarks or "").strip(),
            request=request,
            updates={"decided_at": timezone.now()},
            effects=_stage_effects(
                stage=Stage.VERIFICATION, action=StageAction.REJECT, actor=actor, remarks=remarks
            ),
        )
    return proposal


def consider_at_tapd(
    *,
    actor,
    proposal: Proposal,
    budgeted: bool,
    amount: int | None = None,
    override_reason: str = "",
    remarks: str = "",
    request=None,
    otp_verified=None,
) -> Proposal:
    """TAPD's consideration with the second factor: the final amount, or not budgeted (reason)."""
    override_reason = (override_reason or "").strip()
    if budgeted:
        keep_reason = (
            override_reason if amount is not None and amount > (proposal.verified_amount or 0) else ""
        )
        transition(
            proposal,
            "tapd_approve",
            actor=actor,
            request=request,
            otp_verified=otp_verified,
            updates={
                "tapd_amount": amount,
                "tapd_override_reason": keep_reason,
                "decided_at": timezone.now(),
            },
            data={"amount": amount, "override_reason": override_reason},
            effects=_stage_effects(
                stage=Stage.TAPD,
                action=StageAction.PROCEED,
                actor=actor,
                amount=amount,
                override_reason=keep_reason,
                remarks=remarks,
            ),
        )
    else:
        transition(
            proposal,
            "mark_not_budgeted",
            actor=actor,
            reason=(remarks or "").strip(),
            request=request,
            otp_verified=otp_verified,
            updates={"decided_at": timezone.now()},
            effects=_stage_effects(stage=Stage.TAPD, action=StageAction.REJECT, actor=actor, remarks=remarks),
        )
    return proposal


def cancel_proposal(*, actor, proposal: Proposal, reason: str, request=None) -> Proposal:
    reason = (reason or "").strip()
    transition(
        proposal,
        "cancel",
        actor=actor,
        reason=reason,
        request=request,
        updates={"cancellation_reason": reason},
    )
    return proposal
