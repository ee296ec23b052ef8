"""Reads of the performance module (the active tenant's rows only).

The monthly close (praja.modules.performance.tpp, P2) reads through the functions listed in
README.md "Contract for P2": config_for_month, allowance_for, list_employees_for_month,
approved_minutes_by_day / approved_minutes_by_employee, attendance_month, effective_working_days,
month_summary.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import connections, router
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from praja.core.calendar import rules as calendar_rules
from praja.core.calendar import selectors as calendar
from praja.core.permissions.checks import has_permission
from praja.core.tenancy.context import require_current_tenant, use_tenant
from praja.modules.performance import rules
from praja.modules.performance.models import (
    AbsenceRequest,
    Activity,
    ActivityEntry,
    ApelAbsence,
    AttendanceCorrection,
    AttendanceEvent,
    AttendanceKind,
    ConfigStatus,
    CorrectionStatus,
    Employee,
    EmployeeStatus,
    EntryStatus,
    JobClassAllowance,
    PerformanceConfig,
    RequestStatus,
    UnvalidatedPolicy,
)
from praja.modules.performance.permissions import MANAGE_EMPLOYEES, VIEW_ALL, VIEW_UNIT

# --------------------------------------------------------------------------------------------
# Time and calendar


def local_now(tenant) -> datetime.datetime:
    return timezone.localtime(timezone.now(), calendar.tenant_timezone(tenant))


def local_today(tenant) -> datetime.date:
    return local_now(tenant).date()


def working_day_checker(tenant):
    """A memoised `is_working_day(date)` for many days of one tenant."""
    memo: dict[datetime.date, bool] = {}

    def check(day: datetime.date) -> bool:
        if day not in memo:
            memo[day] = calendar.is_working_day(tenant, day)
        return memo[day]

    return check


def non_working_reason(tenant, day: datetime.date) -> str:
    for item in calendar.list_non_working_days(tenant, day.year):
        if item.date == day:
            return item.name
    if calendar_rules.is_weekend(day):
        return _("akhir pekan")
    return ""


def effective_working_days(tenant, year: int, month: int) -> int:
    """Working days of the month by the tenant's calendar (the productivity denominator)."""
    first, last = rules.month_bounds(year, month)
    check = working_day_checker(tenant)
    return sum(
        1 for offset in range((last - first).days + 1) if check(first + datetime.timedelta(days=offset))
    )


# --------------------------------------------------------------------------------------------
# Configuration


def config_for_month(tenant, year: int, month: int) -> PerformanceConfig | None:
    """The approved version in force for the month: latest effective_from on or before its first day."""
    with use_tenant(tenant):
        return (
            PerformanceConfig.objects.filter(
                status=ConfigStatus.APPROVED, effective_from__lte=datetime.date(year, month, 1)
            )
            .order_by("-effective_from", "-version")
            .first()
        )


def config_for_date(tenant, day: datetime.date) -> PerformanceConfig | None:
    return config_for_month(tenant, day.year, day.month)


def allowance_for(config: PerformanceConfig, job_class: int) -> int:
    """Besaran TPP (Rupiah per month) of `job_class` in `config`; 0 when the class has no amount."""
    row = JobClassAllowance.all_tenants.filter(config=config, job_class=job_class).first()
    return row.amount if row else 0


def list_configs():
    return PerformanceConfig.objects.order_by("-effective_from", "-version")


def access_config_by_id(user, config_id) -> PerformanceConfig:
    from praja.modules.performance.permissions import APPROVE_CONFIG, MANAGE_CONFIG

    if not any(has_permission(user, perm) for perm in (MANAGE_CONFIG, APPROVE_CONFIG, VIEW_ALL)):
        raise PerformanceConfig.DoesNotExist
    return PerformanceConfig.objects.get(pk=config_id)


def catalogue_for(employee: Employee, config: PerformanceConfig):
    """Activities of the employee's job family plus those open to everyone, in `config`."""
    return (
        Activity.objects.filter(config=config)
        .filter(Q(job_family=employee.job_family) | Q(job_family=""))
        .order_by("job_family", "name")
    )


