"""Reads of the monthly close: who sees which results, dashboards' figures, signals.

Scope of results (one rule for pages, exports and the API):
- everyone sees their own result;
- a supervisor sees the results of the employees whose supervisor they were at close time;
- `performance.view_unit` granted for a perangkat daerah: that office's results (an unscoped grant
  sees all offices);
- `performance.view_all` (BKPSDM, its head, the inspectorate): the whole tenant.
Integrity signals: `performance.view_all` only.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Avg, Count, Max, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from praja.core.accounts.selectors import list_active_role_grants
from praja.core.calendar import selectors as calendar
from praja.core.permissions.checks import has_permission
from praja.core.permissions.roles import get_role
from praja.core.tenancy.context import require_current_tenant
from praja.modules.performance import rules as performance_rules
from praja.modules.performance.models import ActivityEntry, EntryStatus
from praja.modules.performance.tpp import rules
from praja.modules.performance.tpp.models import EmployeeMonthResult, IntegritySignal, MonthClose
from praja.modules.performance.tpp.permissions import (
    APPROVE_CLOSE,
    COMPUTE_CLOSE,
    VIEW_OFFICE_RESULTS,
    VIEW_SIGNALS,
    VIEW_TENANT_RESULTS,
)

ALL = "all"


def parse_month(value: str | None, default: datetime.date | None = None) -> datetime.date | None:
    """'2026-05' -> 1 May 2026; None (or the default) for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        return datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return default


def month_label(month: datetime.date) -> str:
    from django.utils.formats import date_format

    return date_format(month, "F Y")


# --- Closes ------------------------------------------------------------------------------------


def can_manage_closes(user) -> bool:
    return has_permission(user, COMPUTE_CLOSE) or has_permission(user, APPROVE_CLOSE)


def list_closes() -> QuerySet:
    return MonthClose.objects.select_related("computed_by", "approved_by", "locked_by").order_by(
        "-month", "-version"
    )


def latest_close(month: datetime.date) -> MonthClose | None:
    """The newest version of the month's close (whatever its status)."""
    return MonthClose.objects.filter(month=month.replace(day=1)).order_by("-version").first()


def latest_closed_months(limit: int = 12) -> list[datetime.date]:
    return list(MonthClose.objects.values_list("month", flat=True).distinct().order_by("-month")[:limit])


def latest_close_ids(months=None) -> list[int]:
    """Ids of the newest version of every (or each listed) month."""
    rows = MonthClose.objects.values("month").annotate(top=Max("version"))
    if months is not None:
        rows = rows.filter(month__in=months)
    wanted = {(row["month"], row["top"]) for row in rows}
    return [
        pk
        for pk, month, version in MonthClose.objects.values_list("pk", "month", "version")
        if (month, version) in wanted
    ]


def access_close_by_id(user, close_id) -> MonthClose:
    """The close if `user` manages closes or sees the tenant; DoesNotExist for missing and forbidden alike."""
    if not (can_manage_closes(user) or has_permission(user, VIEW_TENANT_RESULTS)):
        raise MonthClose.DoesNotExist
    return MonthClose.objects.select_related("config", "computed_by", "approved_by", "locked_by").get(
        pk=close_id
    )


# --- Result scope -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """What part of the tenant's results a user sees."""

    user_id: int | None
    everything: bool
    unit_ids: frozenset[int]
    is_supervisor: bool

    @property
    def level(self) -> str:
        if self.everything:
            return "tenant"
        if self.unit_ids:
            return "office"
        if self.is_supervisor:
            return "team"
        return "employee"

    def filter(self, queryset: QuerySet) -> QuerySet:
        if self.everything:
            return queryset
        condition = Q(user_id=self.user_id) | Q(supervisor_id=self.user_id)
        if self.unit_ids:
            condition |= Q(org_unit_id__in=self.unit_ids)
        return queryset.filter(condition)


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated:
        return Scope(None, False, frozenset(), False)
    if has_permission(user, VIEW_TENANT_RESULTS):
        return Scope(user.pk, True, frozenset(), True)
    units = set()
    for grant in list_active_role_grants(user):
        role = get_role(grant.role)
        if role and VIEW_OFFICE_RESULTS in role.permissions:
            if grant.org_unit_id is None:
                return Scope(user.pk, True, frozenset(), True)
            units.add(grant.org_unit_id)
    is_supervisor = EmployeeMonthResult.objects.filter(supervisor_id=user.pk).exists()
    return Scope(user.pk, False, frozenset(units), is_supervisor)


def visible_results(user, close: MonthClose | None, *, org_unit_id: int | None = None) -> QuerySet:
    if close is None or user is None or not user.is_authenticated:
        return EmployeeMonthResult.objects.none()
    queryset = scope_of(user).filter(EmployeeMonthResult.objects.filter(close=close))
    if org_unit_id:
        queryset = queryset.filter(org_unit_id=org_unit_id)
    return queryset.select_related("org_unit").order_by("org_unit__code", "employee_name", "pk")


