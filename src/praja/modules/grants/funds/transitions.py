"""The tranche workflow "grants_funds.tranche": requested -> verified -> approved (second factor)
-> in transfer -> paid; cancelled before transfer with a reason.

The money invariants (NPHD signed by both parties, verified bank account, Σ tranches ≤ NPHD
amount, programme ≤ envelope, one payment per tranche) are checked in actions.disburse_tranche
under row locks; the guards here repeat the cheap ones at each step so a stale case is refused.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.workflow import DistinctActors, State, Transition, Workflow
from praja.modules.grants.funds.models import TrancheStatus
from praja.modules.grants.funds.permissions import (
    APPROVE_TRANCHE,
    TRANSFER,
    VERIFY_TRANCHE,
)

TRANCHE_WORKFLOW_NAME = "grants_funds.tranche"

TRANCHE_WORKFLOW = Workflow(
    name=TRANCHE_WORKFLOW_NAME,
    model="grants_funds.Tranche",
    label=_("Pencairan hibah per tahap"),
    version_field="version",
    notify_parties=False,
    states=[
        State(
            TrancheStatus.REQUESTED,
            holder=_("Verifikator pencairan"),
            holder_role="grants_disbursement_verifier",
        ),
        State(TrancheStatus.VERIFIED, holder=_("PPKD/BUD"), holder_role="grants_disbursement_approver"),
        State(TrancheStatus.APPROVED, holder=_("Bendahara/kuasa BUD"), holder_role="grants_treasurer"),
        State(TrancheStatus.IN_TRANSFER, holder=_("Bank / kuasa BUD"), holder_role="grants_treasurer"),
        State(TrancheStatus.PAID, is_final=True),
        State(TrancheStatus.CANCELLED, is_final=True),
    ],
    transitions=[
        Transition(
            "verify",
            TrancheStatus.REQUESTED,
            TrancheStatus.VERIFIED,
            permission=VERIFY_TRANCHE,
            label=_("Verifikasi"),
            audit_event="grants_funds.tranche_verified",
        ),
        Transition(
            "approve",
            TrancheStatus.VERIFIED,
            TrancheStatus.APPROVED,
            permission=APPROVE_TRANCHE,
            requires_second_factor=True,
            label=_("Setujui pencairan"),
            audit_event="grants_funds.tranche_approved",
        ),
        Transition(
            "send_to_transfer",
            TrancheStatus.APPROVED,
            TrancheStatus.IN_TRANSFER,
            permission=TRANSFER,
            label=_("Proses transfer"),
            audit_event="grants_funds.tranche_sent_to_transfer",
        ),
        Transition(
            "confirm_paid",
            TrancheStatus.IN_TRANSFER,
            TrancheStatus.PAID,
            permission=TRANSFER,
            label=_("Konfirmasi dicairkan"),
            audit_event="grants_funds.tranche_paid",
        ),
        Transition(
            "cancel",
            (TrancheStatus.REQUESTED, TrancheStatus.VERIFIED, TrancheStatus.APPROVED),
            TrancheStatus.CANCELLED,
            permission=VERIFY_TRANCHE,
            requires_reason=True,
            label=_("Batalkan tahap"),
            audit_event="grants_funds.tranche_cancelled",
        ),
    ],
    separation_of_duties=[
        DistinctActors(
            "verify", "approve", message=_("Yang memverifikasi tahap ini tidak boleh menyetujuinya.")
        ),
        DistinctActors(
            "approve",
            "send_to_transfer",
            message=_("Yang menyetujui pencairan tidak boleh memproses transfernya."),
        ),
    ],
)
