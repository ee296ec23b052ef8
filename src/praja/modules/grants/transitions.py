"""The grants workflows as data: "grants.organisation", "grants.proposal" and "grants.bansos".

Proposal (Sabilulungan's 9 stages, domain brief §5.5):
draft --submit--> submitted --mark_complete--> complete --review--> routing --route--> evaluation
submitted --return_incomplete (missing codes)--> returned --resubmit--> submitted
complete --reject_at_review--> rejected
evaluation --recommend (amount ≤ requested, field check)--> recommended | --reject_at_evaluation--> rejected
recommended --verify_amount (≤ office unless override)--> verified | --reject_at_verification--> rejected
verified --tapd_approve (TOTP, ≤ tim unless override)--> tapd_approved | --mark_not_budgeted--> not_budgeted
tapd_approved --include_in_decree (TOTP, DNC PBH approved)--> in_decree --sign_nphd (TOTP)--> nphd_signed
nphd_signed --request_disbursement--> disbursing
disbursing --confirm_disbursement | record_bank_confirmation (system)--> in_progress
in_progress --request_next_tranche--> disbursing
in_progress|lpj_rejected|lpj_overdue --submit_lpj--> lpj_submitted
lpj_submitted --accept_lpj--> closed | --reject_lpj--> lpj_rejected
in_progress|lpj_rejected --mark_lpj_overdue (system)--> lpj_overdue
draft|submitted|returned --withdraw (applicant)--> cancelled; any open state --cancel (reason)--> cancelled
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.workflow import DistinctActors, State, Transition, Workflow
from praja.modules.grants import rules
from praja.modules.grants.models import BansosStatus as B
from praja.modules.grants.models import OrganisationStatus as O
from praja.modules.grants.models import ProposalStatus as S
from praja.modules.grants.permissions import (
    APPROVE_DECREE,
    CANCEL_PROPOSALS,
    CHECK_COMPLETENESS,
    CONSIDER_TAPD,
    DISBURSE,
    EVALUATE,
    MANAGE_BANSOS,
    REVIEW_LPJ,
    REVIEW_PROPOSALS,
    ROUTE_PROPOSALS,
    SANCTION_ORGANISATIONS,
    SIGN_NPHD,
    VERIFY_AMOUNT,
    VERIFY_ORGANISATIONS,
)

ORGANISATION_WORKFLOW_NAME = "grants.organisation"
PROPOSAL_WORKFLOW_NAME = "grants.proposal"
BANSOS_WORKFLOW_NAME = "grants.bansos"


def _stage_days(key: str):
    """The SLA of a stage: the tenant's parameter `key` (rules.STAGE_DAYS_DEFAULTS), read when the
    case enters the stage."""

    def days(case) -> int:
        from praja.modules.grants.selectors import get_grants_parameters

        return rules.stage_days(get_grants_parameters(case.tenant), key)

    days.__name__ = f"sla_{key}"
    return days


SLA_ORGANISATION_VERIFICATION = _stage_days("stage_days_organisation_verification")
SLA_COMPLETENESS = _stage_days("stage_days_completeness")
SLA_REVIEW = _stage_days("stage_days_head_review")
SLA_ROUTING = _stage_days("stage_days_routing")
SLA_EVALUATION = _stage_days("stage_days_evaluation")
SLA_VERIFICATION = _stage_days("stage_days_verification")
SLA_TAPD = _stage_days("stage_days_tapd")


# --------------------------------------------------------------------------------------------------
# Guards shared by the workflows


def _organisation_of(case):
    if hasattr(case, "board_members"):
        return case
    return getattr(case, "organisation", None)


def not_party_to_organisation(case, *, actor, data):
    """Nobody acts as official on a case of an organisation they represent or sit on the board of."""
    organisation = _organisation_of(case)
    if organisation is None or actor is None:
        return None
    if organisation.representatives.filter(pk=actor.pk).exists() or organisation.registered_by_id == actor.pk:
        return _("Anda adalah wakil lembaga %(name)s, sehingga tidak boleh memproses berkasnya.") % {
            "name": organisation.name
        }
    if actor.nik and organisation.board_members.filter(nik=actor.nik).exists():
        return _(
            "Anda tercatat sebagai pengurus lembaga %(name)s, sehingga tidak boleh memproses berkasnya."
        ) % {"name": organisation.name}
    return None


# --------------------------------------------------------------------------------------------------
# Organisation guards


def organisation_complete(case, *, actor, data):
    refusals = rules.check_board(case.board_members.all())
    if not case.bank_accounts.filter(is_active=True).exists():
        refusals.append(
            rules.Refusal("bank_account_missing", str(_("Rekening bank atas nama lembaga belum diisi.")))
        )
    if case.npwp:
        try:
            rules.parse_npwp(case.npwp)
        except Exception as error:  # ValidationError: message already in Indonesian
            refusals.append(rules.Refusal("npwp_invalid", " ".join(getattr(error, "messages", [str(error)]))))
    return "; ".join(str(item) for item in refusals) or None


def bank_account_verified(case, *, actor, data):
    account = case.bank_accounts.filter(is_active=True).first()
    if account is None or not account.is_verified:
        return _("Verifikasi dulu rekening bank lembaga (nama pemilik harus sama dengan nama lembaga).")
    return None


# --------------------------------------------------------------------------------------------------
# Proposal guards


def proposal_eligible(case, *, actor, data):
    """Window, amounts, RAB, dates and the programme's eligibility rules (names each rule)."""
    from praja.modules.grants.selectors import proposal_refusals

    refusals = proposal_refusals(case)
    return "; ".join(str(item) for item in refusals) or None