# --------------------------------------------------------------------------------------------
# Approved versions kept by the process (the entry hot path, bench.performance_entries)

# An approved version is final (CONFIG_WORKFLOW; catalogue.py edits drafts only), so what a process
# read of one, catalogue included, stays true and need not be read again for every entry. Which
# version is in force for a month can change (a newer version gets approved), so that is asked of
# the database every time. The key holds the approval time too, so a reused id (a rolled-back test
# on SQLite) never finds another row's copy; saving a config or an activity empties it (apps.py).
_FROZEN_VERSIONS: dict[tuple, FrozenVersion] = {}
_FROZEN_VERSIONS_KEPT = 256


@dataclass(frozen=True)
class FrozenVersion:
    """An approved config with its whole catalogue by id; shared by requests, never to be changed."""

    config: PerformanceConfig
    activities: dict[int, Activity]


def forget_frozen_versions(**kwargs) -> None:
    _FROZEN_VERSIONS.clear()


def _frozen_version(tenant_id: int, config_id: int, approved_at) -> FrozenVersion:
    key = (tenant_id, config_id, approved_at)
    version = _FROZEN_VERSIONS.get(key)
    if version is None:
        # `objects`: a version of another tenant than the active one is not found.
        config = PerformanceConfig.objects.get(pk=config_id)
        version = FrozenVersion(config, {a.pk: a for a in Activity.objects.filter(config=config)})
        if config.is_frozen and config.approved_at == approved_at:
            if len(_FROZEN_VERSIONS) >= _FROZEN_VERSIONS_KEPT:
                _FROZEN_VERSIONS.clear()
            _FROZEN_VERSIONS[key] = version
    return version


def catalogue_activity(employee: Employee, config: PerformanceConfig, activity_id) -> Activity | None:
    """The activity `activity_id` when it is in the employee's catalogue of `config` (`catalogue_for`)."""
    if not config.is_frozen:
        return catalogue_for(employee, config).filter(pk=activity_id).first()
    version = _frozen_version(config.tenant_id, config.pk, config.approved_at)
    activity = version.activities.get(int(activity_id))
    if activity is None or activity.job_family not in (employee.job_family, ""):
        return None
    return activity


def frozen_config(tenant, config_id: int, approved_at) -> PerformanceConfig:
    """The kept copy of an approved version named by id and approval time (read it, never change it)."""
    return _frozen_version(tenant.pk, config_id, approved_at).config


# --------------------------------------------------------------------------------------------
# The two reads of every entry post, written out in SQL (bench.performance_entries)

# Compiling an ORM query costs this machine ~0.3 ms of CPU, ten times what these statements cost
# to run, and the version in force as an ORM subquery of the lock costs more than a query of its
# own. So the entry hot path reads in plain SQL. The statements name the active tenant themselves
# (they do not go through `objects`); tests/modules/performance runs them on SQLite and PostgreSQL.

# The Employee columns the writers of entries need; the rest (created_at) is deferred.
_LOCKED_EMPLOYEE_FIELDS = (
    "id",
    "tenant_id",
    "user_id",
    "position_id",
    "org_unit_id",
    "job_class",
    "job_family",
    "employment_type",
    "status",
)


def _aware(moment) -> datetime.datetime | None:
    """A datetime read by plain SQL as the ORM gives it: SQLite returns an expression's as text."""
    if isinstance(moment, str):
        moment = datetime.datetime.fromisoformat(moment)
    if moment is not None and timezone.is_naive(moment):
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment


