"""The grants module's permissions and roles (registered through the manifest).

Stage roles follow Sabilulungan's flow table: Bagian TU (completeness), Kepala Daerah (review,
decree approval, NPHD), Tim Pertimbangan (routing, amount verification), the technical office
(evaluation; grants scoped to its perangkat daerah), TAPD (final amount). Funds (G3) use DISBURSE
and REVIEW_LPJ; screening (G2) defines its own permissions.
"""

from django.utils.translation import gettext_lazy as _

from praja.core.permissions.roles import APPROVE, WORK_QUEUE, Role

VIEW_PROPOSALS = "grants.view_proposals"
CHECK_COMPLETENESS = "grants.check_completeness"
REVIEW_PROPOSALS = "grants.review_proposals"
ROUTE_PROPOSALS = "grants.route_proposals"
EVALUATE = "grants.evaluate"
VERIFY_AMOUNT = "grants.verify_amount"
CONSIDER_TAPD = "grants.consider_tapd"
PREPARE_DECREE = "grants.prepare_decree"
APPROVE_DECREE = "grants.approve_decree"
PREPARE_NPHD = "grants.prepare_nphd"
SIGN_NPHD = "grants.sign_nphd"
DISBURSE = "grants.disburse"
REVIEW_LPJ = "grants.review_lpj"
VERIFY_ORGANISATIONS = "grants.verify_organisations"
SANCTION_ORGANISATIONS = "grants.sanction_organisations"
MANAGE_PROGRAMMES = "grants.manage_programmes"
MANAGE_BANSOS = "grants.manage_bansos"
CANCEL_PROPOSALS = "grants.cancel_proposals"

TU = Role(
    "grants_tu",
    _("Bagian TU Pimpinan (pemeriksa kelengkapan proposal hibah)"),
    frozenset({WORK_QUEUE, VIEW_PROPOSALS, CHECK_COMPLETENESS}),
)
HEAD = Role(
    "grants_head",
    _("Kepala Daerah (telaah proposal, penetapan DNC PBH, penandatangan NPHD)"),
    frozenset({WORK_QUEUE, APPROVE, VIEW_PROPOSALS, REVIEW_PROPOSALS, APPROVE_DECREE, SIGN_NPHD}),
    requires_second_factor=True,
)
COMMITTEE = Role(
    "grants_committee",
    _("Tim Pertimbangan hibah dan bansos"),
    frozenset({WORK_QUEUE, VIEW_PROPOSALS, ROUTE_PROPOSALS, VERIFY_AMOUNT}),
)
EVALUATOR = Role(
    "grants_evaluator",
    _("Evaluator perangkat daerah teknis (SKPD)"),
    frozenset({WORK_QUEUE, VIEW_PROPOSALS, EVALUATE}),
)
TAPD = Role(
    "grants_tapd",
    _("Tim Anggaran Pemerintah Daerah (TAPD)"),
    frozenset({WORK_QUEUE, APPROVE, VIEW_PROPOSALS, CONSIDER_TAPD}),
    requires_second_factor=True,
)
ORGANISATION_VERIFIER = Role(
    "grants_org_verifier",
    _("Verifikator lembaga (Kesbangpol / SKPD pembina)"),
    frozenset({WORK_QUEUE, VERIFY_ORGANISATIONS, SANCTION_ORGANISATIONS}),
)
ADMIN = Role(
    "grants_admin",
    _("Pengelola hibah dan bansos (program, DNC PBH, NPHD, bansos)"),
    frozenset(
        {
            WORK_QUEUE,
            VIEW_PROPOSALS,
            MANAGE_PROGRAMMES,
            PREPARE_DECREE,
            PREPARE_NPHD,
            MANAGE_BANSOS,
            CANCEL_PROPOSALS,
        }
    ),
)
TREASURER = Role(
    "grants_treasurer",
    _("Bendahara/PPKD pencairan hibah dan bansos"),
    frozenset({WORK_QUEUE, VIEW_PROPOSALS, DISBURSE}),
    requires_second_factor=True,
)
LPJ_REVIEWER = Role(
    "grants_lpj_reviewer",
    _("Pemeriksa laporan pertanggungjawaban (LPJ) hibah"),
    frozenset({WORK_QUEUE, VIEW_PROPOSALS, REVIEW_LPJ}),
)

ROLES = (TU, HEAD, COMMITTEE, EVALUATOR, TAPD, ORGANISATION_VERIFIER, ADMIN, TREASURER, LPJ_REVIEWER)