def checklist_complete(case, *, actor, data):
    from praja.modules.grants.selectors import applicable_documents_for

    missing = rules.missing_checklist_codes(applicable_documents_for(case), data.get("checklist") or {})
    if missing:
        return _(
            "Semua butir daftar periksa harus dicentang untuk melanjutkan; belum: %(codes)s. "
            "Bila ada yang kurang, kembalikan proposal kepada pemohon."
        ) % {"codes": ", ".join(missing)}
    return None


def missing_codes_named(case, *, actor, data):
    from praja.modules.grants.selectors import applicable_documents_for

    codes = list(data.get("missing_codes") or [])
    known = {item["code"] for item in applicable_documents_for(case)}
    if not codes:
        return _("Sebutkan dokumen yang kurang (paling sedikit satu) saat mengembalikan proposal.")
    unknown = [code for code in codes if code not in known]
    if unknown:
        return _("Kode dokumen tidak dikenal untuk program ini: %(codes)s.") % {"codes": ", ".join(unknown)}
    return None


def office_named(case, *, actor, data):
    if not data.get("org_unit_id"):
        return _("Pilih perangkat daerah teknis yang akan mengevaluasi proposal ini.")
    return None


def evaluation_done(case, *, actor, data):
    refusal = rules.check_stage_amount(
        data.get("amount"),
        previous=case.amount_requested,
        previous_label=str(_("nilai yang diajukan")),
        allow_override=False,
    )
    if refusal:
        return str(refusal)
    if not data.get("field_check_date"):
        return _(
            "Isi tanggal peninjauan lapangan; rekomendasi perangkat "
            "daerah didasarkan pada peninjauan lapangan."
        )
    checklist = data.get("checklist") or {}
    unchecked = [str(label) for code, label in rules.EVALUATION_CHECKLIST if not checklist.get(code)]
    if unchecked:
        return _(
            "Rekomendasi hanya dapat diberikan bila semua butir evaluasi terpenuhi; belum: %(items)s."
        ) % {"items": "; ".join(unchecked)}
    return None


def amount_within_office(case, *, actor, data):
    refusal = rules.check_stage_amount(
        data.get("amount"),
        previous=case.recommended_amount or 0,
        previous_label=str(_("rekomendasi perangkat daerah")),
        override_reason=data.get("override_reason") or "",
    )
    return str(refusal) if refusal else None


