"""The application workflow "licensing.application" (domain brief §4.4) as data.

draft --submit--> submitted --mark_complete--> complete --register--> registered (SLA starts)
submitted|complete --return_incomplete--> returned --resubmit--> submitted
registered --assign_team--> technical_review | --assign_inspection_team--> field_inspection
field_inspection --record_inspection--> technical_review
technical_review|field_inspection --request_revision--> revision --resubmit_revision--> technical_review
technical_review --recommend_approve--> recommended_approve | --recommend_reject--> recommended_reject
recommended_approve --approve--> approved (free) | --approve_for_payment--> awaiting_payment
recommended_approve|recommended_reject --reject--> rejected
awaiting_payment --mark_paid (system)--> paid; --expire_unpaid (system)--> expired
approved|paid --issue (system)--> issued --revoke--> revoked
draft|submitted|returned|revision --withdraw--> withdrawn

The SLA clock runs in working days from registration to issue and pauses while the applicant
revises the file or pays. Returns before registration happen before the clock starts.
"""

from django.utils.translation import gettext_lazy as _

from praja.core.workflow import DistinctActors, State, Transition, Workflow
from praja.modules.licensing.models import ApplicationStatus as S
from praja.modules.licensing.permissions import (
    ASSIGN_TEAM,
    CHECK_COMPLETENESS,
    DECIDE,
    REGISTER,
    REVIEW,
    REVOKE,
)

WORKFLOW_NAME = "licensing.application"


def permit_type_sla(case) -> int:
    """The SLA of the application's permit type, in working days."""
    return case.permit_type.sla_working_days


def needs_inspection(case, *, actor, data):
    if not case.permit_type.needs_field_inspection:
        return _(
            "Jenis izin ini tidak memerlukan peninjauan lapangan; tugaskan tim untuk kajian teknis saja."
        )
    return None


def no_inspection_needed(case, *, actor, data):
    if case.permit_type.needs_field_inspection:
        return _("Jenis izin ini memerlukan peninjauan lapangan oleh tim minimal dua petugas.")
    return None


def inspection_recorded(case, *, actor, data):
    if case.permit_type.needs_field_inspection and not case.inspection_reports.exists():
        return _("Berita acara pemeriksaan (BAP) lapangan belum dicatat.")
    return None


def in_turn(case, *, actor, data):
    """Queues are first in, first out per permit type; an older file must be handled first."""
    from django.db.models import Q

    from praja.modules.licensing.models import Application

    if case.out_of_turn_at and case.queued_at and case.out_of_turn_at >= case.queued_at:
        return None
    older = Application.objects.filter(permit_type_id=case.permit_type_id, status=case.status).exclude(
        pk=case.pk
    )
    if case.queued_at is not None:
        older = older.filter(Q(queued_at__lt=case.queued_at) | Q(queued_at=case.queued_at, pk__lt=case.pk))
    first = older.order_by("queued_at", "pk").first()
    if first is not None:
        return _(
            "Berkas %(number)s masuk lebih dahulu dan harus diproses lebih dulu; untuk mengambil berkas ini "
            "di luar urutan, tuliskan alasannya."
        ) % {"number": first.tracking_number}
    return None


def team_member(case, *, actor, data):
    """Only officers named in the latest assignment letter act for the technical team."""
    assignment = case.assignments.order_by("-assigned_at", "-pk").first()
    if actor is None or assignment is None or not assignment.members.filter(user_id=actor.pk).exists():
        return _(
            "Hanya anggota tim teknis yang ditugaskan dengan surat tugas untuk berkas ini "
            "yang dapat melakukannya."
        )
    return None


def is_free(case, *, actor, data):
    if case.fee_amount:
        return _("Izin ini dikenai retribusi; setujui dengan penerbitan tagihan.")
    return None


def has_fee(case, *, actor, data):
    if not case.fee_amount:
        return _("Izin ini tanpa biaya; setujui tanpa tagihan.")
    return None


def application_url(case) -> str:
    from praja.core.tenancy.urls import tenant_reverse

    return tenant_reverse("licensing-application", tenant=case.tenant, kwargs={"application_id": case.pk})