def access_result_by_id(user, result_id) -> EmployeeMonthResult:
    result = EmployeeMonthResult.objects.select_related("close", "org_unit").get(pk=result_id)
    if not scope_of(user).filter(EmployeeMonthResult.objects.filter(pk=result.pk)).exists():
        raise EmployeeMonthResult.DoesNotExist
    return result


def get_my_result(user, month: datetime.date) -> EmployeeMonthResult | None:
    """`user`'s result in the newest version of the month's close (None before the close)."""
    close = latest_close(month)
    if close is None or user is None or not user.is_authenticated:
        return None
    return (
        EmployeeMonthResult.objects.select_related("close", "org_unit").filter(close=close, user=user).first()
    )


def list_my_results(user, limit: int = 12) -> list[EmployeeMonthResult]:
    if user is None or not user.is_authenticated:
        return []
    ids = latest_close_ids()
    return list(
        EmployeeMonthResult.objects.select_related("close")
        .filter(close_id__in=ids, user=user)
        .order_by("-close__month")[:limit]
    )


def visible_units(user, close: MonthClose | None) -> list[tuple[int, str]]:
    if close is None:
        return []
    rows = (
        visible_results(user, close)
        .values_list("org_unit_id", "org_unit__name")
        .distinct()
        .order_by("org_unit__name")
    )
    return list(rows)


# --- Dashboard figures --------------------------------------------------------------------------


@dataclass(frozen=True)
class Summary:
    employees: int
    productivity: Decimal
    discipline: Decimal
    ceiling: int
    paid: int

    @property
    def withheld(self) -> int:
        return self.ceiling - self.paid

    @property
    def paid_percent(self) -> Decimal:
        if not self.ceiling:
            return Decimal(0)
        return rules.quantize_percent(Decimal(self.paid) * 100 / Decimal(self.ceiling))


def summarise(queryset: QuerySet) -> Summary:
    row = queryset.aggregate(
        n=Count("id"),
        productivity=Avg("productivity_percent"),
        discipline=Avg("discipline_percent"),
        ceiling=Sum("ceiling"),
        paid=Sum("gross"),
    )
    return Summary(
        employees=row["n"] or 0,
        productivity=rules.quantize_percent(row["productivity"] or 0),
        discipline=rules.quantize_percent(row["discipline"] or 0),
        ceiling=row["ceiling"] or 0,
        paid=row["paid"] or 0,
    )


def quadrant_counts(queryset: QuerySet, *, threshold=rules.DEFAULT_QUADRANT_THRESHOLD) -> dict[str, int]:
    productive = Q(productivity_percent__gte=threshold)
    disciplined = Q(discipline_percent__gte=threshold)
    row = queryset.aggregate(
        both=Count("id", filter=productive & disciplined),
        productive_only=Count("id", filter=productive & ~disciplined),
        disciplined_only=Count("id", filter=~productive & disciplined),
        neither=Count("id", filter=~productive & ~disciplined),
    )
    return {
        rules.QUADRANT_BOTH: row["both"],
        rules.QUADRANT_PRODUCTIVE_ONLY: row["productive_only"],
        rules.QUADRANT_DISCIPLINED_ONLY: row["disciplined_only"],
        rules.QUADRANT_NEITHER: row["neither"],
    }