def amount_within_committee(case, *, actor, data):
    refusal = rules.check_stage_amount(
        data.get("amount"),
        previous=case.verified_amount or 0,
        previous_label=str(_("rekomendasi Tim Pertimbangan")),
        override_reason=data.get("override_reason") or "",
    )
    return str(refusal) if refusal else None


def listed_in_approved_decree(case, *, actor, data):
    from praja.modules.grants.models import DecreeEntry

    field = "bansos_case" if case._meta.model_name == "bansoscase" else "proposal"
    if not DecreeEntry.objects.filter(**{field: case, "decree__approved_at__isnull": False}).exists():
        return _(
            "Berkas ini belum tercantum dalam DNC PBH / keputusan penerima yang disetujui Kepala Daerah."
        )
    return None


def recipient_signed_nphd(case, *, actor, data):
    from praja.modules.grants.models import Nphd

    nphd = Nphd.objects.filter(proposal=case).first()
    if nphd is None:
        return _("NPHD belum disiapkan.")
    if nphd.recipient_signed_at is None:
        return _(
            "NPHD harus ditandatangani dahulu oleh ketua lembaga "
            "penerima; tanda tangan kedua pihak diperlukan."
        )
    return None


def ready_for_disbursement(case, *, actor, data):
    from praja.modules.grants.models import Nphd

    nphd = Nphd.objects.filter(proposal=case).first()
    if nphd is None or not nphd.is_fully_signed:
        return _("Pencairan hanya setelah NPHD ditandatangani kedua pihak.")
    if case.organisation_id:
        account = case.organisation.bank_accounts.filter(is_active=True).first()
        if account is None or not account.is_verified:
            return _("Hibah disalurkan LS hanya ke rekening terverifikasi atas nama lembaga penerima.")
    return None


def proposal_url(case) -> str:
    from praja.core.tenancy.urls import tenant_reverse

    return tenant_reverse("grants-proposal", tenant=case.tenant, kwargs={"proposal_id": case.pk})


def organisation_url(case) -> str:
    from praja.core.tenancy.urls import tenant_reverse

    return tenant_reverse("grants-organisation", tenant=case.tenant, kwargs={"organisation_id": case.pk})


# --------------------------------------------------------------------------------------------------
# Bansos guards


def social_data_present(case, *, actor, data):
    refusal = rules.check_social_data(
        required=bool((case.programme.eligibility_rules or {}).get("social_data_source_required")),
        source=case.social_data_source,
        reference=case.social_data_reference,
    )
    return str(refusal) if refusal else None


def no_open_screening_flags(case, *, actor, data):
    """G2's screening must have left no open flag on the beneficiary (cleared flags are fine)."""
    from praja.modules.grants.selectors import open_screening_flags_for

    flags = open_screening_flags_for(case)
    if flags:
        return _("Masih ada %(count)d catatan penyaringan yang belum diselesaikan.") % {"count": len(flags)}
    return None


# --------------------------------------------------------------------------------------------------