def lock_employee_with_version_in_force(
    user, day: datetime.date
) -> tuple[Employee | None, int | None, datetime.datetime | None]:
    """The user's Employee in the active tenant, its row locked for the transaction, with the id
    and approval time of the config version in force for `day`'s month (`config_for_month`): one
    statement. (None, None, None) when the user is no employee here. Call inside atomic()."""
    tenant = require_current_tenant()
    connection = connections[router.db_for_write(Employee)]
    lock = connection.ops.for_update_sql() if connection.features.has_select_for_update else ""
    # Table and column names are the models' own (attname = column for these fields); every value
    # is a parameter.
    in_force = f"""
        FROM {PerformanceConfig._meta.db_table} c
        WHERE c.tenant_id = e.tenant_id AND c.status = %s AND c.effective_from <= %s
        ORDER BY c.effective_from DESC, c.version DESC LIMIT 1
    """  # noqa: S608
    sql = f"""
        SELECT {", ".join(f"e.{name}" for name in _LOCKED_EMPLOYEE_FIELDS)},
               (SELECT c.id {in_force}), (SELECT c.approved_at {in_force})
        FROM {Employee._meta.db_table} e
        WHERE e.tenant_id = %s AND e.user_id = %s
        {lock}
    """  # noqa: S608
    first_of_month = connection.ops.adapt_datefield_value(day.replace(day=1))
    approved = ConfigStatus.APPROVED.value  # a plain str: psycopg sends an Enum by its name
    with connection.cursor() as cursor:
        cursor.execute(
            sql,
            [approved, first_of_month, approved, first_of_month, tenant.pk, user.pk],
        )
        row = cursor.fetchone()
    if row is None:
        return None, None, None
    employee = Employee.from_db(connection.alias, _LOCKED_EMPLOYEE_FIELDS, row[:-2])
    return employee, row[-2], _aware(row[-1])


def credited_and_overlapping_on(
    employee: Employee,
    day: datetime.date,
    start_time: datetime.time,
    end_time: datetime.time,
    *,
    exclude_pk: int | None = None,
) -> tuple[int, list[rules.OtherEntry]]:
    """What an entry of the employee on `day` from start to end is checked against, in one
    statement: the minutes already credited on the day, and the entries that overlap start–end by
    start time (label: the activity's name, else the description). Only entries that still count
    (not rejected), other than `exclude_pk`; only the overlapping rows travel, not the whole day."""
    connection = connections[router.db_for_write(ActivityEntry)]
    entries = ActivityEntry._meta.db_table
    # The writer's database: the rows are checked under the employee's lock. Table and column
    # names are the models' own; every value is a parameter.
    sql = f"""
        SELECT so_far.credited, o.start_time, o.end_time, a.name, o.description
        FROM (
            SELECT COALESCE(SUM(e.credited_minutes), 0) AS credited FROM {entries} e
            WHERE e.tenant_id = %s AND e.employee_id = %s AND e.date = %s AND e.status <> %s
              AND e.id <> %s
        ) so_far
        LEFT OUTER JOIN {entries} o
            ON o.tenant_id = %s AND o.employee_id = %s AND o.date = %s AND o.status <> %s
               AND o.id <> %s AND o.start_time < %s AND o.end_time > %s
        LEFT OUTER JOIN {Activity._meta.db_table} a ON a.id = o.activity_id
        ORDER BY o.start_time, o.id
    """  # noqa: S608
    same_day = [
        require_current_tenant().pk,
        employee.pk,
        connection.ops.adapt_datefield_value(day),
        EntryStatus.REJECTED.value,  # a plain str: psycopg sends an Enum by its name
        exclude_pk or 0,
    ]
    times = [connection.ops.adapt_timefield_value(end_time), connection.ops.adapt_timefield_value(start_time)]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*same_day, *same_day, *times])
        rows = cursor.fetchall()
    overlapping = [
        rules.OtherEntry(start, end, name or description)
        for _credited, start, end, name, description in rows
        if start is not None
    ]
    return int(rows[0][0]), overlapping


# --------------------------------------------------------------------------------------------
# Employees and the supervisor chain


