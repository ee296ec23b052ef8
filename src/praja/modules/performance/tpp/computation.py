"""The monthly close's computation: set-based reads, then the pure formula per employee.

No per-employee and no per-day rows in Python: one statement over the month's entries and one over
the attendance events each return one row per employee (GROUP BY (employee, day) inside GROUP BY
employee), approved absences and apel absences are two small reads, and follow-ups touch only the
few employees a signal may concern. Then per employee in Python: P1's pure `compute_attendance_day`
for the days that are not plainly on time (once per distinct case), and `rules.compute_tpp` in its
two steps: `tpp_ceiling` once per distinct class, type and status, `undated_tpp` per employee.
Nothing here writes; `actions.compute_month_close` stores the result.
"""

from __future__ import annotations

import datetime
import gc
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections, transaction
from django.db.models import Case, Count, F, FloatField, Func, IntegerField, Max, Min, Q, Sum, Value, When
from django.db.models.lookups import LessThanOrEqual
from django.utils import translation
from django.utils.translation import gettext as _

from praja.core.accounts.models import User
from praja.core.calendar import selectors as calendar
from praja.modules.performance import rules as performance_rules
from praja.modules.performance import selectors as performance
from praja.modules.performance.models import (
    AbsenceRequest,
    ActivityEntry,
    ApelAbsence,
    AttendanceEvent,
    AttendanceKind,
    Employee,
    EmployeeStatus,
    EntryStatus,
    JobClassAllowance,
    RequestStatus,
    UnvalidatedPolicy,
)
from praja.modules.performance.tpp import rules
from praja.modules.performance.tpp.models import SignalKind


class MinutesBetween(Func):
    """Minutes from TimeField `start` to TimeField `end`, computed by the database (no per-row Python).

    Written as MinutesBetween(end, start).
    """

    output_field = FloatField()
    arity = 2

    def _operands(self, compiler):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return end, start, [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler)
        # '%%s' reaches SQLite as '%s' (the backend turns %s into ? and %% into %).
        return f"((strftime('%%s', {end}) - strftime('%%s', {start})) / 60.0)", params

    def as_postgresql(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler)
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)", params

    def as_sql(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler)
        return f"(({end}) - ({start}))", params


def minute_of(value) -> int:
    """Minute of the day of a time read raw: 'HH:MM[:SS]' text on SQLite, datetime.time on PostgreSQL."""
    if isinstance(value, str):
        return int(value[:2]) * 60 + int(value[3:5])
    return value.hour * 60 + value.minute


