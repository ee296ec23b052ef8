"""Reads of the feedback app: IKM figures per permit type, office and period; complaints.

Public faces other code uses:
    has_survey_response(application) -> bool
    ikm_for_permit_type(permit_type, period=None) -> IkmResult(exact, official, grade, respondents)
    ikm_for_org_unit(org_unit, period=None) / ikm_for_tenant(period=None) -> IkmResult
    list_ikm_by_permit_type(period=None) / list_ikm_by_org_unit(period=None) -> [IkmRow]
    complaint_work_queue_items(user) -> work-queue items (the manifest's work_queue shape)
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, F, QuerySet, Sum
from django.http import Http404

from praja.core.calendar.selectors import tenant_timezone
from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import VIEW_ALL_CASES
from praja.core.tenancy.context import require_current_tenant
from praja.modules.licensing.feedback import rules
from praja.modules.licensing.feedback.constants import (
    FEEDBACK_DEFAULT_PARAMETERS,
    ComplaintBand,
    ComplaintStatus,
)
from praja.modules.licensing.feedback.models import Complaint, SurveyAnswer, SurveyResponse
from praja.modules.licensing.permissions import HANDLE_COMPLAINTS, VIEW_PERFORMANCE

MODULE_NAME = "licensing"


def get_feedback_parameters(tenant) -> dict:
    """The tenant's complaint and rate parameters (module "licensing"), defaults filled in."""
    from praja.core.tenancy.models import TenantModule

    row = TenantModule.all_tenants.filter(tenant=tenant, module=MODULE_NAME).only("parameters").first()
    stored = row.parameters if row is not None else {}
    return {key: stored.get(key, default) for key, default in FEEDBACK_DEFAULT_PARAMETERS.items()}


# Survey ----------------------------------------------------------------------------------------


def has_survey_response(application) -> bool:
    """Whether the applicant already filled the satisfaction survey for `application`."""
    return SurveyResponse.all_tenants.filter(
        tenant_id=application.tenant_id, application=application
    ).exists()


def can_view_ikm(user) -> bool:
    return has_permission(user, VIEW_PERFORMANCE) or has_permission(user, VIEW_ALL_CASES)


@dataclass(frozen=True)
class IkmResult:
    exact: Decimal | None
    official: Decimal | None
    grade: str
    respondents: int
    grade_label: str = ""
    elements: tuple = field(default=())


@dataclass(frozen=True)
class IkmRow:
    key: int | None
    name: str
    result: IkmResult


def _as_period(period) -> rules.Period | None:
    if period is None or isinstance(period, rules.Period):
        return period
    return rules.parse_period(str(period))


