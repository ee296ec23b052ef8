"""Reads of the licensing module: catalogue, applications, queues, SLA compliance."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.utils import timezone

from praja.core.calendar.selectors import working_days_between
from praja.core.permissions.checks import active_roles, has_permission
from praja.core.permissions.roles import VIEW_ALL_CASES
from praja.core.tenancy.urls import tenant_reverse
from praja.core.workflow.models import CaseEvent
from praja.core.workflow.selectors import get_sla_clock, get_sla_status
from praja.modules.licensing import rules
from praja.modules.licensing.models import (
    Application,
    ApplicationStatus,
    Permit,
    PermitType,
    RequirementSet,
)
from praja.modules.licensing.permissions import (
    ASSIGN_TEAM,
    CHECK_COMPLETENESS,
    DECIDE,
    REGISTER,
    REVIEW,
    VIEW_APPLICATIONS,
    VIEW_PERFORMANCE,
)

S = ApplicationStatus
FINISHED_STATUSES = (S.ISSUED, S.REJECTED, S.REVOKED)
# Which permission works each queue status (first in, first out per permit type).
QUEUE_STATUSES = {
    S.SUBMITTED: CHECK_COMPLETENESS,
    S.COMPLETE: REGISTER,
    S.REGISTERED: ASSIGN_TEAM,
    S.RECOMMENDED_APPROVE: DECIDE,
    S.RECOMMENDED_REJECT: DECIDE,
}
TEAM_STATUSES = (S.TECHNICAL_REVIEW, S.FIELD_INSPECTION)


# --- Catalogue -----------------------------------------------------------------------------------


def list_published_permit_types() -> QuerySet[PermitType]:
    return (
        PermitType.objects.filter(is_published=True).select_related("responsible_org_unit").order_by("name")
    )


def list_permit_types() -> QuerySet[PermitType]:
    return PermitType.objects.select_related("responsible_org_unit").order_by("name")


def access_permit_type_for_catalogue_by_id(user, permit_type_id: int) -> PermitType:
    """A permit type of the active tenant for its catalogue admin; DoesNotExist otherwise."""
    from praja.modules.licensing.catalogue import can_manage_catalogue

    permit_type = PermitType.objects.filter(pk=permit_type_id).first()
    if permit_type is None or not can_manage_catalogue(user):
        raise PermitType.DoesNotExist
    return permit_type


def access_requirement_set_for_catalogue_by_id(user, requirement_set_id: int) -> RequirementSet:
    """A requirement version of the active tenant for its catalogue admin; DoesNotExist otherwise."""
    from praja.modules.licensing.catalogue import can_manage_catalogue

    version = RequirementSet.objects.select_related("permit_type").filter(pk=requirement_set_id).first()
    if version is None or not can_manage_catalogue(user):
        raise RequirementSet.DoesNotExist
    return version


def get_published_permit_type(code: str) -> PermitType | None:
    return list_published_permit_types().filter(code=code).first()


def get_current_requirement_set(
    permit_type: PermitType, *, at: datetime.datetime | None = None
) -> RequirementSet | None:
    """The published version in force at `at` (default now): the latest with effective_from <= at."""
    at = at or timezone.now()
    return (
        permit_type.requirement_sets.filter(published_at__isnull=False, effective_from__lte=at)
        .order_by("-version")
        .first()
    )


def get_draft_requirement_set(permit_type: PermitType) -> RequirementSet | None:
    return permit_type.requirement_sets.filter(published_at__isnull=True).order_by("-version").first()


# --- Applications -----------------------------------------------------------------------------------


def is_licensing_official(user, application: Application | None = None) -> bool:
    org_unit = application.org_unit if application is not None else None
    return has_permission(user, VIEW_APPLICATIONS, org_unit=org_unit) or has_permission(user, VIEW_ALL_CASES)


def access_application_by_id(user, application_id: int) -> Application:
    """The applicant's own file, or any file for a licensing official of this tenant (scoped ones: their
    office's). Missing and forbidden alike raise Application.DoesNotExist."""
    if user is None or not user.is_authenticated:
        raise Application.DoesNotExist
    application = (
        Application.objects.select_related("permit_type", "requirement_set", "applicant", "org_unit")
        .filter(pk=application_id)
        .first()
    )
    if application is None:
        raise Application.DoesNotExist
    if application.applicant_id == user.pk:
        return application
    if application.status != S.DRAFT and is_licensing_official(user, application):
        return application
    raise Application.DoesNotExist


