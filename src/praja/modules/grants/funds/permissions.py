"""Roles and permissions of grant disbursement, accountability reports (LPJ) and complaints."""

from django.utils.translation import gettext_lazy as _

from praja.core.permissions.roles import APPROVE, WORK_QUEUE, Role
from praja.modules.grants.permissions import DISBURSE, REVIEW_LPJ  # noqa: F401 (re-exported)

# G1's roles carry the two permissions shared with the proposal workflow: "grants_treasurer"
# (grants.disburse: payment orders, transfer files, SP2D confirmation) and "grants_lpj_reviewer"
# (grants.review_lpj).
TRANSFER = DISBURSE
REQUEST_TRANCHE = "grants_funds.request_tranche"
VERIFY_TRANCHE = "grants_funds.verify_tranche"
APPROVE_TRANCHE = "grants_funds.approve_tranche"
VIEW_FUNDS = "grants_funds.view"
HANDLE_COMPLAINTS = "grants_funds.handle_complaints"

DISBURSEMENT_OFFICER = Role(
    "grants_disbursement_officer",
    _("Pengelola pencairan hibah (PD pemberi hibah)"),
    frozenset({WORK_QUEUE, VIEW_FUNDS, REQUEST_TRANCHE}),
)
DISBURSEMENT_VERIFIER = Role(
    "grants_disbursement_verifier",
    _("Verifikator pencairan hibah (PPK-SKPD)"),
    frozenset({WORK_QUEUE, VIEW_FUNDS, VERIFY_TRANCHE}),
)
DISBURSEMENT_APPROVER = Role(
    "grants_disbursement_approver",
    _("Penyetuju pencairan hibah (PPKD/BUD)"),
    frozenset({WORK_QUEUE, APPROVE, VIEW_FUNDS, APPROVE_TRANCHE}),
    requires_second_factor=True,
)
COMPLAINTS_INSPECTOR = Role(
    "grants_complaints_inspector",
    _("Inspektorat: pengaduan hibah"),
    frozenset({WORK_QUEUE, VIEW_FUNDS, HANDLE_COMPLAINTS}),
)

ROLES = (
    DISBURSEMENT_OFFICER,
    DISBURSEMENT_VERIFIER,
    DISBURSEMENT_APPROVER,
    COMPLAINTS_INSPECTOR,
)