APPLICATION_WORKFLOW = Workflow(
    name=WORKFLOW_NAME,
    model="licensing.Application",
    label=_("Permohonan izin"),
    status_field="status",
    version_field="version",
    party_fields=("applicant",),
    org_unit_field="org_unit",
    timeline_url=application_url,
    states=[
        State(S.DRAFT, holder=_("Pemohon")),
        State(S.SUBMITTED, holder=_("Front office DPMPTSP"), holder_role="licensing_front_office"),
        State(S.RETURNED, holder=_("Pemohon")),
        State(S.COMPLETE, holder=_("Back office DPMPTSP"), holder_role="licensing_back_office"),
        State(S.REGISTERED, holder=_("Back office DPMPTSP"), holder_role="licensing_back_office"),
        State(S.TECHNICAL_REVIEW, holder=_("Tim teknis"), holder_role="licensing_technical"),
        State(S.FIELD_INSPECTION, holder=_("Tim teknis"), holder_role="licensing_technical"),
        State(S.REVISION, holder=_("Pemohon")),
        State(S.RECOMMENDED_APPROVE, holder=_("Kepala DPMPTSP"), holder_role="licensing_head"),
        State(S.RECOMMENDED_REJECT, holder=_("Kepala DPMPTSP"), holder_role="licensing_head"),
        State(S.APPROVED, holder=_("Sistem (penerbitan izin)")),
        State(S.AWAITING_PAYMENT, holder=_("Pemohon (pembayaran retribusi)")),
        State(S.PAID, holder=_("Sistem (penerbitan izin)")),
        State(S.ISSUED, is_final=True),
        State(S.REJECTED, is_final=True),
        State(S.EXPIRED, is_final=True),
        State(S.WITHDRAWN, is_final=True),
        State(S.REVOKED, is_final=True),
    ],
    transitions=[
        Transition(
            "submit",
            S.DRAFT,
            S.SUBMITTED,
            label=_("Ajukan"),
            actor_is_applicant=True,
            audit_event="licensing.application_submitted",
        ),
        Transition(
            "mark_complete",
            S.SUBMITTED,
            S.COMPLETE,
            label=_("Nyatakan lengkap"),
            permission=CHECK_COMPLETENESS,
            guards=[in_turn],
            audit_event="licensing.application_complete",
        ),
        Transition(
            "return_incomplete",
            (S.SUBMITTED, S.COMPLETE),
            S.RETURNED,
            label=_("Kembalikan (tidak lengkap)"),
            permission=CHECK_COMPLETENESS,
            requires_reason=True,
            pauses_clock=True,
            guards=[in_turn],
            audit_event="licensing.application_returned",
        ),
        Transition(
            "resubmit",
            S.RETURNED,
            S.SUBMITTED,
            label=_("Ajukan kembali"),
            actor_is_applicant=True,
            resumes_clock=True,
            audit_event="licensing.application_resubmitted",
        ),
        Transition(
            "register",
            S.COMPLETE,
            S.REGISTERED,
            label=_("Daftarkan"),
            permission=REGISTER,
            sla_working_days=permit_type_sla,
            guards=[in_turn],
            audit_event="licensing.application_registered",
        ),
        Transition(
            "assign_team",
            S.REGISTERED,
            S.TECHNICAL_REVIEW,
            label=_("Tugaskan tim teknis"),
            permission=ASSIGN_TEAM,
            guards=[in_turn, no_inspection_needed],
            audit_event="licensing.team_assigned",
        ),
        Transition(
            "assign_inspection_team",
            S.REGISTERED,
            S.FIELD_INSPECTION,
            label=_("Tugaskan tim peninjauan lapangan"),
            permission=ASSIGN_TEAM,
            guards=[in_turn, needs_inspection],
            audit_event="licensing.inspection_team_assigned",
        ),
        Transition(
            "record_inspection",
            S.FIELD_INSPECTION,
            S.TECHNICAL_REVIEW,
            label=_("Catat BAP peninjauan lapangan"),
            permission=REVIEW,
            guards=[team_member],
            audit_event="licensing.inspection_recorded",
        ),
        Transition(
            "request_revision",
            (S.TECHNICAL_REVIEW, S.FIELD_INSPECTION),
            S.REVISION,
            label=_("Minta perbaikan pemohon"),
            permission=REVIEW,
            requires_reason=True,
            guards=[team_member],
            pauses_clock=True,
            audit_event="licensing.revision_requested",
        ),
        Transition(
            "resubmit_revision",
            S.REVISION,
            S.TECHNICAL_REVIEW,
            label=_("Kirim perbaikan"),
            actor_is_applicant=True,
            resumes_clock=True,
            audit_event="licensing.revision_submitted",
        ),
        Transition(
            "recommend_approve",
            S.TECHNICAL_REVIEW,
            S.RECOMMENDED_APPROVE,
            label=_("Rekomendasikan disetujui"),
            permission=REVIEW,
            requires_reason=True,
            guards=[team_member, inspection_recorded],
            audit_event="licensing.recommended_approve",
        ),
        Transition(
            "recommend_reject",
            S.TECHNICAL_REVIEW,
            S.RECOMMENDED_REJECT,
            label=_("Rekomendasikan ditolak"),
            permission=REVIEW,
            requires_reason=True,
            guards=[team_member, inspection_recorded],
            audit_event="licensing.recommended_reject",
        ),
        Transition(
            "approve",
            S.RECOMMENDED_APPROVE,
            S.APPROVED,
            label=_("Setujui dan tandatangani"),
            permission=DECIDE,
            requires_second_factor=True,
            guards=[in_turn, is_free],
            audit_event="licensing.application_approved",
        ),
        Transition(
            "approve_for_payment",
            S.RECOMMENDED_APPROVE,
            S.AWAITING_PAYMENT,
            label=_("Setujui dan terbitkan tagihan retribusi"),
            permission=DECIDE,
            requires_second_factor=True,
            guards=[in_turn, has_fee],
            pauses_clock=True,
            audit_event="licensing.application_approved",
        ),
        Transition(
            "reject",
            (S.RECOMMENDED_APPROVE, S.RECOMMENDED_REJECT),
            S.REJECTED,
            label=_("Tolak dan tandatangani surat penolakan"),
            permission=DECIDE,
            requires_second_factor=True,
            requires_reason=True,
            guards=[in_turn],
            audit_event="licensing.application_rejected",
        ),
        Transition(
            "mark_paid",
            S.AWAITING_PAYMENT,
            S.PAID,
            label=_("Pembayaran diterima"),
            system=True,
            resumes_clock=True,
            audit_event="licensing.application_paid",
        ),
        Transition(
            "expire_unpaid",
            S.AWAITING_PAYMENT,
            S.EXPIRED,
            label=_("Kedaluwarsa karena tidak dibayar"),
            system=True,
            audit_event="licensing.application_expired",
        ),
        Transition(
            "issue",
            (S.APPROVED, S.PAID),
            S.ISSUED,
            label=_("Terbitkan izin"),
            system=True,
            audit_event="licensing.permit_issued",
        ),
        Transition(
            "revoke",
            S.ISSUED,
            S.REVOKED,
            label=_("Cabut izin"),
            permission=REVOKE,
            requires_second_factor=True,
            requires_reason=True,
            audit_event="licensing.permit_revoked",
        ),
        Transition(
            "withdraw",
            (S.DRAFT, S.SUBMITTED, S.RETURNED, S.REVISION),
            S.WITHDRAWN,
            label=_("Batalkan permohonan"),
            actor_is_applicant=True,
            audit_event="licensing.application_withdrawn",
        ),
    ],
    separation_of_duties=[
        DistinctActors("mark_complete", "register"),
        DistinctActors(
            "register", ("recommend_approve", "recommend_reject", "approve", "approve_for_payment", "reject")
        ),
        DistinctActors(
            "recommend_approve",
            ("approve", "approve_for_payment", "reject"),
        ),
        DistinctActors("recommend_reject", ("approve", "approve_for_payment", "reject")),
        DistinctActors("record_inspection", ("approve", "approve_for_payment", "reject")),
    ],
)