def access_permit_by_id(user, permit_id: int) -> Permit:
    permit = (
        Permit.objects.select_related("application", "permit_type", "official_document")
        .filter(pk=permit_id)
        .first()
    )
    if permit is None:
        raise Permit.DoesNotExist
    try:
        access_application_by_id(user, permit.application_id)
    except Application.DoesNotExist:
        raise Permit.DoesNotExist from None
    return permit


def get_application_by_tracking_number(number: str) -> Application | None:
    """The active tenant's application with this tracking number (public tracking; no access check)."""
    number = (number or "").strip().upper()
    if not number:
        return None
    return Application.objects.select_related("permit_type").filter(tracking_number=number).first()


def list_applications_for_statistics(
    permit_type: PermitType | None = None, period=None
) -> QuerySet[Application]:
    """Submitted applications of the active tenant; `period` is (date_from, date_to) on submitted_at."""
    rows = Application.objects.exclude(status=S.DRAFT).filter(submitted_at__isnull=False)
    if permit_type is not None:
        rows = rows.filter(permit_type=permit_type)
    if period is not None:
        date_from, date_to = period
        if date_from:
            rows = rows.filter(submitted_at__date__gte=date_from)
        if date_to:
            rows = rows.filter(submitted_at__date__lte=date_to)
    return rows.select_related("permit_type")


def list_my_applications(user) -> QuerySet[Application]:
    return (
        Application.objects.filter(applicant=user)
        .select_related("permit_type")
        .order_by("-created_at", "-pk")
    )


def list_my_permits(user) -> QuerySet[Permit]:
    return (
        Permit.objects.filter(holder=user)
        .select_related("permit_type", "official_document")
        .order_by("-issued_at")
    )


def get_team_members(application: Application) -> list:
    assignment = application.assignments.order_by("-assigned_at", "-pk").first()
    return [member.user for member in assignment.members.select_related("user")] if assignment else []


def list_technical_officers(application: Application) -> list:
    """People who may sit on the technical team for this application (role valid for its office)."""
    from praja.core.accounts.models import RoleGrant, User

    grants = RoleGrant.objects.filter(role="licensing_technical", revoked_at__isnull=True)
    if application.org_unit_id:
        grants = grants.filter(Q(org_unit_id=application.org_unit_id) | Q(org_unit__isnull=True))
    return list(
        User.objects.filter(pk__in=grants.values("user_id"), is_active=True)
        .exclude(pk=application.applicant_id)
        .order_by("full_name")
    )


# --- Work queues -----------------------------------------------------------------------------------


def _queue_order(rows: QuerySet[Application]) -> QuerySet[Application]:
    return rows.order_by("queued_at", "pk")


def list_queue(user, *, permit_type: PermitType | None = None) -> list[Application]:
    """The files waiting for `user`, first in first out per permit type (team files: their own)."""
    statuses = [status for status, permission in QUEUE_STATUSES.items() if has_permission(user, permission)]
    rows = Application.objects.filter(status__in=statuses).select_related("permit_type", "applicant")
    if permit_type is not None:
        rows = rows.filter(permit_type=permit_type)
    items = list(_queue_order(rows).exclude(applicant=user))
    if has_permission(user, REVIEW):
        team_rows = Application.objects.filter(
            status__in=TEAM_STATUSES, assignments__members__user=user
        ).distinct()
        if permit_type is not None:
            team_rows = team_rows.filter(permit_type=permit_type)
        items += list(_queue_order(team_rows.select_related("permit_type", "applicant")))
    return items


def next_in_queue(application: Application) -> Application | None:
    """The oldest file in the same status and permit type (itself when it is first)."""
    return _queue_order(
        Application.objects.filter(status=application.status, permit_type_id=application.permit_type_id)
    ).first()