def get_employee_for_user(user) -> Employee | None:
    """The user's Employee in the active tenant (cached on the user object for the request)."""
    if user is None or not user.is_authenticated:
        return None
    tenant = require_current_tenant()
    cache = user.__dict__.setdefault("_praja_performance_employee", {})
    if tenant.pk not in cache:
        cache[tenant.pk] = (
            Employee.objects.filter(user=user).select_related("position", "org_unit", "user").first()
        )
    return cache[tenant.pk]


def supervisor_user_id_of(employee: Employee) -> int | None:
    """The user holding the supervisor position of the employee's position (None at the top)."""
    from praja.core.accounts.models import Position

    if employee.position_id is None:
        return None
    row = (
        Position.all_tenants.filter(pk=employee.position_id)
        .values_list("supervisor__holder_id", flat=True)
        .first()
    )
    return row


def supervisor_of(employee: Employee):
    from praja.core.accounts.models import User

    user_id = supervisor_user_id_of(employee)
    return User.objects.filter(pk=user_id).first() if user_id else None


def list_direct_reports(user):
    """Employees whose position reports to a position `user` holds."""
    if user is None or not user.is_authenticated:
        return Employee.objects.none()
    return (
        Employee.objects.filter(position__supervisor__holder=user)
        .select_related("user", "position", "org_unit")
        .order_by("user__full_name")
    )


def is_direct_supervisor(user, employee: Employee) -> bool:
    return user is not None and user.is_authenticated and supervisor_user_id_of(employee) == user.pk


def list_employees_for_month(tenant, year: int, month: int):
    """Every employee of the tenant (P2's close decides pay from status and employment type)."""
    with use_tenant(tenant):
        return list(
            Employee.objects.select_related("user", "org_unit", "position").order_by("org_unit__code", "pk")
        )


def list_employees(user, *, org_unit=None):
    """Employees `user` may see as admin: all with VIEW_ALL, own perangkat daerah with VIEW_UNIT."""
    queryset = Employee.objects.select_related("user", "org_unit", "position")
    if has_permission(user, VIEW_ALL):
        pass
    elif has_permission(user, VIEW_UNIT):
        from praja.core.accounts.selectors import list_active_role_grants

        units = {grant.org_unit_id for grant in list_active_role_grants(user) if grant.org_unit_id}
        queryset = queryset.filter(org_unit_id__in=units)
    else:
        return Employee.objects.none()
    if org_unit is not None:
        queryset = queryset.filter(org_unit=org_unit)
    return queryset.order_by("org_unit__code", "user__full_name")


def can_view_employee(user, employee: Employee) -> bool:
    if user is None or not user.is_authenticated:
        return False
    if employee.user_id == user.pk or is_direct_supervisor(user, employee):
        return True
    if has_permission(user, VIEW_ALL):
        return True
    return has_permission(user, VIEW_UNIT, org_unit=employee.org_unit) and _has_scoped_view(user, employee)


def _has_scoped_view(user, employee) -> bool:
    from praja.core.accounts.selectors import list_active_role_grants
    from praja.core.permissions.roles import get_role

    for grant in list_active_role_grants(user):
        role = get_role(grant.role)
        if role and VIEW_UNIT in role.permissions and grant.org_unit_id in (None, employee.org_unit_id):
            return True
    return False


def access_employee_by_id(user, employee_id) -> Employee:
    """The employee if `user` may see them; Employee.DoesNotExist for missing and forbidden alike."""
    employee = Employee.objects.select_related("user", "position", "org_unit").get(pk=employee_id)
    if not can_view_employee(user, employee):
        raise Employee.DoesNotExist
    return employee


# --------------------------------------------------------------------------------------------
# Entries


def access_entry_by_id(user, entry_id) -> ActivityEntry:
    """The entry if `user` owns it, supervises its owner, or may view the unit/all."""
    entry = ActivityEntry.objects.select_related(
        "employee__user", "employee__position", "activity", "config"
    ).get(pk=entry_id)
    if not can_view_employee(user, entry.employee):
        raise ActivityEntry.DoesNotExist
    return entry