def quadrant_points(queryset: QuerySet, limit: int = 400) -> tuple[list[tuple[float, float, str]], bool]:
    """(productivity, discipline, name) points; beyond `limit` points, 5 %-binned counts instead."""
    total = queryset.count()
    if total <= limit:
        return [
            (float(p), float(d), name)
            for p, d, name in queryset.values_list(
                "productivity_percent", "discipline_percent", "employee_name"
            )
        ], False
    bins: dict[tuple[int, int], int] = {}
    for p, d in queryset.values_list("productivity_percent", "discipline_percent").iterator(chunk_size=5000):
        key = (min(int(p // 5), 19), min(int(d // 5), 19))
        bins[key] = bins.get(key, 0) + 1
    return [(x * 5 + 2.5, y * 5 + 2.5, str(count)) for (x, y), count in sorted(bins.items())], True


def by_unit(queryset: QuerySet) -> list[dict]:
    rows = (
        queryset.values("org_unit_id", "org_unit__name")
        .annotate(
            employees=Count("id"),
            productivity=Avg("productivity_percent"),
            discipline=Avg("discipline_percent"),
            ceiling=Sum("ceiling"),
            paid=Sum("gross"),
        )
        .order_by("org_unit__name")
    )
    return [
        {
            "org_unit_id": row["org_unit_id"],
            "name": row["org_unit__name"],
            "employees": row["employees"],
            "productivity": rules.quantize_percent(row["productivity"] or 0),
            "discipline": rules.quantize_percent(row["discipline"] or 0),
            "ceiling": row["ceiling"] or 0,
            "paid": row["paid"] or 0,
            "withheld": (row["ceiling"] or 0) - (row["paid"] or 0),
        }
        for row in rows
    ]


def trend(user, *, months: int = 6, org_unit_id: int | None = None) -> list[dict]:
    """Average productivity/discipline and TPP paid vs ceiling of the user's scope, month by month."""
    recent = sorted(latest_closed_months(months))
    ids = latest_close_ids(recent)
    queryset = scope_of(user).filter(EmployeeMonthResult.objects.filter(close_id__in=ids))
    if org_unit_id:
        queryset = queryset.filter(org_unit_id=org_unit_id)
    rows = {
        row["close__month"]: row
        for row in queryset.values("close__month").annotate(
            productivity=Avg("productivity_percent"),
            discipline=Avg("discipline_percent"),
            ceiling=Sum("ceiling"),
            paid=Sum("gross"),
            n=Count("id"),
        )
    }
    result = []
    for month in recent:
        row = rows.get(month)
        if row is None:
            continue
        result.append(
            {
                "month": month,
                "label": f"{month:%m/%Y}",
                "employees": row["n"],
                "productivity": rules.quantize_percent(row["productivity"] or 0),
                "discipline": rules.quantize_percent(row["discipline"] or 0),
                "ceiling": row["ceiling"] or 0,
                "paid": row["paid"] or 0,
            }
        )
    return result


def supervisor_quality(user, close: MonthClose | None, *, org_unit_id: int | None = None) -> list[dict]:
    """Per supervisor in scope: entries decided, approval rate, decided on time (validation deadline)."""
    if close is None:
        return []
    tenant = require_current_tenant()
    supervisors = set(
        visible_results(user, close, org_unit_id=org_unit_id)
        .exclude(supervisor_id=None)
        .values_list("supervisor_id", flat=True)
        .distinct()
    )
    if not supervisors:
        return []
    first, last = performance_rules.month_bounds(close.month.year, close.month.month)
    deadline = performance_rules.validation_deadline(close.month, close.config.validation_deadline_day)
    deadline_end = calendar.end_of_day(tenant, deadline)
    rows = (
        ActivityEntry.objects.filter(
            date__range=(first, last), employee__position__supervisor__holder_id__in=supervisors
        )
        .values(
            "employee__position__supervisor__holder_id", "employee__position__supervisor__holder__full_name"
        )
        .annotate(
            total=Count("id"),
            decided=Count("id", filter=~Q(status=EntryStatus.SUBMITTED)),
            approved=Count("id", filter=Q(status__in=[EntryStatus.APPROVED, EntryStatus.ADJUSTED])),
            on_time=Count("id", filter=~Q(status=EntryStatus.SUBMITTED) & Q(validated_at__lte=deadline_end)),
        )
        .order_by("employee__position__supervisor__holder__full_name")
    )
    result = []
    for row in rows:
        total, decided = row["total"], row["decided"]
        result.append(
            {
                "supervisor_id": row["employee__position__supervisor__holder_id"],
                "name": row["employee__position__supervisor__holder__full_name"],
                "entries": total,
                "decided": decided,
                "pending": total - decided,
                "approval_rate": _percent(row["approved"], decided),
                "on_time_rate": _percent(row["on_time"], total),
            }
        )
    return result


def _percent(part: int, whole: int) -> Decimal:
    if not whole:
        return Decimal("0.00")
    return rules.quantize_percent(Decimal(part) * 100 / Decimal(whole))


# --- Signals ------------------------------------------------------------------------------------


def can_view_signals(user) -> bool:
    return has_permission(user, VIEW_SIGNALS)


def list_signals(user, *, month: datetime.date | None = None, kind: str | None = None) -> QuerySet:
    if not can_view_signals(user):
        return IntegritySignal.objects.none()
    queryset = IntegritySignal.objects.select_related("org_unit")
    if month is not None:
        queryset = queryset.filter(month=month.replace(day=1))
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-month", "kind", "subject_label", "pk")


def signal_kind_counts(user, month: datetime.date | None = None) -> list[tuple[str, str, int]]:
    from praja.modules.performance.tpp.models import SignalKind

    counts = dict(list_signals(user, month=month).values_list("kind").annotate(n=Count("id")).order_by())
    return [(value, str(label), counts.get(value, 0)) for value, label in SignalKind.choices]


def scope_label(scope: Scope) -> str:
    return {
        "tenant": _("Seluruh pemerintah daerah"),
        "office": _("Perangkat daerah Anda"),
        "team": _("Tim Anda (bawahan langsung)"),
        "employee": _("Hasil Anda sendiri"),
    }[scope.level]
