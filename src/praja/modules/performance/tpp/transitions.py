"""The monthly close workflow "performance_tpp.month_close" as data.

computed --approve (BKPSDM head, TOTP)--> approved --lock (BKPSDM)--> locked

A locked close is final. A correction is a new MonthClose version (actions.compute_month_close
with a reason), which starts again at computed; the locked version stays as it was.
"""

from django.utils.translation import gettext_lazy as _

from praja.core.workflow import State, Transition, Workflow
from praja.modules.performance.tpp.models import CloseStatus as S
from praja.modules.performance.tpp.permissions import APPROVE_CLOSE, LOCK_CLOSE

WORKFLOW_NAME = "performance_tpp.month_close"


def not_the_one_who_computed(case, *, actor, data):
    """Four eyes: whoever ran the computation does not approve it."""
    if actor is not None and case.computed_by_id == actor.pk:
        return _("Hasil tutup buku harus disetujui oleh pejabat lain, bukan yang menghitungnya.")
    return None


MONTH_CLOSE_WORKFLOW = Workflow(
    name=WORKFLOW_NAME,
    model="performance_tpp.MonthClose",
    label=_("Tutup buku bulanan TPP"),
    states=(
        State(S.COMPUTED, holder=_("Kepala BKPSDM"), holder_role="performance_bkpsdm_head"),
        State(S.APPROVED, holder=_("BKPSDM"), holder_role="performance_bkpsdm"),
        State(S.LOCKED, is_final=True),
    ),
    transitions=(
        Transition(
            "approve",
            S.COMPUTED,
            S.APPROVED,
            permission=APPROVE_CLOSE,
            audit_event="performance_tpp.close_approved",
            label=_("Setujui hasil tutup buku"),
            requires_second_factor=True,
            guards=(not_the_one_who_computed,),
        ),
        Transition(
            "lock",
            S.APPROVED,
            S.LOCKED,
            permission=LOCK_CLOSE,
            audit_event="performance_tpp.close_locked",
            label=_("Kunci bulan untuk pembayaran"),
        ),
    ),
    version_field="revision",
    notify_parties=False,
)