def list_entries_for_day(employee: Employee, day: datetime.date):
    return (
        ActivityEntry.objects.filter(employee=employee, date=day)
        .select_related("activity")
        .order_by("start_time", "pk")
    )


def list_entries_for_month(employee: Employee, year: int, month: int):
    first, last = rules.month_bounds(year, month)
    return (
        ActivityEntry.objects.filter(employee=employee, date__range=(first, last))
        .select_related("activity")
        .order_by("date", "start_time", "pk")
    )


def list_entries_to_validate(user, *, day: datetime.date | None = None, employee_id=None):
    """Submitted entries of `user`'s direct reports, oldest first."""
    queryset = ActivityEntry.objects.filter(
        employee__position__supervisor__holder=user, status=EntryStatus.SUBMITTED
    ).select_related("employee__user", "activity")
    if day is not None:
        queryset = queryset.filter(date=day)
    if employee_id is not None:
        queryset = queryset.filter(employee_id=employee_id)
    return queryset.order_by("date", "employee__user__full_name", "start_time", "pk")


def _counted_minutes(entry_status, approved, credited, *, auto_approve: bool) -> int:
    if entry_status in (EntryStatus.APPROVED, EntryStatus.ADJUSTED):
        return approved or 0
    if entry_status == EntryStatus.SUBMITTED and auto_approve:
        return credited
    return 0


def _auto_approve_applies(
    config: PerformanceConfig | None, year: int, month: int, today: datetime.date
) -> bool:
    if config is None or config.unvalidated_policy != UnvalidatedPolicy.AUTO_APPROVE:
        return False
    return today > rules.validation_deadline(datetime.date(year, month, 1), config.validation_deadline_day)


def approved_minutes_by_day(employee: Employee, year: int, month: int) -> dict[datetime.date, int]:
    """Approved minutes per day of the month (approved + adjusted), capped at the day's quota.

    Submitted entries count 0, unless the month's config says auto-approve and its validation
    deadline has passed; rejected entries count 0.
    """
    tenant = employee.tenant
    config = config_for_month(tenant, year, month)
    auto = _auto_approve_applies(config, year, month, local_today(tenant))
    quota = config.daily_quota_minutes if config else 0
    first, last = rules.month_bounds(year, month)
    totals: dict[datetime.date, int] = defaultdict(int)
    rows = ActivityEntry.all_tenants.filter(
        tenant=tenant, employee=employee, date__range=(first, last)
    ).values_list("date", "status", "approved_minutes", "credited_minutes")
    for day, status, approved, credited in rows:
        totals[day] += _counted_minutes(status, approved, credited, auto_approve=auto)
    return {day: min(minutes, quota) for day, minutes in sorted(totals.items())}


def approved_minutes_by_employee(tenant, year: int, month: int) -> dict[int, int]:
    """employee id -> Σ approved minutes of the month (each day capped at the quota), in few queries."""
    config = config_for_month(tenant, year, month)
    auto = _auto_approve_applies(config, year, month, local_today(tenant))
    quota = config.daily_quota_minutes if config else 0
    first, last = rules.month_bounds(year, month)
    statuses = [EntryStatus.APPROVED, EntryStatus.ADJUSTED] + ([EntryStatus.SUBMITTED] if auto else [])
    per_day: dict[tuple[int, datetime.date], int] = defaultdict(int)
    rows = (
        ActivityEntry.all_tenants.filter(tenant=tenant, date__range=(first, last), status__in=statuses)
        .values("employee_id", "date", "status")
        .annotate(approved=Sum("approved_minutes"), credited=Sum("credited_minutes"))
    )
    for row in rows:
        per_day[(row["employee_id"], row["date"])] += _counted_minutes(
            row["status"], row["approved"], row["credited"], auto_approve=auto
        )
    totals: dict[int, int] = defaultdict(int)
    for (employee_id, _day), minutes in per_day.items():
        totals[employee_id] += min(minutes, quota)
    return dict(totals)