ORGANISATION_WORKFLOW = Workflow(
    name=ORGANISATION_WORKFLOW_NAME,
    model="grants.Organisation",
    label=_("Pendaftaran lembaga"),
    status_field="status",
    version_field="version",
    party_fields=("registered_by",),
    timeline_url=organisation_url,
    states=[
        State(O.DRAFT, holder=_("Lembaga")),
        State(O.SUBMITTED, holder=_("Verifikator lembaga"), holder_role="grants_org_verifier"),
        State(O.VERIFIED, holder=_("Lembaga")),
        State(O.REJECTED, holder=_("Lembaga")),
        State(O.SUSPENDED, holder=_("Verifikator lembaga"), holder_role="grants_org_verifier"),
    ],
    transitions=[
        Transition(
            "submit",
            (O.DRAFT, O.REJECTED),
            O.SUBMITTED,
            label=_("Ajukan verifikasi lembaga"),
            actor_is_applicant=True,
            guards=[organisation_complete],
            sla_working_days=SLA_ORGANISATION_VERIFICATION,
            audit_event="grants.organisation_submitted",
        ),
        Transition(
            "return_for_correction",
            O.SUBMITTED,
            O.DRAFT,
            label=_("Kembalikan untuk dilengkapi"),
            permission=VERIFY_ORGANISATIONS,
            requires_reason=True,
            pauses_clock=True,
            guards=[not_party_to_organisation],
            audit_event="grants.organisation_returned",
        ),
        Transition(
            "verify",
            O.SUBMITTED,
            O.VERIFIED,
            label=_("Verifikasi lembaga"),
            permission=VERIFY_ORGANISATIONS,
            guards=[not_party_to_organisation, organisation_complete, bank_account_verified],
            stops_clock=True,
            audit_event="grants.organisation_verified",
        ),
        Transition(
            "reject",
            O.SUBMITTED,
            O.REJECTED,
            label=_("Tolak pendaftaran lembaga"),
            permission=VERIFY_ORGANISATIONS,
            requires_reason=True,
            guards=[not_party_to_organisation],
            stops_clock=True,
            audit_event="grants.organisation_rejected",
        ),
        Transition(
            "suspend",
            O.VERIFIED,
            O.SUSPENDED,
            label=_("Tangguhkan lembaga (sanksi)"),
            permission=SANCTION_ORGANISATIONS,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.organisation_suspended",
        ),
        Transition(
            "suspend_automatically",
            O.VERIFIED,
            O.SUSPENDED,
            label=_("Ditangguhkan otomatis (tunggakan LPJ)"),
            system=True,
            requires_reason=True,
            audit_event="grants.organisation_suspended",
        ),
        Transition(
            "reinstate",
            O.SUSPENDED,
            O.VERIFIED,
            label=_("Cabut sanksi lembaga"),
            permission=SANCTION_ORGANISATIONS,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.organisation_reinstated",
        ),
        Transition(
            "reinstate_automatically",
            O.SUSPENDED,
            O.VERIFIED,
            label=_("Sanksi dicabut otomatis (LPJ diterima)"),
            system=True,
            requires_reason=True,
            audit_event="grants.organisation_reinstated",
        ),
    ],
)


OPEN_PROPOSAL_STATES = (
    S.DRAFT,
    S.SUBMITTED,
    S.RETURNED,
    S.COMPLETE,
    S.ROUTING,
    S.EVALUATION,
    S.RECOMMENDED,
    S.VERIFIED,
    S.TAPD_APPROVED,
    S.IN_DECREE,
    S.NPHD_SIGNED,
    S.DISBURSING,
    S.IN_PROGRESS,
    S.LPJ_SUBMITTED,
    S.LPJ_REJECTED,
    S.LPJ_OVERDUE,
)