def is_out_of_turn(application: Application) -> bool:
    """Whether handling this file now would jump the first-in-first-out queue."""
    if application.status not in QUEUE_STATUSES:
        return False
    if (
        application.out_of_turn_at
        and application.queued_at
        and application.out_of_turn_at >= application.queued_at
    ):
        return False
    first = next_in_queue(application)
    return first is not None and first.pk != application.pk


def work_queue_items(user) -> list[dict]:
    """Manifest work_queue: the official's files in the shape the core queue page takes."""
    items = []
    for application in list_queue(user):
        sla = get_sla_status(application)
        items.append(
            {
                "title": f"{application.tracking_number} · {application.permit_type.name}",
                "url": tenant_reverse(
                    "licensing-official-application", kwargs={"application_id": application.pk}
                ),
                "status_label": str(application.get_status_display()),
                "since": application.queued_at or application.submitted_at,
                "sla_days_left": sla.working_days_left if sla and not sla.is_stopped else None,
            }
        )
    return items


# --- SLA compliance ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComplianceRow:
    label: str
    finished: int
    within_sla: int
    share: object  # Decimal percentage or None


def _finished_with_clocks(rows):
    """(application, within_sla) for finished files that had an SLA clock (registered ones)."""
    for application in rows:
        clock = get_sla_clock(application)
        if clock is None or clock.stopped_at is None:
            continue
        yield application, clock.stopped_at <= clock.due_at and clock.breached_at is None


def sla_compliance_by_permit_type(period=None) -> list[ComplianceRow]:
    rows = list_applications_for_statistics(period=period).filter(status__in=[S.ISSUED, S.REVOKED])
    grouped: dict[str, list[bool]] = {}
    for application, within in _finished_with_clocks(rows):
        grouped.setdefault(application.permit_type.name, []).append(within)
    return [
        ComplianceRow(label, (c := rules.compliance_of(values)).finished, c.within_sla, c.share)
        for label, values in sorted(grouped.items())
    ]


def sla_compliance_by_official(period=None) -> list[ComplianceRow]:
    """Per official: of the steps they took on files later issued, the share whose file met its SLA."""
    from django.contrib.contenttypes.models import ContentType

    rows = list_applications_for_statistics(period=period).filter(status__in=[S.ISSUED, S.REVOKED])
    outcomes = {app.pk: within for app, within in _finished_with_clocks(rows)}
    content_type = ContentType.objects.get_for_model(Application)
    grouped: dict[str, list[bool]] = {}
    events = CaseEvent.objects.filter(
        content_type=content_type, object_id__in=[str(pk) for pk in outcomes], actor__isnull=False
    ).exclude(transition__in=["submit", "resubmit", "resubmit_revision", "withdraw"])
    seen = set()
    for event in events.order_by("pk"):
        key = (event.actor_label, event.object_id)
        if key in seen:
            continue
        seen.add(key)
        grouped.setdefault(event.actor_label, []).append(outcomes[int(event.object_id)])
    return [
        ComplianceRow(label, (c := rules.compliance_of(values)).finished, c.within_sla, c.share)
        for label, values in sorted(grouped.items())
    ]


def sla_compliance_by_office(period=None) -> list[ComplianceRow]:
    rows = list_applications_for_statistics(period=period).filter(status__in=[S.ISSUED, S.REVOKED])
    grouped: dict[str, list[bool]] = {}
    for application, within in _finished_with_clocks(rows.select_related("org_unit")):
        label = str(application.org_unit) if application.org_unit_id else "DPMPTSP"
        grouped.setdefault(label, []).append(within)
    return [
        ComplianceRow(label, (c := rules.compliance_of(values)).finished, c.within_sla, c.share)
        for label, values in sorted(grouped.items())
    ]


def can_view_performance(user) -> bool:
    return has_permission(user, VIEW_PERFORMANCE) or has_permission(user, VIEW_ALL_CASES)


def working_days_to_issue(application: Application) -> int | None:
    """Working days from registration to issue, minus the days the clock was paused."""
    clock = get_sla_clock(application)
    if clock is None or clock.stopped_at is None:
        return None
    return (
        working_days_between(application.tenant, clock.started_at, clock.stopped_at)
        - clock.paused_working_days
    )


def has_any_licensing_role(user) -> bool:
    return any(role.startswith("licensing_") for role in active_roles(user))
