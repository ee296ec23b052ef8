"""The performance workflows as data.

performance.entry       submitted --approve--> approved
                        submitted --reject (reason)--> rejected
                        submitted --adjust (reason, minutes)--> adjusted
                        submitted --auto_approve (system, policy switch)--> approved
performance.config      draft --approve_config (Kepala BKPSDM, TOTP)--> approved
performance.absence     submitted --approve_absence | reject_absence (reason)--> approved | rejected
                        submitted --withdraw_absence (the employee)--> withdrawn
performance.correction  submitted --endorse_correction (direct supervisor)--> endorsed
                        submitted --reject_correction (direct supervisor, reason)--> rejected
                        endorsed --approve_correction (personnel admin, reason, TOTP)--> approved
                        endorsed --reject_correction_admin (personnel admin, reason)--> rejected
                        submitted | endorsed --withdraw_correction (the employee)--> withdrawn
                        (the admin's step must be taken by someone other than the endorsing supervisor)

Validation and approval of requests belong to the employee's direct supervisor only: the holder of
the position named as `supervisor` of the employee's position. A manual attendance correction then
needs the personnel admin (performance.manage_employees, scoped to the employee's perangkat daerah
for an admin OPD; BKPSDM everywhere): "manual corrections require supervisor + admin with reason".
The validation deadline is day N of the month after the entry's month (N from the config in force
for the entry's month).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from praja.core.workflow import DistinctActors, State, Transition, Workflow
from praja.modules.performance.models import ConfigStatus, CorrectionStatus, EntryStatus, RequestStatus
from praja.modules.performance.permissions import APPROVE_CONFIG, MANAGE_EMPLOYEES, VALIDATE_ENTRIES

ENTRY_WORKFLOW_NAME = "performance.entry"
CONFIG_WORKFLOW_NAME = "performance.config"
ABSENCE_WORKFLOW_NAME = "performance.absence"
CORRECTION_WORKFLOW_NAME = "performance.correction"


def is_direct_supervisor(case, *, actor, data):
    """Only the holder of the employee's supervisor position acts for the employee."""
    from praja.modules.performance.selectors import supervisor_user_id_of

    if actor is None or supervisor_user_id_of(case.employee) != actor.pk:
        return _(
            "Anda bukan atasan langsung %(name)s menurut rantai jabatan; hanya atasan langsung yang "
            "dapat memvalidasi atau menyetujui."
        ) % {"name": case.employee.user.full_name}
    return None


def before_validation_deadline(case, *, actor, data):
    from django.utils import timezone

    from praja.core.calendar.selectors import local_date
    from praja.modules.performance import rules

    deadline = rules.validation_deadline(case.date, case.config.validation_deadline_day)
    if local_date(case.tenant, timezone.now()) > deadline:
        return _(
            "Batas validasi aktivitas bulan ini sudah lewat (tanggal %(day)s bulan berikutnya, yaitu "
            "%(deadline)s); aktivitas tidak dapat divalidasi lagi."
        ) % {"day": case.config.validation_deadline_day, "deadline": deadline.strftime("%d-%m-%Y")}
    return None


def adjusted_minutes_in_range(case, *, actor, data):
    minutes = data.get("approved_minutes")
    if minutes is None or not 0 <= int(minutes) <= case.credited_minutes:
        return _(
            "Menit hasil revisi harus antara 0 dan %(max)s (menit yang dihitung untuk aktivitas ini)."
        ) % {"max": case.credited_minutes}
    return None


def config_is_complete(case, *, actor, data):
    if not case.allowances.exists():
        return _("Isi besaran TPP per kelas jabatan sebelum konfigurasi disetujui.")
    if not case.activities.exists():
        return _("Isi katalog aktivitas sebelum konfigurasi disetujui.")
    return None


def entry_url(case) -> str:
    from praja.core.tenancy.urls import tenant_reverse

    return tenant_reverse("performance-my-day", tenant=case.tenant) + f"?date={case.date.isoformat()}"


ENTRY_WORKFLOW = Workflow(
    name=ENTRY_WORKFLOW_NAME,
    model="performance.ActivityEntry",
    label=_("Aktivitas harian"),
    status_field="status",
    version_field="version",
    party_fields=("owner",),
    notify_parties=False,
    timeline_url=entry_url,
    states=[
        State(EntryStatus.SUBMITTED, holder=_("Atasan langsung")),
        State(EntryStatus.APPROVED, is_final=True),
        State(EntryStatus.REJECTED, is_final=True),
        State(EntryStatus.ADJUSTED, is_final=True),
    ],
    transitions=[
        Transition(
            "approve",
            EntryStatus.SUBMITTED,
            EntryStatus.APPROVED,
            permission=VALIDATE_ENTRIES,
            audit_event="performance.entry_approved",
            label=_("Setujui aktivitas"),
            guards=(is_direct_supervisor, before_validation_deadline),
        ),
        Transition(
            "reject",
            EntryStatus.SUBMITTED,
            EntryStatus.REJECTED,
            permission=VALIDATE_ENTRIES,
            audit_event="performance.entry_rejected",
            label=_("Tolak aktivitas"),
            requires_reason=True,
            guards=(is_direct_supervisor, before_validation_deadline),
        ),
        Transition(
            "adjust",
            EntryStatus.SUBMITTED,
            EntryStatus.ADJUSTED,
            permission=VALIDATE_ENTRIES,
            audit_event="performance.entry_adjusted",
            label=_("Revisi menit aktivitas"),
            requires_reason=True,
            guards=(is_direct_supervisor, before_validation_deadline, adjusted_minutes_in_range),
        ),
        Transition(
            "auto_approve",
            EntryStatus.SUBMITTED,
            EntryStatus.APPROVED,
            system=True,
            audit_event="performance.entry_auto_approved",
            label=_("Disetujui otomatis (kebijakan daerah)"),
        ),
    ],
)