PROPOSAL_WORKFLOW = Workflow(
    name=PROPOSAL_WORKFLOW_NAME,
    model="grants.Proposal",
    label=_("Proposal hibah/bansos"),
    status_field="status",
    version_field="version",
    party_fields=("applicant",),
    org_unit_field="org_unit",
    timeline_url=proposal_url,
    states=[
        State(S.DRAFT, holder=_("Pemohon")),
        State(S.SUBMITTED, holder=_("Bagian TU Pimpinan"), holder_role="grants_tu"),
        State(S.RETURNED, holder=_("Pemohon")),
        State(S.COMPLETE, holder=_("Kepala Daerah"), holder_role="grants_head"),
        State(S.ROUTING, holder=_("Tim Pertimbangan"), holder_role="grants_committee"),
        State(S.EVALUATION, holder=_("Perangkat daerah teknis"), holder_role="grants_evaluator"),
        State(S.RECOMMENDED, holder=_("Tim Pertimbangan"), holder_role="grants_committee"),
        State(S.VERIFIED, holder=_("TAPD"), holder_role="grants_tapd"),
        State(S.TAPD_APPROVED, holder=_("Pengelola hibah (DNC PBH)"), holder_role="grants_admin"),
        State(S.NOT_BUDGETED, is_final=True),
        State(S.REJECTED, is_final=True),
        State(S.IN_DECREE, holder=_("Lembaga dan Kepala Daerah (NPHD)"), holder_role="grants_head"),
        State(S.NPHD_SIGNED, holder=_("Bendahara/PPKD"), holder_role="grants_treasurer"),
        State(S.DISBURSING, holder=_("Bendahara/PPKD"), holder_role="grants_treasurer"),
        State(S.IN_PROGRESS, holder=_("Lembaga penerima (pelaksanaan dan LPJ)")),
        State(S.LPJ_SUBMITTED, holder=_("Pemeriksa LPJ"), holder_role="grants_lpj_reviewer"),
        State(S.LPJ_REJECTED, holder=_("Lembaga penerima (perbaikan LPJ)")),
        State(S.LPJ_OVERDUE, holder=_("Lembaga penerima (tunggakan LPJ)")),
        State(S.CLOSED, is_final=True),
        State(S.CANCELLED, is_final=True),
    ],
    transitions=[
        Transition(
            "submit",
            S.DRAFT,
            S.SUBMITTED,
            label=_("Ajukan proposal"),
            actor_is_applicant=True,
            guards=[proposal_eligible],
            sla_working_days=SLA_COMPLETENESS,
            audit_event="grants.proposal_submitted",
        ),
        Transition(
            "mark_complete",
            S.SUBMITTED,
            S.COMPLETE,
            label=_("Nyatakan lengkap"),
            permission=CHECK_COMPLETENESS,
            guards=[not_party_to_organisation, checklist_complete],
            sla_working_days=SLA_REVIEW,
            audit_event="grants.proposal_complete",
        ),
        Transition(
            "return_incomplete",
            S.SUBMITTED,
            S.RETURNED,
            label=_("Kembalikan (belum lengkap)"),
            permission=CHECK_COMPLETENESS,
            requires_reason=True,
            pauses_clock=True,
            guards=[not_party_to_organisation, missing_codes_named],
            audit_event="grants.proposal_returned",
        ),
        Transition(
            "resubmit",
            S.RETURNED,
            S.SUBMITTED,
            label=_("Ajukan kembali"),
            actor_is_applicant=True,
            resumes_clock=True,
            guards=[proposal_eligible],
            audit_event="grants.proposal_resubmitted",
        ),
        Transition(
            "review",
            S.COMPLETE,
            S.ROUTING,
            label=_("Telaah Kepala Daerah: lanjut"),
            permission=REVIEW_PROPOSALS,
            guards=[not_party_to_organisation],
            sla_working_days=SLA_ROUTING,
            audit_event="grants.proposal_reviewed",
        ),
        Transition(
            "reject_at_review",
            S.COMPLETE,
            S.REJECTED,
            label=_("Telaah Kepala Daerah: tolak"),
            permission=REVIEW_PROPOSALS,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.proposal_rejected",
        ),
        Transition(
            "route",
            S.ROUTING,
            S.EVALUATION,
            label=_("Disposisi ke perangkat daerah teknis"),
            permission=ROUTE_PROPOSALS,
            guards=[not_party_to_organisation, office_named],
            sla_working_days=SLA_EVALUATION,
            audit_event="grants.proposal_routed",
        ),
        Transition(
            "recommend",
            S.EVALUATION,
            S.RECOMMENDED,
            label=_("Rekomendasikan nilai hibah"),
            permission=EVALUATE,
            guards=[not_party_to_organisation, evaluation_done],
            sla_working_days=SLA_VERIFICATION,
            audit_event="grants.proposal_recommended",
        ),
        Transition(
            "reject_at_evaluation",
            S.EVALUATION,
            S.REJECTED,
            label=_("Tidak direkomendasikan perangkat daerah"),
            permission=EVALUATE,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.proposal_rejected",
        ),
        Transition(
            "verify_amount",
            S.RECOMMENDED,
            S.VERIFIED,
            label=_("Verifikasi nilai oleh Tim Pertimbangan"),
            permission=VERIFY_AMOUNT,
            guards=[not_party_to_organisation, amount_within_office],
            sla_working_days=SLA_TAPD,
            audit_event="grants.proposal_amount_verified",
        ),
        Transition(
            "reject_at_verification",
            S.RECOMMENDED,
            S.REJECTED,
            label=_("Tidak direkomendasikan Tim Pertimbangan"),
            permission=VERIFY_AMOUNT,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.proposal_rejected",
        ),
        Transition(
            "tapd_approve",
            S.VERIFIED,
            S.TAPD_APPROVED,
            label=_("Pertimbangan TAPD: dianggarkan"),
            permission=CONSIDER_TAPD,
            requires_second_factor=True,
            guards=[not_party_to_organisation, amount_within_committee],
            stops_clock=True,
            audit_event="grants.proposal_tapd_approved",
        ),
        Transition(
            "mark_not_budgeted",
            S.VERIFIED,
            S.NOT_BUDGETED,
            label=_("Pertimbangan TAPD: tidak dianggarkan"),
            permission=CONSIDER_TAPD,
            requires_second_factor=True,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.proposal_not_budgeted",
        ),
        Transition(
            "include_in_decree",
            S.TAPD_APPROVED,
            S.IN_DECREE,
            label=_("Ditetapkan dalam DNC PBH"),
            permission=APPROVE_DECREE,
            requires_second_factor=True,
            guards=[not_party_to_organisation, listed_in_approved_decree],
            audit_event="grants.proposal_in_decree",
        ),
        Transition(
            "sign_nphd",
            S.IN_DECREE,
            S.NPHD_SIGNED,
            label=_("Tandatangani NPHD (pihak pemerintah daerah)"),
            permission=SIGN_NPHD,
            requires_second_factor=True,
            guards=[not_party_to_organisation, recipient_signed_nphd],
            audit_event="grants.nphd_signed",
        ),
        Transition(
            "request_disbursement",
            S.NPHD_SIGNED,
            S.DISBURSING,
            label=_("Ajukan pencairan"),
            permission=DISBURSE,
            guards=[not_party_to_organisation, ready_for_disbursement],
            audit_event="grants.disbursement_requested",
        ),
        Transition(
            "confirm_disbursement",
            S.DISBURSING,
            S.IN_PROGRESS,
            label=_("Pencairan (SP2D LS) dikonfirmasi"),
            permission=DISBURSE,
            guards=[not_party_to_organisation],
            audit_event="grants.disbursement_confirmed",
        ),
        Transition(
            "record_bank_confirmation",
            S.DISBURSING,
            S.IN_PROGRESS,
            label=_("Pencairan dikonfirmasi bank"),
            system=True,
            audit_event="grants.disbursement_confirmed",
        ),
        Transition(
            "request_next_tranche",
            S.IN_PROGRESS,
            S.DISBURSING,
            label=_("Ajukan pencairan tahap berikutnya"),
            permission=DISBURSE,
            guards=[not_party_to_organisation],
            audit_event="grants.disbursement_requested",
        ),
        Transition(
            "submit_lpj",
            (S.IN_PROGRESS, S.LPJ_REJECTED, S.LPJ_OVERDUE),
            S.LPJ_SUBMITTED,
            label=_("Serahkan LPJ"),
            actor_is_applicant=True,
            audit_event="grants.lpj_submitted",
        ),
        Transition(
            "accept_lpj",
            S.LPJ_SUBMITTED,
            S.CLOSED,
            label=_("Terima LPJ"),
            permission=REVIEW_LPJ,
            guards=[not_party_to_organisation],
            audit_event="grants.lpj_accepted",
        ),
        Transition(
            "reject_lpj",
            S.LPJ_SUBMITTED,
            S.LPJ_REJECTED,
            label=_("Kembalikan LPJ untuk perbaikan"),
            permission=REVIEW_LPJ,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.lpj_rejected",
        ),
        Transition(
            "mark_lpj_overdue",
            (S.IN_PROGRESS, S.LPJ_REJECTED),
            S.LPJ_OVERDUE,
            label=_("Tunggakan LPJ (lewat batas waktu)"),
            system=True,
            audit_event="grants.lpj_overdue",
        ),
        Transition(
            "withdraw",
            (S.DRAFT, S.SUBMITTED, S.RETURNED),
            S.CANCELLED,
            label=_("Batalkan proposal"),
            actor_is_applicant=True,
            audit_event="grants.proposal_withdrawn",
        ),
        Transition(
            "cancel",
            tuple(state for state in OPEN_PROPOSAL_STATES if state != S.DRAFT),
            S.CANCELLED,
            label=_("Batalkan (dengan alasan)"),
            permission=CANCEL_PROPOSALS,
            requires_reason=True,
            guards=[not_party_to_organisation],
            audit_event="grants.proposal_cancelled",
        ),
    ],
    separation_of_duties=[
        DistinctActors("mark_complete", ("review", "recommend", "verify_amount", "tapd_approve")),
        DistinctActors(
            "recommend", ("verify_amount", "tapd_approve", "mark_not_budgeted", "include_in_decree")
        ),
        DistinctActors("verify_amount", ("tapd_approve", "mark_not_budgeted")),
        DistinctActors("route", ("recommend", "reject_at_evaluation")),
        DistinctActors("request_disbursement", ("accept_lpj", "reject_lpj")),
    ],
)