def day_usage(employee: Employee, day: datetime.date, config: PerformanceConfig) -> dict:
    """The day's cap, credited minutes and what is left (rejected entries do not count)."""
    credited = (
        ActivityEntry.objects.filter(employee=employee, date=day)
        .exclude(status=EntryStatus.REJECTED)
        .aggregate(total=Sum("credited_minutes"))["total"]
        or 0
    )
    return {
        "quota": config.daily_quota_minutes,
        "credited": credited,
        "left": max(0, config.daily_quota_minutes - credited),
    }


def has_approved_absence(employee: Employee, day: datetime.date, kind: str | None = None) -> bool:
    queryset = AbsenceRequest.objects.filter(
        employee=employee, status=RequestStatus.APPROVED, start_date__lte=day, end_date__gte=day
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.exists()


# --------------------------------------------------------------------------------------------
# Attendance


def _events_by_day(employee: Employee, first: datetime.date, last: datetime.date):
    check_in: dict[datetime.date, datetime.time] = {}
    check_out: dict[datetime.date, datetime.time] = {}
    zone = calendar.tenant_timezone(employee.tenant)
    events = AttendanceEvent.all_tenants.filter(
        tenant_id=employee.tenant_id, employee=employee, local_date__range=(first, last)
    ).values_list("kind", "occurred_at", "local_date")
    for kind, occurred_at, day in events:
        moment = occurred_at.astimezone(zone).time().replace(second=0, microsecond=0)
        if kind == AttendanceKind.CHECK_IN:
            check_in[day] = min(moment, check_in.get(day, moment))
        else:
            check_out[day] = max(moment, check_out.get(day, moment))
    return check_in, check_out


def attendance_month(
    employee: Employee, year: int, month: int, *, today: datetime.date | None = None
) -> list[rules.AttendanceDay]:
    """Each day of the month (up to today) with its state, lateness/early-leave minutes and deduction."""
    tenant = employee.tenant
    config = config_for_month(tenant, year, month)
    if config is None:
        return []
    today = today or local_today(tenant)
    first, last = rules.month_bounds(year, month)
    last = min(last, today)
    if last < first:
        return []
    table = rules.DeductionTable.from_config(config)
    check = working_day_checker(tenant)
    check_in, check_out = _events_by_day(employee, first, last)
    absences = list(
        AbsenceRequest.all_tenants.filter(
            tenant_id=tenant.pk,
            employee=employee,
            status=RequestStatus.APPROVED,
            start_date__lte=last,
            end_date__gte=first,
        ).values_list("kind", "start_date", "end_date")
    )
    apel = set(
        ApelAbsence.all_tenants.filter(
            tenant_id=tenant.pk, employee=employee, date__range=(first, last)
        ).values_list("date", flat=True)
    )
    on_study_leave = employee.status == EmployeeStatus.STUDY_LEAVE
    days = []
    for offset in range((last - first).days + 1):
        day = first + datetime.timedelta(days=offset)
        kind = next((k for k, start, end in absences if start <= day <= end), None)
        days.append(
            rules.compute_attendance_day(
                day=day,
                is_working_day=check(day),
                office_hours=config.office_hours,
                table=table,
                check_in=check_in.get(day),
                check_out=check_out.get(day),
                absence_kind=kind,
                is_on_study_leave=on_study_leave,
                apel_absent=day in apel,
                is_day_over=day < today,
            )
        )
    return days


def list_events_for_day(employee: Employee, day: datetime.date):
    return AttendanceEvent.objects.filter(employee=employee, local_date=day).order_by("occurred_at")


# --------------------------------------------------------------------------------------------
# Month summary (the "my month" page; P2's estimate uses the same numbers)


@dataclass(frozen=True)
class MonthSummary:
    year: int
    month: int
    config: PerformanceConfig | None
    working_days: int
    working_days_so_far: int
    quota_minutes_per_day: int
    approved_minutes: int
    submitted_minutes: int
    productivity_percent: Decimal  # over the whole month's working days
    productivity_so_far_percent: Decimal  # over the working days up to today
    deduction_percent: Decimal
    days: list


def month_summary(
    employee: Employee, year: int, month: int, *, today: datetime.date | None = None
) -> MonthSummary:
    tenant = employee.tenant
    config = config_for_month(tenant, year, month)
    today = today or local_today(tenant)
    working_days = effective_working_days(tenant, year, month)
    by_day = approved_minutes_by_day(employee, year, month)
    approved = sum(by_day.values())
    first, last = rules.month_bounds(year, month)
    submitted = (
        ActivityEntry.all_tenants.filter(
            tenant=tenant, employee=employee, date__range=(first, last), status=EntryStatus.SUBMITTED
        ).aggregate(total=Sum("credited_minutes"))["total"]
        or 0
    )
    check = working_day_checker(tenant)
    so_far = (
        sum(
            1
            for offset in range((min(last, today) - first).days + 1)
            if check(first + datetime.timedelta(days=offset))
        )
        if today >= first
        else 0
    )
    quota = config.daily_quota_minutes if config else 0
    days = attendance_month(employee, year, month, today=today) if config else []
    deduction = rules.month_deduction_percent(days, config.deduction_cap_percent) if config else rules.ZERO
    return MonthSummary(
        year=year,
        month=month,
        config=config,
        working_days=working_days,
        working_days_so_far=so_far,
        quota_minutes_per_day=quota,
        approved_minutes=approved,
        submitted_minutes=submitted,
        productivity_percent=rules.productivity_percent(
            approved_minutes=approved, quota_minutes_per_day=quota, working_days=working_days
        ),
        productivity_so_far_percent=rules.productivity_percent(
            approved_minutes=approved, quota_minutes_per_day=quota, working_days=so_far
        ),
        deduction_percent=deduction,
        days=days,
    )


# --------------------------------------------------------------------------------------------
# Requests


def access_absence_by_id(user, request_id) -> AbsenceRequest:
    item = AbsenceRequest.objects.select_related("employee__user", "employee__position").get(pk=request_id)
    if not can_view_employee(user, item.employee):
        raise AbsenceRequest.DoesNotExist
    return item


def access_correction_by_id(user, correction_id) -> AttendanceCorrection:
    item = AttendanceCorrection.objects.select_related("employee__user", "employee__position").get(
        pk=correction_id
    )
    if not can_view_employee(user, item.employee):
        raise AttendanceCorrection.DoesNotExist
    return item


def list_requests_to_decide(user):
    absences = AbsenceRequest.objects.filter(
        employee__position__supervisor__holder=user, status=RequestStatus.SUBMITTED
    ).select_related("employee__user")
    corrections = AttendanceCorrection.objects.filter(
        employee__position__supervisor__holder=user, status=CorrectionStatus.SUBMITTED
    ).select_related("employee__user")
    return list(absences.order_by("start_date")), list(corrections.order_by("date"))


def org_unit_ids_with(user, permission: str = MANAGE_EMPLOYEES) -> set[int] | None:
    """Perangkat daerah where `user` holds `permission`: None = all (an unscoped grant), else the ids."""
    from praja.core.accounts.selectors import list_active_role_grants
    from praja.core.permissions.roles import get_role

    if user is None or not user.is_authenticated:
        return set()
    units: set[int] = set()
    for grant in list_active_role_grants(user):
        role = get_role(grant.role)
        if role is None or permission not in role.permissions:
            continue
        if grant.org_unit_id is None:
            return None
        units.add(grant.org_unit_id)
    return units


def list_manageable_org_units(user, permission: str = MANAGE_EMPLOYEES):
    """Perangkat daerah (OrgUnit queryset) where `user` holds `permission`."""
    from praja.core.accounts.models import OrgUnit, OrgUnitKind

    units = org_unit_ids_with(user, permission)
    queryset = OrgUnit.objects.filter(kind=OrgUnitKind.PERANGKAT_DAERAH)
    if units is not None:
        queryset = OrgUnit.objects.filter(pk__in=units)
    return queryset.order_by("code")


def list_manageable_positions(user):
    from praja.core.accounts.models import Position

    return (
        Position.objects.filter(org_unit__in=list_manageable_org_units(user))
        .select_related("org_unit", "supervisor__holder")
        .order_by("org_unit__code", "title")
    )


def list_manageable_employees(user, permission: str = MANAGE_EMPLOYEES):
    units = org_unit_ids_with(user, permission)
    queryset = Employee.objects.select_related("user", "org_unit", "position")
    if units is not None:
        queryset = queryset.filter(org_unit_id__in=units)
    return queryset.order_by("org_unit__code", "user__full_name")


def list_apel_absences(user, *, limit: int = 50):
    from praja.modules.performance.permissions import RECORD_APEL

    units = org_unit_ids_with(user, RECORD_APEL)
    queryset = ApelAbsence.objects.select_related("employee__user", "employee__org_unit")
    if units is not None:
        queryset = queryset.filter(employee__org_unit_id__in=units)
    return list(queryset.order_by("-date", "employee__user__full_name")[:limit])


def list_corrections_to_approve(user):
    """Corrections endorsed by a supervisor, waiting for this personnel admin (not their own steps)."""
    units = org_unit_ids_with(user, MANAGE_EMPLOYEES)
    if units is not None and not units:
        return []
    queryset = (
        AttendanceCorrection.objects.filter(status=CorrectionStatus.ENDORSED)
        .exclude(owner=user)
        .exclude(endorsed_by=user)
        .select_related("employee__user", "employee__org_unit", "endorsed_by")
    )
    if units is not None:
        queryset = queryset.filter(employee__org_unit_id__in=units)
    return list(queryset.order_by("date", "pk"))


def work_queue_items(user):
    """Items for the official's work queue: entries and requests waiting for this supervisor."""
    from praja.core.tenancy.urls import tenant_reverse

    tenant = require_current_tenant()
    entries = list_entries_to_validate(user).count()
    absences, corrections = list_requests_to_decide(user)
    items = []
    if entries:
        items.append(
            {
                "label": _("%(count)s aktivitas bawahan menunggu validasi") % {"count": entries},
                "url": tenant_reverse("performance-team", tenant=tenant),
            }
        )
    if absences or corrections:
        items.append(
            {
                "label": _("%(count)s permohonan cuti/izin/koreksi presensi menunggu persetujuan")
                % {"count": len(absences) + len(corrections)},
                "url": tenant_reverse("performance-team", tenant=tenant),
            }
        )
    corrections_to_approve = list_corrections_to_approve(user)
    if corrections_to_approve:
        items.append(
            {
                "label": _("%(count)s koreksi presensi menunggu persetujuan admin kepegawaian")
                % {"count": len(corrections_to_approve)},
                "url": tenant_reverse("performance-corrections", tenant=tenant),
            }
        )
    return items


def tpp_estimate(employee: Employee, summary: MonthSummary):
    """An estimate ("perkiraan") of the month's TPP with P2's formula; None without a config.

    Productivity here is over the working days so far, discipline over the days so far; the monthly
    close (tpp/) is what is paid.
    """
    config = summary.config
    if config is None:
        return None
    from praja.modules.performance.tpp.rules import Deduction, compute_tpp

    deductions = [
        Deduction(code, day.date, percent, label=code)
        for day in summary.days
        for code, percent in day.deductions
    ]
    return compute_tpp(
        class_amount=allowance_for(config, employee.job_class),
        employment_type=employee.employment_type,
        pay_status=employee.status,
        productivity=summary.productivity_so_far_percent,
        deductions=deductions,
        kinerja_weight=config.kinerja_weight_percent,
        disiplin_weight=config.disiplin_weight_percent,
        cpns_share=config.cpns_percent,
        cpns_types={"cpns"},
        statuses_not_paid=config.unpaid_statuses,
        status_label=employee.get_status_display(),
        deduction_cap=config.deduction_cap_percent,
    )