def utc_offset_minutes(tenant, month: datetime.date) -> int:
    zone = calendar.tenant_timezone(tenant)
    moment = datetime.datetime.combine(month, datetime.time(12), tzinfo=zone)
    return int(moment.utcoffset().total_seconds() // 60)


@dataclass
class EmployeeInputs:
    """Everything one employee's figure is computed from (stored as the result's snapshot)."""

    approved_minutes: int = 0
    entries_total: int = 0
    entries_rejected: int = 0
    deductions: list[rules.Deduction] = field(default_factory=list)
    days_present: int = 0
    late_count: int = 0
    early_leave_count: int = 0
    absent_days: int = 0
    leave_days: int = 0


@dataclass
class CloseComputation:
    """The outcome of computing a month: rows to store and signals to record."""

    month: datetime.date
    config: object
    working_days: int
    rows: list[dict]
    signals: list[dict]


def month_days(month: datetime.date) -> list[datetime.date]:
    first, last = performance_rules.month_bounds(month.year, month.month)
    return [first + datetime.timedelta(days=offset) for offset in range((last - first).days + 1)]


def _auto_approve(config, month: datetime.date, today: datetime.date) -> bool:
    if config.unvalidated_policy != UnvalidatedPolicy.AUTO_APPROVE:
        return False
    return today > performance_rules.validation_deadline(month, config.validation_deadline_day)


@dataclass
class EntryFacts:
    """What one pass over the month's entries yields."""

    inputs: dict
    over_hours: list  # (employee id, date, logged minutes, office minutes)
    validators: dict  # validator user id -> [decided, approved within the instant window]


@contextmanager
def cyclic_gc_paused():
    """Pause Python's cyclic garbage collector for one close.

    A large close allocates hundreds of thousands of small objects (a result row, its inputs and
    withheld items per employee) that live until they are stored, so the collector's full passes
    kept re-scanning them: about a third of the close's Python CPU time at 5,000 employees. Nothing in
    the close builds reference cycles worth collecting; reference counting frees the rest, and the
    collector resumes (if it was running) when the close ends, also on error.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@contextmanager
def _aggregate_cursor(alias: str):
    """A cursor for one of the close's large GROUP BYs.

    On PostgreSQL a large tenant's per-day groups outgrow the default work_mem (4 MB) and the hash
    aggregate spills to disk; SET LOCAL raises it for this transaction only. JIT compilation is
    switched off too: each statement runs once per close, and compiling its expressions took longer
    (about 0.12 s for the entries pass on 2.64 million rows) than it saved.
    """
    connection = connections[alias]
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL work_mem = '64MB'")
            cursor.execute("SET LOCAL jit = off")
        yield cursor


def _date_param(day: datetime.date):
    """A date as the backend stores it (ISO text on SQLite), for raw SQL parameters."""
    return connections[ActivityEntry.all_tenants.db].ops.adapt_datefield_value(day)


def _sql_minute_of_time(column: str, vendor: str) -> str:
    """Minute of the day (seconds dropped) of a TimeField value, in SQL."""
    if vendor == "postgresql":
        return f"(EXTRACT(HOUR FROM {column}) * 60 + EXTRACT(MINUTE FROM {column}))::integer"
    # SQLite keeps times as 'HH:MM[:SS[.ffffff]]' text.
    return f"(CAST(substr({column}, 1, 2) AS INTEGER) * 60 + CAST(substr({column}, 4, 2) AS INTEGER))"


def _sql_within_seconds(end: str, start: str, vendor: str) -> str:
    """`end` at most %s seconds after `start`: the same test as `SecondsBetween(end, start) <= %s`.

    On PostgreSQL as a timestamp comparison: EXTRACT(EPOCH ...) yields a numeric since version 14,
    and computing one per entry cost the entries pass more than comparing two timestamps; adding
    whole seconds to a timestamptz is exact, so both tests agree on every row (NULL stays NULL).
    """
    if vendor == "postgresql":
        return f"{end} <= {start} + make_interval(secs => %s)"
    return f"((julianday({end}) - julianday({start})) * 86400.0) <= %s"


def gather_entries(
    tenant,
    config,
    month: datetime.date,
    *,
    today,
    instant_seconds: int = rules.DEFAULT_INSTANT_APPROVAL_SECONDS,
) -> EntryFacts:
    """One statement over the month's entries, one row per employee.

    The inner GROUP BY (employee, date) sums each day's minutes following P1's rule
    (selectors.approved_minutes_by_employee: approved and adjusted entries count their approved
    minutes, submitted ones only under the auto-approve policy after the validation deadline) and
    the outer one caps each day at the daily quota before summing the month. The same pass counts
    entries, rejections, decisions and instant approvals (with the lowest and highest validator,
    so an employee validated by one supervisor needs nothing more), and the longest first-start to
    last-end span of a day. Follow-ups touch only the few employees that need them: those with
    more than one validator (their decisions per validator) and those with a day whose span could
    exceed the office hours (their days exactly).
    """
    first, last = performance_rules.month_bounds(month.year, month.month)
    vendor = connections[ActivityEntry.all_tenants.db].vendor
    auto = _auto_approve(config, month, today)
    quota = int(config.daily_quota_minutes)
    table = ActivityEntry._meta.db_table
    credited = EntryStatus.APPROVED, EntryStatus.ADJUSTED
    decided = EntryStatus.APPROVED, EntryStatus.REJECTED, EntryStatus.ADJUSTED
    within = _sql_within_seconds("validated_at", "created_at", vendor)
    pending = "WHEN status = %s THEN credited_minutes " if auto else ""
    # Table and column names are the model's own; every value is a parameter.
    sql = f"""
        SELECT employee_id,
               SUM(CASE WHEN minutes > %s THEN %s ELSE minutes END),
               SUM(entries), SUM(rejected), SUM(decided), SUM(instant),
               MIN(validator_low), MAX(validator_high), MAX(span)
        FROM (
            SELECT employee_id,
                   COALESCE(SUM(CASE WHEN status IN (%s, %s) THEN approved_minutes {pending}END), 0)
                       AS minutes,
                   COUNT(*) AS entries,
                   COUNT(*) FILTER (WHERE status = %s) AS rejected,
                   COUNT(validated_by_id) FILTER (WHERE status IN (%s, %s, %s)) AS decided,
                   COUNT(*) FILTER (WHERE status = %s AND validated_by_id IS NOT NULL AND {within})
                       AS instant,
                   MIN(validated_by_id) FILTER (WHERE status IN (%s, %s, %s)) AS validator_low,
                   MAX(validated_by_id) FILTER (WHERE status IN (%s, %s, %s)) AS validator_high,
                   {_sql_minute_of_time("MAX(end_time)", vendor)}
                       - {_sql_minute_of_time("MIN(start_time)", vendor)} AS span
            FROM {table}
            WHERE tenant_id = %s AND date BETWEEN %s AND %s
            GROUP BY employee_id, date
        ) AS days
        GROUP BY employee_id
    """  # noqa: S608
    params = [
        quota,
        quota,
        *credited,
        *([EntryStatus.SUBMITTED] if auto else []),
        EntryStatus.REJECTED,
        *decided,
        EntryStatus.APPROVED,
        instant_seconds,
        *decided,
        *decided,
        tenant.pk,
        _date_param(first),
        _date_param(last),
    ]
    windows = _window_minutes(config)
    shortest = min(windows.values()) if windows else None
    inputs: dict[int, EmployeeInputs] = {}
    validators: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    mixed, long_days = [], []
    with _aggregate_cursor(ActivityEntry.all_tenants.db) as cursor:
        cursor.execute(sql, params)
        for employee_id, minutes, total, rejected, n_decided, instant, low, high, span in cursor.fetchall():
            inputs[employee_id] = EmployeeInputs(
                approved_minutes=int(minutes or 0),
                entries_total=int(total),
                entries_rejected=int(rejected or 0),
            )
            if low is not None:
                if low == high:
                    counts = validators[low]
                    counts[0] += int(n_decided)
                    counts[1] += int(instant or 0)
                else:
                    mixed.append(employee_id)
            if shortest is not None and span is not None and span > shortest:
                long_days.append(employee_id)
    if mixed:
        _add_mixed_validators(tenant, first, last, mixed, validators, instant_seconds)
    return EntryFacts(
        inputs=inputs,
        over_hours=_logged_over_window(tenant, first, last, long_days, windows),
        validators=validators,
    )


def _add_mixed_validators(tenant, first, last, employee_ids, validators, instant_seconds) -> None:
    """Decisions and instant approvals per validator for employees validated by more than one."""
    decided = Q(status__in=[EntryStatus.APPROVED, EntryStatus.REJECTED, EntryStatus.ADJUSTED])
    rows = (
        ActivityEntry.all_tenants.filter(
            tenant=tenant, date__range=(first, last), employee_id__in=employee_ids, validated_by__isnull=False
        )
        .values("validated_by_id")
        .annotate(
            decided=Count("id", filter=decided),
            instant=Sum(
                Case(
                    When(
                        LessThanOrEqual(SecondsBetween(F("validated_at"), F("created_at")), instant_seconds),
                        status=EntryStatus.APPROVED,
                        then=Value(1),
                    ),
                    default=Value(0),
                    output_field=IntegerField(),
                )
            ),
        )
        .values_list("validated_by_id", "decided", "instant")
    )
    for validator, n_decided, instant in rows:
        counts = validators[validator]
        counts[0] += n_decided
        counts[1] += instant


def _logged_over_window(
    tenant, first, last, employee_ids, windows
) -> list[tuple[int, datetime.date, int, int]]:
    """Days whose first-to-last span and logged minutes (Σ end − start) both exceed the office hours.

    Read only for the employees whose longest span exceeds the shortest office day.
    """
    if not employee_ids:
        return []
    rows = (
        ActivityEntry.all_tenants.filter(
            tenant=tenant, date__range=(first, last), employee_id__in=employee_ids
        )
        .values("employee_id", "date")
        .annotate(
            starts=Min("start_time"),
            ends=Max("end_time"),
            logged=Sum(MinutesBetween(F("end_time"), F("start_time"))),
        )
        .values_list("employee_id", "date", "starts", "ends", "logged")
    )
    over = []
    for employee_id, day, starts, ends, logged in rows:
        window = windows.get(day.weekday())
        if window is None or minute_of(ends) - minute_of(starts) <= window:
            continue
        logged = int(round(logged or 0))
        if logged > window:
            over.append((employee_id, day, logged, window))
    return sorted(over)


def _window_minutes(config) -> dict[int, int]:
    windows = {}
    for weekday in range(7):
        hours = config.office_hours.get(str(weekday))
        if hours:
            start, end = performance_rules.parse_hhmm(hours[0]), performance_rules.parse_hhmm(hours[1])
            windows[weekday] = performance_rules.minutes_of(end) - performance_rules.minutes_of(start)
    return windows


@dataclass
class MonthAttendance:
    """Attendance per employee from one statement: days plainly on time and the other days' times."""

    days: list  # the working days with office hours: (date, window start, window end), in order
    plain: dict  # employee id -> bit mask (bit n = day n + 1 of the month) of the days on time
    others: dict  # employee id -> {day of the month: (first check-in, last check-out) local minutes}

    @property
    def full_mask(self) -> int:
        return sum(1 << (day.day - 1) for day, _starts, _ends in self.days)


def gather_attendance(tenant, month: datetime.date, working_days, windows) -> MonthAttendance:
    """One statement over the month's attendance events, one row per employee.

    The inner GROUP BY (employee, local date) takes the first check-in and the last check-out as
    local minutes of the day (in SQL, with the tenant's fixed UTC offset: WIB/WITA/WIT keep no
    daylight saving), joined with each working day's office hours; the outer GROUP BY employee keeps
    a bit mask (bit n = day n + 1 of the month) of the days checked in by the start and out after
    the end of office hours (nothing to judge) and the times of the other days (for P1's
    `compute_attendance_day`).
    """
    days = [(day, *windows[day]) for day in working_days if day in windows]
    if not days:
        return MonthAttendance(days=days, plain={}, others={})
    first, last = performance_rules.month_bounds(month.year, month.month)
    offset = utc_offset_minutes(tenant, month)
    vendor = connections[AttendanceEvent.all_tenants.db].vendor
    table = AttendanceEvent._meta.db_table
    if vendor == "postgresql":

        def local(aggregate):
            # %% is the modulo operator once the parameters are bound.
            return f"((FLOOR(EXTRACT(EPOCH FROM {aggregate}) / 60)::bigint + {offset}) %% 1440)"

        one = "CAST(1 AS bigint)"
        concat = "string_agg({}, ',')"
    else:

        def local(aggregate):
            return f"((CAST(strftime('%%s', {aggregate}) AS INTEGER) / 60 + {offset}) %% 1440)"

        one = "1"
        concat = "group_concat({}, ',')"
    on_time = "(first_in <= starts AND last_out >= ends)"
    other = (
        "CAST(dom AS text) || ':' || COALESCE(CAST(first_in AS text), '') || ':' "
        "|| COALESCE(CAST(last_out AS text), '')"
    )
    day_groups = f"""
        SELECT employee_id, local_date,
               {local("MIN(CASE WHEN kind = %s THEN occurred_at END)")} AS first_in,
               {local("MAX(CASE WHEN kind = %s THEN occurred_at END)")} AS last_out
        FROM {table}
        WHERE tenant_id = %s AND local_date BETWEEN %s AND %s
        GROUP BY employee_id, local_date
    """  # noqa: S608
    day_params = [
        AttendanceKind.CHECK_IN,
        AttendanceKind.CHECK_OUT,
        tenant.pk,
        _date_param(first),
        _date_param(last),
    ]
    if vendor == "postgresql":
        # A hash join with the working days (a VALUES list) is PostgreSQL's cheapest plan.
        values = ", ".join(["(CAST(%s AS date), %s, %s, %s)"] * len(days))
        office_days = f"""
            SELECT a.employee_id, w.dom, a.first_in, a.last_out, w.starts, w.ends
            FROM ({day_groups}) AS a
            JOIN (VALUES {values}) AS w (day, starts, ends, dom) ON w.day = a.local_date
        """  # noqa: S608
        params = day_params + [value for day, starts, ends in days for value in (day, starts, ends, day.day)]
    else:
        # SQLite joins a VALUES list by rescanning it for every day group; two 31-slot texts (4
        # characters per day of the month, blank on days off) give each day's office hours instead.
        slot = "substr(CAST(%s AS text), dom * 4 - 3, 4)"
        office_days = f"""
            SELECT employee_id, dom, first_in, last_out,
                   CAST({slot} AS integer) AS starts, CAST({slot} AS integer) AS ends
            FROM (
                SELECT day_groups.*, CAST(substr(local_date, 9, 2) AS INTEGER) AS dom
                FROM ({day_groups}) AS day_groups
            ) AS numbered
            WHERE {slot} <> '    '
        """  # noqa: S608
        starts_text, ends_text = [" " * 4] * 31, [" " * 4] * 31
        for day, starts, ends in days:
            starts_text[day.day - 1], ends_text[day.day - 1] = f"{starts:04d}", f"{ends:04d}"
        starts_text, ends_text = "".join(starts_text), "".join(ends_text)
        params = [starts_text, ends_text, *day_params, starts_text]
    sql = f"""
        SELECT employee_id,
               SUM(CASE WHEN {on_time} THEN {one} << (dom - 1) ELSE 0 END),
               {concat.format(f"CASE WHEN {on_time} THEN NULL ELSE {other} END")}
        FROM ({office_days}) AS office_days
        GROUP BY employee_id
    """  # noqa: S608
    plain, others = {}, {}
    with _aggregate_cursor(AttendanceEvent.all_tenants.db) as cursor:
        cursor.execute(sql, params)
        for employee_id, mask, rest in cursor.fetchall():
            plain[employee_id] = int(mask or 0)
            if rest:
                times = {}
                for item in rest.split(","):
                    day_number, check_in, check_out = item.split(":")
                    times[int(day_number)] = (
                        int(check_in) if check_in else None,
                        int(check_out) if check_out else None,
                    )
                others[employee_id] = times
    return MonthAttendance(days=days, plain=plain, others=others)


def _as_time(minutes: int | None) -> datetime.time | None:
    return None if minutes is None else datetime.time(minutes // 60, minutes % 60)


def gather_absences(
    tenant, month: datetime.date
) -> dict[int, list[tuple[str, datetime.date, datetime.date]]]:
    first, last = performance_rules.month_bounds(month.year, month.month)
    absences: dict[int, list] = defaultdict(list)
    for employee_id, kind, start, end in AbsenceRequest.all_tenants.filter(
        tenant=tenant, status=RequestStatus.APPROVED, start_date__lte=last, end_date__gte=first
    ).values_list("employee_id", "kind", "start_date", "end_date"):
        absences[employee_id].append((kind, start, end))
    return absences


def gather_apel(tenant, month: datetime.date) -> dict[int, set[datetime.date]]:
    first, last = performance_rules.month_bounds(month.year, month.month)
    apel: dict[int, set] = defaultdict(set)
    for employee_id, day in ApelAbsence.all_tenants.filter(
        tenant=tenant, date__range=(first, last)
    ).values_list("employee_id", "date"):
        apel[employee_id].add(day)
    return apel


@dataclass(frozen=True)
class DayVerdict:
    """What one judged day adds to an employee's month (the date aside)."""

    present: int
    absent: int
    leave: int
    late: int
    early: int
    deductions: tuple  # ((code, percent), ...) in the order `_deduction_codes` gives them


def attendance_for_employee(
    employee_id: int,
    *,
    status: str,
    month_attendance: MonthAttendance,
    absences: list,
    apel: set,
    config,
    table,
    today: datetime.date,
    item: EmployeeInputs,
    verdicts: dict | None = None,
    full_mask: int | None = None,
) -> None:
    """Fill `item`'s attendance counts and deductions for the month's working days.

    Working days without office hours are a holiday for P1's rules (no count, no deduction) and are
    not in `month_attendance.days`. A day checked in and out on time, without leave or apel absence,
    is HADIR without deduction; every other day is judged by P1's `compute_attendance_day`. Its
    verdict depends on the date only through the office hours, so `verdicts` (shared over a close)
    keeps one per (office hours, times, leave, study leave, apel, day over): the same late check-in
    is judged once per close, not once per employee and day.
    """
    days = month_attendance.days
    plain = month_attendance.plain.get(employee_id, 0)
    if full_mask is None:
        full_mask = month_attendance.full_mask
    on_study_leave = status == EmployeeStatus.STUDY_LEAVE
    if plain == full_mask and not absences and not apel and not on_study_leave:
        item.days_present += len(days)
        return
    if verdicts is None:
        verdicts = {}
    times = month_attendance.others.get(employee_id, {})
    for day, starts, ends in days:
        apel_absent = day in apel
        kind = next((k for k, start, end in absences if start <= day <= end), None) if absences else None
        if plain >> (day.day - 1) & 1:
            if not apel_absent and kind is None and not on_study_leave:
                item.days_present += 1
                continue
            # On time both ways: the office hours themselves judge the same (no lateness, no early leave).
            check_in, check_out = starts, ends
        else:
            check_in, check_out = times.get(day.day, (None, None))
        is_day_over = day < today
        key = (starts, ends, check_in, check_out, kind, on_study_leave, apel_absent, is_day_over)
        verdict = verdicts.get(key)
        if verdict is None:
            verdict = verdicts[key] = _verdict(
                performance_rules.compute_attendance_day(
                    day=day,
                    is_working_day=True,
                    office_hours=config.office_hours,
                    table=table,
                    check_in=_as_time(check_in),
                    check_out=_as_time(check_out),
                    absence_kind=kind,
                    is_on_study_leave=on_study_leave,
                    apel_absent=apel_absent,
                    is_day_over=is_day_over,
                ),
                table,
            )
        item.days_present += verdict.present
        item.absent_days += verdict.absent
        item.leave_days += verdict.leave
        item.late_count += verdict.late
        item.early_leave_count += verdict.early
        for code, percent in verdict.deductions:
            item.deductions.append(rules.Deduction(code, day, percent))


def _verdict(result, table) -> DayVerdict:
    state = result.state
    present = state in (
        performance_rules.DayState.HADIR,
        performance_rules.DayState.TL,
        performance_rules.DayState.PSW,
    )
    absent = state == performance_rules.DayState.TK
    leave = (
        not present
        and not absent
        and state
        not in (
            performance_rules.DayState.LIBUR,
            performance_rules.DayState.BELUM,
        )
    )
    return DayVerdict(
        present=int(present),
        absent=int(absent),
        leave=int(leave),
        late=int(bool(result.lateness_code)),
        early=int(bool(result.early_leave_code)),
        deductions=tuple(_deduction_codes(result, table)),
    )


def _deduction_codes(day, table) -> list[tuple[str, Decimal]]:
    """Split a day's deduction into its codes (TL, PSW, APEL, TK) so each is explained on its own."""
    if day.state == performance_rules.DayState.TK:
        items = [("TK", table.absent_percent)]
        if day.apel_absent:
            items.append(("APEL", table.apel_absence_percent))
        return items
    items = []
    if day.lateness_code:
        level = int(day.lateness_code[2:])
        items.append((day.lateness_code, table.lateness_brackets[level - 1][1]))
    if day.early_leave_code:
        level = int(day.early_leave_code[3:])
        items.append((day.early_leave_code, table.early_leave_brackets[level - 1][1]))
    if day.apel_absent:
        items.append(("APEL", table.apel_absence_percent))
    return items


def compute_month(tenant, month: datetime.date, *, today: datetime.date | None = None) -> CloseComputation:
    """Compute every employee's month of `tenant` (active tenant context not needed)."""
    month = month.replace(day=1)
    today = today or performance.local_today(tenant)
    config = performance.config_for_month(tenant, month.year, month.month)
    if config is None:
        raise ValueError(
            _("Belum ada konfigurasi kinerja yang disetujui untuk bulan %(month)s.")
            % {"month": f"{month:%m/%Y}"}
        )
    is_working = performance.working_day_checker(tenant)
    working_days = [day for day in month_days(month) if is_working(day)]
    windows = {
        day: (performance_rules.minutes_of(window[0]), performance_rules.minutes_of(window[1]))
        for day in working_days
        if (window := performance_rules.office_window(config.office_hours, day)) is not None
    }
    allowances = dict(
        JobClassAllowance.all_tenants.filter(tenant=tenant, config=config).values_list("job_class", "amount")
    )
    facts = gather_entries(tenant, config, month, today=today)
    entries = facts.inputs
    month_attendance = gather_attendance(tenant, month, working_days, windows)
    absences = gather_absences(tenant, month)
    apel = gather_apel(tenant, month)
    table = performance_rules.DeductionTable.from_config(config)
    # Resolved once: a lazy label resolves its translation on every str().
    status_labels = {value: str(label) for value, label in EmployeeStatus.choices}
    statuses_not_paid = set(config.unpaid_statuses or ())
    employees = (
        Employee.all_tenants.filter(tenant=tenant)
        .order_by("pk")
        .values_list(
            "pk",
            "user_id",
            "user__full_name",
            "user__nip",
            "org_unit_id",
            "position__supervisor__holder_id",
            "job_class",
            "employment_type",
            "status",
        )
    )
    quota = config.daily_quota_minutes
    expected = quota * len(working_days)
    rows, signals = [], []
    verdicts: dict = {}
    ceilings: dict = {}
    full_mask = month_attendance.full_mask
    language = translation.get_language() or "id"
    for (
        pk,
        user_id,
        name,
        nip,
        org_unit_id,
        supervisor_id,
        job_class,
        employment_type,
        status,
    ) in employees.iterator(chunk_size=5_000):
        item = entries.get(pk) or EmployeeInputs()
        attendance_for_employee(
            pk,
            status=status,
            month_attendance=month_attendance,
            absences=absences.get(pk, ()),
            apel=apel.get(pk, ()),
            config=config,
            table=table,
            today=today,
            item=item,
            verdicts=verdicts,
            full_mask=full_mask,
        )
        productivity = rules.productivity_percent(
            item.approved_minutes, quota_minutes_per_day=quota, working_days=len(working_days)
        )
        class_amount = int(allowances.get(job_class, 0))
        # The ceilings depend only on the class, type and status (shared by many employees); the
        # deduction steps are cached in `rules`; each employee adds the days to its reasons.
        key = (class_amount, employment_type, status)
        base = ceilings.get(key)
        if base is None:
            base = ceilings[key] = rules.tpp_ceiling(
                class_amount=class_amount,
                employment_type=employment_type,
                pay_status=status,
                kinerja_weight=config.kinerja_weight_percent,
                disiplin_weight=config.disiplin_weight_percent,
                cpns_share=config.cpns_percent,
                statuses_not_paid=statuses_not_paid,
                status_label=status_labels.get(status, status),
                deduction_cap=config.deduction_cap_percent,
            )
        ordered = rules.in_explanation_order(item.deductions) if item.deductions else ()
        result = rules.undated_tpp(base, productivity, ordered, language)
        dated = rules.dated_deductions(base, ordered, result, language)
        withheld = [reason.as_dict() for reason in (*result.withheld, *dated)]
        rows.append(
            {
                "employee_id": pk,
                "user_id": user_id,
                "employee_name": name,
                "nip": nip or "",
                "org_unit_id": org_unit_id,
                "supervisor_id": supervisor_id,
                "job_class": job_class,
                "employment_type": employment_type,
                "pay_status": status,
                "approved_minutes": item.approved_minutes,
                "expected_minutes": expected,
                "productivity_percent": result.productivity_percent,
                "deduction_percent": result.deduction_percent,
                "discipline_percent": result.discipline_percent,
                "days_present": item.days_present,
                "late_count": item.late_count,
                "early_leave_count": item.early_leave_count,
                "absent_days": item.absent_days,
                "leave_days": item.leave_days,
                "entries_total": item.entries_total,
                "entries_rejected": item.entries_rejected,
                "class_amount": class_amount,
                "ceiling": base.ceiling,
                "kinerja_part": result.kinerja_part,
                "disiplin_part": result.disiplin_part,
                "gross": result.gross,
                "inputs": snapshot_inputs(
                    config, item, len(working_days), class_amount, employment_type, status
                ),
                "withheld": withheld,
            }
        )
        if result.gross > 0 and working_days and item.days_present == 0 and item.leave_days == 0:
            signals.append(
                _paid_while_absent(pk, name, org_unit_id, month, result.gross, item, len(working_days))
            )
    signals.extend(_over_hours_signals(facts.over_hours, month, tenant))
    signals.extend(instant_approval_signals(tenant, month, facts.validators))
    return CloseComputation(
        month=month, config=config, working_days=len(working_days), rows=rows, signals=signals
    )


def snapshot_inputs(
    config, item: EmployeeInputs, working_days: int, class_amount, employment_type, status
) -> dict:
    """What `reproduce(inputs)` needs to give the same figure again."""
    return {
        "config_version": config.version,
        "quota_minutes_per_day": config.daily_quota_minutes,
        "working_days": working_days,
        "approved_minutes": item.approved_minutes,
        "class_amount": class_amount,
        "employment_type": employment_type,
        "pay_status": status,
        "kinerja_weight": str(config.kinerja_weight_percent),
        "disiplin_weight": str(config.disiplin_weight_percent),
        "cpns_share": str(config.cpns_percent),
        "deduction_cap": str(config.deduction_cap_percent),
        "statuses_not_paid": list(config.unpaid_statuses or ()),
        "deductions": [[d.code, d.date.isoformat(), str(d.percent)] for d in item.deductions],
    }


def reproduce(inputs: dict) -> rules.TppResult:
    """Recompute a stored result from its inputs snapshot alone (§6.9: reproducible TPP)."""
    status_labels = dict(EmployeeStatus.choices)
    return rules.compute_tpp(
        class_amount=inputs["class_amount"],
        employment_type=inputs["employment_type"],
        pay_status=inputs["pay_status"],
        productivity=rules.productivity_percent(
            inputs["approved_minutes"],
            quota_minutes_per_day=inputs["quota_minutes_per_day"],
            working_days=inputs["working_days"],
        ),
        deductions=[
            rules.Deduction(code, datetime.date.fromisoformat(day), Decimal(percent))
            for code, day, percent in inputs["deductions"]
        ],
        kinerja_weight=inputs["kinerja_weight"],
        disiplin_weight=inputs["disiplin_weight"],
        cpns_share=inputs["cpns_share"],
        statuses_not_paid=inputs["statuses_not_paid"],
        status_label=str(status_labels.get(inputs["pay_status"], inputs["pay_status"])),
        deduction_cap=inputs["deduction_cap"],
    )


def _paid_while_absent(pk, name, org_unit_id, month, gross, item: EmployeeInputs, working_days: int) -> dict:
    return {
        "kind": SignalKind.PAID_WHILE_ABSENT,
        "subject_type": "employee",
        "subject_id": pk,
        "subject_label": name,
        "org_unit_id": org_unit_id,
        "month": month,
        "explanation": _(
            "%(name)s tidak memiliki catatan presensi maupun cuti/izin pada %(days)s hari kerja bulan ini, "
            "tetapi TPP yang dihitung %(amount)s."
        )
        % {"name": name, "days": working_days, "amount": rules.format_rupiah(gross)},
        "evidence": {
            "working_days": working_days,
            "absent_days": item.absent_days,
            "approved_minutes": item.approved_minutes,
            "gross": gross,
        },
    }


def _over_hours_signals(over_hours, month, tenant) -> list[dict]:
    if not over_hours:
        return []
    by_employee: dict[int, list] = defaultdict(list)
    for employee_id, day, logged, window in over_hours:
        by_employee[employee_id].append(
            {"date": day.isoformat(), "logged_minutes": logged, "office_minutes": window}
        )
    people = dict(
        Employee.all_tenants.filter(tenant=tenant, pk__in=list(by_employee)).values_list(
            "pk", "user__full_name"
        )
    )
    units = dict(
        Employee.all_tenants.filter(tenant=tenant, pk__in=list(by_employee)).values_list("pk", "org_unit_id")
    )
    signals = []
    for employee_id, days in sorted(by_employee.items()):
        days.sort(key=lambda row: row["date"])
        worst = max(days, key=lambda row: row["logged_minutes"])
        signals.append(
            {
                "kind": SignalKind.DAY_OVER_OFFICE_HOURS,
                "subject_type": "employee",
                "subject_id": employee_id,
                "subject_label": people.get(employee_id, ""),
                "org_unit_id": units.get(employee_id),
                "month": month,
                "explanation": _(
                    "%(name)s mencatat aktivitas lebih lama dari jam kerja pada %(count)s hari; terlama "
                    "%(logged)s menit pada %(date)s (jam kerja %(window)s menit)."
                )
                % {
                    "name": people.get(employee_id, ""),
                    "count": len(days),
                    "logged": worst["logged_minutes"],
                    "date": worst["date"],
                    "window": worst["office_minutes"],
                },
                "evidence": {"days": days},
            }
        )
    return signals


class SecondsBetween(Func):
    """Seconds from DateTimeField `start` to `end` (SecondsBetween(end, start)), in the database."""

    output_field = FloatField()
    arity = 2

    def _operands(self, compiler):
        end, end_params = compiler.compile(self.source_expressions[0])
        start, start_params = compiler.compile(self.source_expressions[1])
        return end, start, [*end_params, *start_params]

    def as_sqlite(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler)
        return f"((julianday({end}) - julianday({start})) * 86400.0)", params

    def as_postgresql(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler)
        return f"EXTRACT(EPOCH FROM ({end} - {start}))", params

    def as_sql(self, compiler, connection, **extra):
        end, start, params = self._operands(compiler)
        return f"(({end}) - ({start}))", params


def duplicate_evidence_signals(tenant, month: datetime.date) -> list[dict]:
    """The same evidence file (SHA-256) attached to more than one entry of the month."""
    first, last = performance_rules.month_bounds(month.year, month.month)
    # "> ''" rather than "!= ''": a range the (tenant, evidence_sha256) index can serve.
    month_entries = ActivityEntry.all_tenants.filter(
        tenant=tenant, date__range=(first, last), evidence_sha256__gt=""
    )
    hashes = list(
        month_entries.values("evidence_sha256")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("evidence_sha256", flat=True)
    )
    if not hashes:
        return []
    uses: dict[str, list] = defaultdict(list)
    for sha, entry_id, employee_id, name, org_unit_id, day in (
        month_entries.filter(evidence_sha256__in=hashes)
        .order_by("evidence_sha256", "date", "pk")
        .values_list(
            "evidence_sha256",
            "pk",
            "employee_id",
            "employee__user__full_name",
            "employee__org_unit_id",
            "date",
        )
    ):
        uses[sha].append(
            {
                "entry": entry_id,
                "employee": employee_id,
                "name": name,
                "org_unit": org_unit_id,
                "date": day.isoformat(),
            }
        )
    signals = []
    for sha, rows in sorted(uses.items()):
        names = sorted({row["name"] for row in rows})
        units = {row["org_unit"] for row in rows}
        signals.append(
            {
                "kind": SignalKind.DUPLICATE_EVIDENCE,
                "subject_type": "evidence",
                "subject_id": sha,
                "subject_label": _("Bukti %(sha)s…") % {"sha": sha[:12]},
                "org_unit_id": units.pop() if len(units) == 1 else None,
                "month": month,
                "explanation": _(
                    "Berkas bukti yang sama (SHA-256 %(sha)s…) dilampirkan pada %(count)s aktivitas oleh "
                    "%(people)s pegawai: %(names)s."
                )
                % {"sha": sha[:12], "count": len(rows), "people": len(names), "names": ", ".join(names)},
                "evidence": {"sha256": sha, "entries": rows[:50]},
            }
        )
    return signals


def instant_approval_signals(
    tenant,
    month: datetime.date,
    validators: dict[int, list[int]],
    *,
    seconds: int = rules.DEFAULT_INSTANT_APPROVAL_SECONDS,
    share_percent=rules.DEFAULT_INSTANT_APPROVAL_SHARE,
    min_entries: int = rules.DEFAULT_INSTANT_APPROVAL_MIN_ENTRIES,
) -> list[dict]:
    """Supervisors who approved more than 95 % of ≥ 20 decided entries within `seconds` of submission.

    `validators` is {user id: [decided, approved instantly]} from `gather_entries`.
    """
    flagged = {
        user_id: counts
        for user_id, counts in validators.items()
        if rules.is_rubber_stamping(
            decided=counts[0],
            approved_instantly=counts[1],
            min_entries=min_entries,
            share_percent=share_percent,
        )
    }
    names = dict(User.objects.filter(pk__in=list(flagged)).values_list("pk", "full_name"))
    rows = [
        (user_id, counts[0], counts[1], names.get(user_id, "")) for user_id, counts in sorted(flagged.items())
    ]
    signals = []
    for user_id, decided, instant, name in rows:
        share = Decimal(instant) * 100 / Decimal(decided)
        signals.append(
            {
                "kind": SignalKind.INSTANT_APPROVALS,
                "subject_type": "supervisor",
                "subject_id": user_id,
                "subject_label": name,
                "org_unit_id": None,
                "month": month,
                "explanation": _(
                    "%(name)s menyetujui %(instant)s dari %(decided)s aktivitas bawahan (%(share)s) dalam "
                    "%(seconds)s detik setelah diajukan; persetujuan seketika atas hampir semua aktivitas "
                    "menandakan validasi tidak benar-benar dilakukan."
                )
                % {
                    "name": name,
                    "instant": instant,
                    "decided": decided,
                    "share": rules.format_percent(share),
                    "seconds": seconds,
                },
                "evidence": {"decided": decided, "approved_instantly": instant, "within_seconds": seconds},
            }
        )
    return signals