def _period_bounds(period: rules.Period) -> tuple[datetime.datetime, datetime.datetime]:
    """The period's local dates in the tenant's timezone, as aware datetimes [start, end)."""
    zone = tenant_timezone(require_current_tenant())
    start = datetime.datetime.combine(period.start, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(period.end, datetime.time.min, tzinfo=zone)
    return start, end


def _responses(period=None, **filters) -> QuerySet:
    responses = SurveyResponse.objects.filter(**filters)
    period = _as_period(period)
    if period is not None:
        start, end = _period_bounds(period)
        responses = responses.filter(submitted_at__gte=start, submitted_at__lt=end)
    return responses


def _result(figures: rules.IkmFigures) -> IkmResult:
    return IkmResult(
        exact=figures.exact,
        official=figures.official,
        grade=figures.grade,
        respondents=figures.respondents,
        grade_label=figures.grade_label,
        elements=figures.elements,
    )


def _ikm_of(responses: QuerySet) -> IkmResult:
    totals = {
        row["element"]: (row["total"], row["answered"])
        for row in SurveyAnswer.objects.filter(response__in=responses)
        .values("element")
        .annotate(total=Sum("score"), answered=Count("pk"))
        .order_by("element")
    }
    return _result(rules.compute_ikm(totals, responses.count()))


def ikm_for_permit_type(permit_type, period=None) -> IkmResult:
    """IKM of one permit type (all time, or a Period / "2026", "2026-Q2", "2026-05")."""
    return _ikm_of(_responses(period, permit_type=permit_type))


def ikm_for_org_unit(org_unit, period=None) -> IkmResult:
    """IKM of the services an office (responsible perangkat daerah) is responsible for."""
    return _ikm_of(_responses(period, org_unit=org_unit))


def ikm_for_tenant(period=None) -> IkmResult:
    """IKM of every licensing response in the active tenant (online and kiosk)."""
    return _ikm_of(_responses(period))


def _grouped(period, group_field: str) -> dict[int | None, IkmResult]:
    responses = _responses(period)
    respondents = dict(
        responses.values_list(group_field)
        .annotate(count=Count("pk"))
        .order_by(group_field)
        .values_list(group_field, "count")
    )
    totals: dict[int | None, dict[str, tuple[int, int]]] = defaultdict(dict)
    for row in (
        SurveyAnswer.objects.filter(response__in=responses)
        .values(f"response__{group_field}", "element")
        .annotate(total=Sum("score"), answered=Count("pk"))
        .order_by(f"response__{group_field}", "element")
    ):
        totals[row[f"response__{group_field}"]][row["element"]] = (row["total"], row["answered"])
    return {key: _result(rules.compute_ikm(totals[key], count)) for key, count in respondents.items()}


def list_ikm_by_permit_type(period=None) -> list[IkmRow]:
    """IKM of each permit type with responses in the period (kiosk answers without one: "Umum")."""
    from praja.modules.licensing.models import PermitType

    results = _grouped(period, "permit_type")
    names = dict(PermitType.objects.filter(pk__in=[key for key in results if key]).values_list("pk", "name"))
    rows = [IkmRow(key, names.get(key, ""), result) for key, result in results.items() if key is not None]
    rows.sort(key=lambda row: row.name)
    if None in results:
        rows.append(IkmRow(None, _general_service_label(), results[None]))
    return rows


def list_ikm_by_org_unit(period=None) -> list[IkmRow]:
    from praja.core.accounts.models import OrgUnit

    results = _grouped(period, "org_unit")
    names = dict(OrgUnit.objects.filter(pk__in=[key for key in results if key]).values_list("pk", "name"))
    rows = [IkmRow(key, names.get(key, ""), result) for key, result in results.items() if key is not None]
    rows.sort(key=lambda row: row.name)
    if None in results:
        rows.append(IkmRow(None, _general_service_label(), results[None]))
    return rows


def _general_service_label() -> str:
    from django.utils.translation import gettext

    return gettext("Layanan umum (kios, tanpa jenis izin)")


def list_demographics(period=None) -> dict[str, list[tuple[str, int]]]:
    """Respondents counted by age band, sex, education and occupation, in the choices' order."""
    from praja.modules.licensing.feedback.constants import AgeBand, Education, Occupation, Sex

    responses = _responses(period)
    tables = {}
    for name, choices in (
        ("age_band", AgeBand),
        ("sex", Sex),
        ("education", Education),
        ("occupation", Occupation),
    ):
        counts = dict(
            responses.values_list(name).annotate(count=Count("pk")).order_by(name).values_list(name, "count")
        )
        tables[name] = [(str(label), counts.get(value, 0)) for value, label in choices.choices]
    return tables


def list_suggestions(period=None, *, limit: int = 50) -> list[SurveyResponse]:
    return list(_responses(period).exclude(suggestion="").select_related("permit_type")[:limit])


def list_ikm_reports():
    from praja.modules.licensing.feedback.models import IkmReport

    return list(IkmReport.objects.select_related("document", "created_by")[:20])


def list_permit_types_for_forms():
    """Published permit types of the active tenant, for the kiosk and complaint forms."""
    from praja.modules.licensing.models import PermitType

    return PermitType.objects.filter(is_published=True).order_by("name")


def list_assignable_officials():
    """Active people holding a role with the work-queue permission in the active tenant."""
    from praja.core.accounts.models import RoleGrant, User
    from praja.core.permissions.roles import WORK_QUEUE, all_roles

    roles = [role.name for role in all_roles() if WORK_QUEUE in role.permissions]
    user_ids = RoleGrant.objects.filter(role__in=roles, revoked_at__isnull=True).values("user_id")
    return User.objects.filter(pk__in=user_ids, is_active=True).order_by("full_name", "pk")


def list_org_units():
    from praja.core.accounts.models import OrgUnit

    return OrgUnit.objects.order_by("name")


# Complaints ------------------------------------------------------------------------------------


def access_digest(token: str) -> str:
    """HMAC of an anonymous complainant's access code: the database never holds the code itself."""
    return hmac.new(settings.SECRET_KEY.encode(), f"complaint:{token}".encode(), hashlib.sha256).hexdigest()


def can_handle_complaints(user) -> bool:
    return bool(user and user.is_authenticated) and has_permission(user, HANDLE_COMPLAINTS)


def access_complaint_by_id(user, complaint_id: int) -> Complaint:
    """The complaint, for its complainant, its assignee, complaints handlers and inspectors; else 404."""
    require_current_tenant()
    complaint = (
        Complaint.objects.filter(pk=complaint_id)
        .select_related("application", "permit_type", "assigned_to", "assigned_org_unit", "complainant")
        .first()
    )
    if complaint is None or not user.is_authenticated:
        raise Http404
    if (
        complaint.complainant_id == user.pk
        or complaint.assigned_to_id == user.pk
        or has_permission(user, HANDLE_COMPLAINTS)
        or has_permission(user, VIEW_ALL_CASES)
    ):
        return complaint
    raise Http404


def get_complaint_by_access_code(number: str, token: str) -> Complaint | None:
    """The complaint with this number, when `token` is its access code (constant-time compare)."""
    complaint = Complaint.objects.filter(number=(number or "").strip().upper()).first()
    if complaint is None or not token:
        return None
    if not hmac.compare_digest(complaint.access_digest, access_digest(token.strip())):
        return None
    return complaint


def list_complaints_for_user(user) -> list[Complaint]:
    return list(Complaint.objects.filter(complainant=user).select_related("permit_type")[:200])


def list_complaints_for_handling(user, *, status: str = "") -> list[Complaint]:
    """Handlers see every complaint (oldest open first); other officials those assigned to them."""
    complaints = Complaint.objects.select_related("permit_type", "assigned_to").order_by("received_at", "pk")
    if not (can_handle_complaints(user) or has_permission(user, VIEW_ALL_CASES)):
        complaints = complaints.filter(assigned_to=user)
    if status:
        complaints = complaints.filter(status=status)
    else:
        complaints = complaints.exclude(status__in=[ComplaintStatus.CLOSED, ComplaintStatus.REJECTED])
    return list(complaints[:500])


@dataclass(frozen=True)
class ComplaintRegister:
    total: int
    by_status: list[tuple[str, str, int]]
    by_band: list[tuple[str, int]]
    by_month: list[tuple[str, int]]
    answered_within_deadline: int
    answered: int


def get_complaint_register(year: int) -> ComplaintRegister:
    """Counts for the public register: no names, no texts, only numbers per status, band and month."""
    from django.contrib.contenttypes.models import ContentType

    from praja.core.workflow.models import SlaClock

    period = rules.year_period(year)
    start, end = _period_bounds(period)
    complaints = Complaint.objects.filter(received_at__gte=start, received_at__lt=end).exclude(
        status=ComplaintStatus.NEW
    )
    status_counts = dict(
        complaints.values_list("status").annotate(n=Count("pk")).order_by("status").values_list("status", "n")
    )
    band_counts = dict(
        complaints.exclude(band="")
        .values_list("band")
        .annotate(n=Count("pk"))
        .order_by("band")
        .values_list("band", "n")
    )
    months = [0] * 12
    zone = tenant_timezone(require_current_tenant())
    for received in complaints.values_list("received_at", flat=True):
        months[received.astimezone(zone).month - 1] += 1
    answered_ids = [
        str(pk) for pk in complaints.filter(answered_at__isnull=False).values_list("pk", flat=True)
    ]
    on_time = SlaClock.objects.filter(
        content_type=ContentType.objects.get_for_model(Complaint),
        object_id__in=answered_ids,
        stopped_at__isnull=False,
        stopped_at__lte=F("due_at"),
    )
    return ComplaintRegister(
        total=sum(status_counts.values()),
        by_status=[
            (value, str(label), status_counts.get(value, 0))
            for value, label in ComplaintStatus.choices
            if value != ComplaintStatus.NEW
        ],
        by_band=[(str(label), band_counts.get(value, 0)) for value, label in ComplaintBand.choices],
        by_month=[(rules.MONTH_NAMES[index], count) for index, count in enumerate(months)],
        answered_within_deadline=on_time.count(),
        answered=len(answered_ids),
    )


def complaint_work_queue_items(user) -> list[dict]:
    """Open complaints the official can act on, oldest first, in the work-queue page's shape."""
    from praja.core.tenancy.urls import tenant_reverse
    from praja.core.workflow.selectors import get_sla_status

    if not (user and user.is_authenticated):
        return []
    items = []
    is_handler = can_handle_complaints(user)
    for complaint in list_complaints_for_handling(user):
        if complaint.assigned_to_id != user.pk and not is_handler:
            continue  # inspectors read every complaint but act on none
        sla = get_sla_status(complaint)
        items.append(
            {
                "title": f"{complaint.number} · {complaint.subject}",
                "url": tenant_reverse("licensing-complaint-detail", kwargs={"complaint_id": complaint.pk}),
                "status_label": str(complaint.get_status_display()),
                "since": sla.started_at if sla else complaint.received_at,
                "sla_days_left": sla.working_days_left if sla and not sla.is_stopped else None,
            }
        )
    return items
