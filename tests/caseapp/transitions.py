"""SampleCase's workflow: the shape of a permit-like service, used by the core workflow tests.

draft --submit--> submitted --verify--> verified --approve--> approved
                  submitted --return_to_applicant--> returned --resubmit--> submitted
submitted|verified --reject--> rejected;  draft|submitted|returned --withdraw--> withdrawn
"""

from django.utils.translation import gettext_lazy as _

from praja.core.permissions.roles import APPROVE, WORK_QUEUE
from praja.core.workflow import DistinctActors, State, Transition, Workflow
from tests.caseapp.models import SampleStatus as S

SLA_WORKING_DAYS = 5


def documents_complete(case, *, actor, data):
    """The applicant's documents are all there."""
    if not case.documents_complete:
        return _("Dokumen persyaratan belum lengkap; kembalikan berkas ke pemohon untuk dilengkapi.")
    return None


SAMPLE_WORKFLOW = Workflow(
    name="caseapp.sample_case",
    model="caseapp.SampleCase",
    label=_("Berkas contoh"),
    status_field="status",
    version_field="version",
    party_fields=("applicant",),
    org_unit_field="org_unit",
    states=[
        State(S.DRAFT, holder=_("Pemohon")),
        State(S.SUBMITTED, holder=_("Verifikator Dinas"), holder_role="official"),
        State(S.RETURNED, holder=_("Pemohon")),
        State(S.VERIFIED, holder=_("Kepala Dinas"), holder_role="approver"),
        State(S.APPROVED, is_final=True),
        State(S.REJECTED, is_final=True),
        State(S.WITHDRAWN, is_final=True),
    ],
    transitions=[
        Transition(
            "submit",
            S.DRAFT,
            S.SUBMITTED,
            label=_("Ajukan"),
            actor_is_applicant=True,
            audit_event="caseapp.sample_submitted",
            sla_working_days=SLA_WORKING_DAYS,
        ),
        Transition(
            "verify",
            S.SUBMITTED,
            S.VERIFIED,
            label=_("Verifikasi"),
            permission=WORK_QUEUE,
            guards=[documents_complete],
            audit_event="caseapp.sample_verified",
        ),
        Transition(
            "return_to_applicant",
            S.SUBMITTED,
            S.RETURNED,
            label=_("Kembalikan ke pemohon"),
            permission=WORK_QUEUE,
            requires_reason=True,
            pauses_clock=True,
            audit_event="caseapp.sample_returned",
        ),
        Transition(
            "resubmit",
            S.RETURNED,
            S.SUBMITTED,
            label=_("Ajukan kembali"),
            actor_is_applicant=True,
            resumes_clock=True,
            audit_event="caseapp.sample_resubmitted",
        ),
        Transition(
            "approve",
            S.VERIFIED,
            S.APPROVED,
            label=_("Setujui"),
            permission=APPROVE,
            requires_second_factor=True,
            audit_event="caseapp.sample_approved",
        ),
        Transition(
            "reject",
            (S.SUBMITTED, S.VERIFIED),
            S.REJECTED,
            label=_("Tolak"),
            permission=APPROVE,
            requires_second_factor=True,
            requires_reason=True,
            audit_event="caseapp.sample_rejected",
        ),
        Transition(
            "withdraw",
            (S.DRAFT, S.SUBMITTED, S.RETURNED),
            S.WITHDRAWN,
            label=_("Batalkan"),
            actor_is_applicant=True,
            audit_event="caseapp.sample_withdrawn",
        ),
    ],
    separation_of_duties=[DistinctActors("verify", ("approve", "reject"))],
)