CONFIG_WORKFLOW = Workflow(
    name=CONFIG_WORKFLOW_NAME,
    model="performance.PerformanceConfig",
    label=_("Konfigurasi kinerja"),
    status_field="status",
    version_field="row_version",
    notify_parties=False,
    states=[
        State(ConfigStatus.DRAFT, holder=_("BKPSDM")),
        State(ConfigStatus.APPROVED, is_final=True),
    ],
    transitions=[
        Transition(
            "approve_config",
            ConfigStatus.DRAFT,
            ConfigStatus.APPROVED,
            permission=APPROVE_CONFIG,
            audit_event="performance.config_approved",
            label=_("Setujui konfigurasi kinerja"),
            requires_second_factor=True,
            guards=(config_is_complete,),
        ),
    ],
)


def _request_workflow(name, model, label, prefix):
    return Workflow(
        name=name,
        model=model,
        label=label,
        status_field="status",
        version_field="version",
        party_fields=("owner",),
        states=[
            State(RequestStatus.SUBMITTED, holder=_("Atasan langsung")),
            State(RequestStatus.APPROVED, is_final=True),
            State(RequestStatus.REJECTED, is_final=True),
            State(RequestStatus.WITHDRAWN, is_final=True),
        ],
        transitions=[
            Transition(
                f"approve_{prefix}",
                RequestStatus.SUBMITTED,
                RequestStatus.APPROVED,
                permission=VALIDATE_ENTRIES,
                audit_event=f"performance.{prefix}_approved",
                label=_("Setujui"),
                guards=(is_direct_supervisor,),
            ),
            Transition(
                f"reject_{prefix}",
                RequestStatus.SUBMITTED,
                RequestStatus.REJECTED,
                permission=VALIDATE_ENTRIES,
                audit_event=f"performance.{prefix}_rejected",
                label=_("Tolak"),
                requires_reason=True,
                guards=(is_direct_supervisor,),
            ),
            Transition(
                f"withdraw_{prefix}",
                RequestStatus.SUBMITTED,
                RequestStatus.WITHDRAWN,
                actor_is_applicant=True,
                audit_event=f"performance.{prefix}_withdrawn",
                label=_("Batalkan permohonan"),
            ),
        ],
    )


ABSENCE_WORKFLOW = _request_workflow(
    ABSENCE_WORKFLOW_NAME, "performance.AbsenceRequest", _("Permohonan cuti/izin/sakit/dinas luar"), "absence"
)

CORRECTION_WORKFLOW = Workflow(
    name=CORRECTION_WORKFLOW_NAME,
    model="performance.AttendanceCorrection",
    label=_("Koreksi presensi"),
    status_field="status",
    version_field="version",
    party_fields=("owner",),
    org_unit_field="org_unit",
    states=[
        State(CorrectionStatus.SUBMITTED, holder=_("Atasan langsung")),
        State(CorrectionStatus.ENDORSED, holder=_("Admin kepegawaian")),
        State(CorrectionStatus.APPROVED, is_final=True),
        State(CorrectionStatus.REJECTED, is_final=True),
        State(CorrectionStatus.WITHDRAWN, is_final=True),
    ],
    transitions=[
        Transition(
            "endorse_correction",
            CorrectionStatus.SUBMITTED,
            CorrectionStatus.ENDORSED,
            permission=VALIDATE_ENTRIES,
            audit_event="performance.correction_endorsed",
            label=_("Setujui sebagai atasan"),
            guards=(is_direct_supervisor,),
        ),
        Transition(
            "reject_correction",
            CorrectionStatus.SUBMITTED,
            CorrectionStatus.REJECTED,
            permission=VALIDATE_ENTRIES,
            audit_event="performance.correction_rejected",
            label=_("Tolak"),
            requires_reason=True,
            guards=(is_direct_supervisor,),
        ),
        Transition(
            "approve_correction",
            CorrectionStatus.ENDORSED,
            CorrectionStatus.APPROVED,
            permission=MANAGE_EMPLOYEES,
            audit_event="performance.correction_approved",
            label=_("Setujui koreksi presensi (admin kepegawaian)"),
            requires_reason=True,
            requires_second_factor=True,
        ),
        Transition(
            "reject_correction_admin",
            CorrectionStatus.ENDORSED,
            CorrectionStatus.REJECTED,
            permission=MANAGE_EMPLOYEES,
            audit_event="performance.correction_rejected_by_admin",
            label=_("Tolak koreksi presensi (admin kepegawaian)"),
            requires_reason=True,
        ),
        Transition(
            "withdraw_correction",
            (CorrectionStatus.SUBMITTED, CorrectionStatus.ENDORSED),
            CorrectionStatus.WITHDRAWN,
            actor_is_applicant=True,
            audit_event="performance.correction_withdrawn",
            label=_("Batalkan permohonan"),
        ),
    ],
    separation_of_duties=(
        DistinctActors(
            first="endorse_correction",
            then=("approve_correction", "reject_correction_admin"),
            message=_(
                "Anda sudah menyetujui koreksi ini sebagai atasan; persetujuan admin kepegawaian harus "
                "oleh orang lain."
            ),
        ),
    ),
)

WORKFLOWS = (ENTRY_WORKFLOW, CONFIG_WORKFLOW, ABSENCE_WORKFLOW, CORRECTION_WORKFLOW)