BANSOS_WORKFLOW = Workflow(
    name=BANSOS_WORKFLOW_NAME,
    model="grants.BansosCase",
    label=_("Penerima bansos"),
    status_field="status",
    version_field="version",
    states=[
        State(
            B.REGISTERED, holder=_("Pengelola bansos (verifikasi data sosial)"), holder_role="grants_admin"
        ),
        State(B.VERIFIED, holder=_("Pengelola bansos (penyaringan)"), holder_role="grants_admin"),
        State(B.SCREENED, holder=_("Pengelola bansos (keputusan penerima)"), holder_role="grants_admin"),
        State(B.IN_DECREE, holder=_("Bendahara/PPKD"), holder_role="grants_treasurer"),
        State(B.DISBURSED, holder=_("Pengelola bansos (pertanggungjawaban)"), holder_role="grants_admin"),
        State(B.CLOSED, is_final=True),
        State(B.CANCELLED, is_final=True),
    ],
    transitions=[
        Transition(
            "verify_social_data",
            B.REGISTERED,
            B.VERIFIED,
            label=_("Verifikasi data sosial (DTKS/DTSEN)"),
            permission=MANAGE_BANSOS,
            guards=[social_data_present],
            audit_event="grants.bansos_verified",
        ),
        Transition(
            "mark_screened",
            B.VERIFIED,
            B.SCREENED,
            label=_("Lolos penyaringan ganda"),
            permission=MANAGE_BANSOS,
            guards=[no_open_screening_flags],
            audit_event="grants.bansos_screened",
        ),
        Transition(
            "include_in_decree",
            B.SCREENED,
            B.IN_DECREE,
            label=_("Ditetapkan dalam keputusan penerima"),
            permission=APPROVE_DECREE,
            requires_second_factor=True,
            guards=[listed_in_approved_decree],
            audit_event="grants.bansos_in_decree",
        ),
        Transition(
            "record_disbursement",
            B.IN_DECREE,
            B.DISBURSED,
            label=_("Bansos disalurkan"),
            permission=DISBURSE,
            audit_event="grants.bansos_disbursed",
        ),
        Transition(
            "record_bank_confirmation",
            B.IN_DECREE,
            B.DISBURSED,
            label=_("Penyaluran dikonfirmasi bank"),
            system=True,
            audit_event="grants.bansos_disbursed",
        ),
        Transition(
            "close",
            B.DISBURSED,
            B.CLOSED,
            label=_("Tutup (pertanggungjawaban diterima)"),
            permission=REVIEW_LPJ,
            audit_event="grants.bansos_closed",
        ),
        Transition(
            "cancel",
            (B.REGISTERED, B.VERIFIED, B.SCREENED, B.IN_DECREE),
            B.CANCELLED,
            label=_("Batalkan (dengan alasan)"),
            permission=MANAGE_BANSOS,
            requires_reason=True,
            audit_event="grants.bansos_cancelled",
        ),
    ],
    separation_of_duties=[
        DistinctActors("verify_social_data", ("include_in_decree", "record_disbursement")),
        DistinctActors("record_disbursement", "close"),
    ],
)
