"""The workflow engine: every case's states and transitions as data, and the one function that
changes a status.

Declare a workflow in the module's ``transitions.py`` and list it in the manifest's ``workflows``
(or call ``register_workflow``)::

    from praja.core.workflow import DistinctActors, State, Transition, Workflow

    PERMIT_WORKFLOW = Workflow(
        name="licensing.permit",
        model="licensing.PermitApplication",
        status_field="status",            # a CharField, ideally with TextChoices
        version_field="version",          # optional: refuses stale forms even on a round trip
        party_fields=("applicant",),      # nobody acts on a case they are party to
        org_unit_field="org_unit",        # roles granted per perangkat daerah count only there
        states=[
            State(Status.DRAFT, holder=_("Pemohon")),
            State(Status.SUBMITTED, holder=_("Verifikator DPMPTSP"), holder_role="licensing_verifier"),
            State(Status.RETURNED, holder=_("Pemohon")),
            State(Status.VERIFIED, holder=_("Kepala DPMPTSP"), holder_role="approver"),
            State(Status.APPROVED, is_final=True),
        ],
        transitions=[
            Transition("submit", Status.DRAFT, Status.SUBMITTED, actor_is_applicant=True,
                       audit_event="licensing.permit_submitted", sla_working_days=5),
            Transition("return", Status.SUBMITTED, Status.RETURNED, permission=VERIFY,
                       requires_reason=True, pauses_clock=True, audit_event="licensing.permit_returned"),
            Transition("resubmit", Status.RETURNED, Status.SUBMITTED, actor_is_applicant=True,
                       resumes_clock=True, audit_event="licensing.permit_resubmitted"),
            Transition("verify", Status.SUBMITTED, Status.VERIFIED, permission=VERIFY,
                       guards=[documents_complete], audit_event="licensing.permit_verified"),
            Transition("approve", Status.VERIFIED, Status.APPROVED, permission=APPROVE,
                       requires_second_factor=True, audit_event="licensing.permit_approved"),
        ],
        separation_of_duties=[DistinctActors("verify", "approve")],
    )

A guard is ``guard(case, *, actor, data) -> None | message``. Then, in an action (outermost
transaction; `updates` and `effects` carry the other writes of the same step)::

    from praja.core.workflow.actions import transition

    transition(application, "approve", actor=request.user, request=request,
               updates={"approved_by": request.user}, data={"permit_number": number})

It locks the row, refuses a case that moved on since the actor loaded it (CaseMovedOn: "Berkas ini
sudah diproses oleh …"), checks source state, permission, separation of duties, second factor and
guards, then saves the status, records the audit event, appends the timeline entry and moves the
SLA clock, all in one transaction. Refusals are the typed errors of ``errors.py``. Reads:
``selectors.get_case_timeline(case)`` (entries, holder, since when, SLA working days left) and
``selectors.list_available_transitions(case, actor)``. The scheduled job
``actions.check_sla_breaches(tenant)`` marks overdue cases and escalates them to supervisors.

Assigning the status anywhere else is refused on save (StatusChangeOutsideWorkflow); demo loaders
and imports use ``registry.allow_status_assignment()``.
"""

from praja.core.workflow.definitions import DistinctActors, State, Transition, Workflow
from praja.core.workflow.errors import (
    CaseMovedOn,
    GuardFailed,
    PermissionDenied,
    SecondFactorRequired,
    SeparationOfDutiesViolation,
    StatusChangeOutsideWorkflow,
    TransitionNotAllowed,
    UnknownTransition,
    WorkflowError,
)
from praja.core.workflow.registry import (
    all_workflows,
    allow_status_assignment,
    get_workflow,
    get_workflow_for,
    register_workflow,
    undeclared_audit_events,
)

__all__ = [
    "CaseMovedOn",
    "DistinctActors",
    "GuardFailed",
    "PermissionDenied",
    "SecondFactorRequired",
    "SeparationOfDutiesViolation",
    "State",
    "StatusChangeOutsideWorkflow",
    "Transition",
    "TransitionNotAllowed",
    "UnknownTransition",
    "Workflow",
    "WorkflowError",
    "all_workflows",
    "allow_status_assignment",
    "get_case_timeline",
    "get_workflow",
    "get_workflow_for",
    "register_workflow",
    "transition",
    "undeclared_audit_events",
]


def __getattr__(name: str):
    # transition() and the selectors touch models, so they load on first use, after app loading.
    if name == "transition":
        from praja.core.workflow.actions import transition

        return transition
    if name == "get_case_timeline":
        from praja.core.workflow.selectors import get_case_timeline

        return get_case_timeline
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
