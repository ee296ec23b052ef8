"""The licensing module's permissions and roles (registered through the manifest)."""

from django.utils.translation import gettext_lazy as _

from praja.core.permissions.roles import APPROVE, WORK_QUEUE, Role

MANAGE_CATALOGUE = "licensing.manage_catalogue"
VIEW_APPLICATIONS = "licensing.view_applications"
CHECK_COMPLETENESS = "licensing.check_completeness"
REGISTER = "licensing.register"
ASSIGN_TEAM = "licensing.assign_team"
REVIEW = "licensing.review"
DECIDE = "licensing.decide"
REVOKE = "licensing.revoke"
VIEW_PERFORMANCE = "licensing.view_performance"
HANDLE_COMPLAINTS = "licensing.handle_complaints"

FRONT_OFFICE = Role(
    "licensing_front_office",
    _("Front office perizinan (pemeriksa kelengkapan)"),
    frozenset({WORK_QUEUE, VIEW_APPLICATIONS, CHECK_COMPLETENESS}),
)
BACK_OFFICE = Role(
    "licensing_back_office",
    _("Back office perizinan (registrasi dan penugasan tim)"),
    frozenset({WORK_QUEUE, VIEW_APPLICATIONS, REGISTER, ASSIGN_TEAM}),
)
TECHNICAL = Role(
    "licensing_technical",
    _("Tim teknis perangkat daerah"),
    frozenset({WORK_QUEUE, VIEW_APPLICATIONS, REVIEW}),
)
HEAD = Role(
    "licensing_head",
    _("Kepala DPMPTSP (penandatangan izin)"),
    frozenset({WORK_QUEUE, APPROVE, VIEW_APPLICATIONS, DECIDE, REVOKE, VIEW_PERFORMANCE}),
    requires_second_factor=True,
)
COMPLAINTS = Role(
    "licensing_complaints",
    _("Pengelola pengaduan perizinan"),
    frozenset({WORK_QUEUE, HANDLE_COMPLAINTS, VIEW_PERFORMANCE}),
)
ADMIN = Role(
    "licensing_admin",
    _("Admin katalog layanan perizinan"),
    frozenset({MANAGE_CATALOGUE, VIEW_PERFORMANCE}),
)

ROLES = (FRONT_OFFICE, BACK_OFFICE, TECHNICAL, HEAD, COMPLAINTS, ADMIN)
