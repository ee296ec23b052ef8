"""The performance module's permissions and roles (registered through the manifest).

Supervisors are not a role: an official validates the entries and requests of the holders of the
positions whose `supervisor` is their own position (praja.core.accounts Position chain). Logging
activities needs an `Employee` row (registered by the OPD's admin or BKPSDM, which also grants
`performance_pegawai` to people holding no role yet).
"""

from django.utils.translation import gettext_lazy as _

from praja.core.permissions.roles import APPROVE, WORK_QUEUE, Role

LOG_ACTIVITY = "performance.log_activity"
# Validation is open to any official with a work queue (core.work_queue: every ASN role holds it) and
# narrowed by the workflow guard to the direct supervisor in the Position chain; no separate role is
# needed, so a Kepala Dinas holding only "approver" validates their Kepala Bidang.
VALIDATE_ENTRIES = WORK_QUEUE
MANAGE_EMPLOYEES = "performance.manage_employees"
RECORD_APEL = "performance.record_apel"
VIEW_UNIT = "performance.view_unit"
VIEW_ALL = "performance.view_all"
MANAGE_CONFIG = "performance.manage_config"
APPROVE_CONFIG = "performance.approve_config"
POST_ATTENDANCE_EVENTS = "performance.post_attendance_events"

PEGAWAI = Role(
    "performance_pegawai",
    _("Pegawai ASN (e-Kinerja)"),
    frozenset({WORK_QUEUE, LOG_ACTIVITY}),
)
ADMIN_OPD = Role(
    "performance_admin_opd",
    _("Admin kepegawaian perangkat daerah"),
    frozenset({MANAGE_EMPLOYEES, RECORD_APEL, VIEW_UNIT}),
)
BKPSDM = Role(
    "performance_bkpsdm",
    _("BKPSDM (pengelola data induk kinerja)"),
    frozenset({MANAGE_CONFIG, MANAGE_EMPLOYEES, RECORD_APEL, VIEW_UNIT, VIEW_ALL}),
)
BKPSDM_HEAD = Role(
    "performance_bkpsdm_head",
    _("Kepala BKPSDM (penyetuju data induk kinerja)"),
    frozenset({APPROVE, APPROVE_CONFIG, VIEW_UNIT, VIEW_ALL}),
    requires_second_factor=True,
)
INSPECTOR = Role(
    "performance_inspector",
    _("Inspektorat (pemeriksa kinerja, hanya baca)"),
    frozenset({VIEW_UNIT, VIEW_ALL}),
    read_only=True,
)
TERMINAL = Role(
    "performance_terminal",
    _("Mesin presensi (akun mesin)"),
    frozenset({POST_ATTENDANCE_EVENTS}),
)

ROLES = (PEGAWAI, ADMIN_OPD, BKPSDM, BKPSDM_HEAD, INSPECTOR, TERMINAL)
