"""The monthly close's computation: set-based reads, then the pure formula per employee.

No per-employee queries: one GROUP BY (employee, date) over the month's entries, one over the
attendance events, one each for approved absences and apel absences, then Python per employee
(P1's pure `compute_attendance_day` for the days that are not plainly on time, and
`rules.compute_tpp`). Nothing here writes; `actions.compute_month_close` stores the result.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connections
from django.db.models import Case, Count, F, FloatField, Func, IntegerField, Max, Min, Q, Sum, Value, When
from django.db.models.lookups import LessThanOrEqual
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


class LocalMinuteOfDay(Func):
    """Minute of the local day (0–1439) of a UTC datetime, `offset` minutes east of UTC, in the database.

    Indonesian zones (WIB +7, WITA +8, WIT +9) keep no daylight saving, so a fixed offset is exact.
    Seconds are dropped, as P1's attendance rules read times to the minute.
    """

    output_field = IntegerField()

    def __init__(self, expression, *, offset: int, **extra):
        super().__init__(expression, **extra)
        self.offset = int(offset)

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"((CAST(strftime('%%s', {sql}) AS INTEGER) / 60 + {self.offset}) % 1440)", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # psycopg reads a lone % as a placeholder: %% is the modulo operator.
        return f"((FLOOR(EXTRACT(EPOCH FROM {sql}) / 60)::bigint + {self.offset}) %% 1440)", params


def minute_of(value) -> int:
    """Minute of the day of a time read raw: 'HH:MM[:SS]' text on SQLite, datetime.time on PostgreSQL."""
    if isinstance(value, str):
        return int(value[:2]) * 60 + int(value[3:5])
    return value.hour * 60 + value.minute


def utc_offset_minutes(tenant, month: datetime.date) -> int:
    zone = calendar.tenant_timezone(tenant)
    moment = datetime.datetime.combine(month, datetime.time(12), tzinfo=zone)
    return int(moment.utcoffset().total_seconds() // 60)


def raw_rows(queryset, *, chunk_size: int = 20_000):
    """Run the ORM-built SQL of a values_list queryset and yield plain tuples.

    Skips Django's per-row converters (tens of thousands of grouped rows per close); dates come back
    as ISO text on SQLite, hence `as_date`.
    """
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(chunk_size):
            yield from rows


_DATES: dict[str, datetime.date] = {}


def as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    day = _DATES.get(value)
    if day is None:
        day = _DATES.setdefault(value, datetime.date.fromisoformat(value[:10]))
    return day


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


def gather_entries(
    tenant,
    config,
    month: datetime.date,
    *,
    today,
    instant_seconds: int = rules.DEFAULT_INSTANT_APPROVAL_SECONDS,
) -> EntryFacts:
    """One pass over the month's entries grouped by (employee, date, validator).

    Minutes follow P1's rule (selectors.approved_minutes_by_employee): approved and adjusted entries
    count their approved minutes, submitted ones count only under the auto-approve policy after the
    validation deadline, each day capped at the daily quota. The same pass counts entries, rejected
    entries, each validator's decisions and instant approvals, and the first start and last end of
    each day: only days whose span exceeds the office hours get their logged time summed exactly.
    """
    first, last = performance_rules.month_bounds(month.year, month.month)
    auto = _auto_approve(config, month, today)
    quota = config.daily_quota_minutes
    decided = Q(status__in=[EntryStatus.APPROVED, EntryStatus.REJECTED, EntryStatus.ADJUSTED])
    rows = (
        ActivityEntry.all_tenants.filter(tenant=tenant, date__range=(first, last))
        .values("employee_id", "date", "validated_by_id")
        .annotate(
            approved=Sum(
                "approved_minutes", filter=Q(status__in=[EntryStatus.APPROVED, EntryStatus.ADJUSTED])
            ),
            pending=Sum("credited_minutes", filter=Q(status=EntryStatus.SUBMITTED)),
            total=Count("id"),
            rejected=Count("id", filter=Q(status=EntryStatus.REJECTED)),
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
            starts=Min("start_time"),
            ends=Max("end_time"),
        )
        .values_list(
            "employee_id",
            "date",
            "validated_by_id",
            "approved",
            "pending",
            "total",
            "rejected",
            "decided",
            "instant",
            "starts",
            "ends",
        )
    )
    windows = _window_minutes(config)
    inputs: dict[int, EmployeeInputs] = defaultdict(EmployeeInputs)
    days: dict[tuple[int, datetime.date], list[int]] = {}
    validators: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (
        employee_id,
        day,
        validator,
        approved,
        pending,
        total,
        rejected,
        n_decided,
        instant,
        starts,
        ends,
    ) in raw_rows(rows):
        day = as_date(day)
        starts, ends = minute_of(starts), minute_of(ends)
        item = inputs[employee_id]
        item.entries_total += total
        item.entries_rejected += rejected
        if validator is not None:
            counts = validators[validator]
            counts[0] += n_decided
            counts[1] += instant or 0
        key = (employee_id, day)
        minutes = (approved or 0) + ((pending or 0) if auto else 0)
        if key in days:
            known = days[key]
            known[0] += minutes
            known[1], known[2] = min(known[1], starts), max(known[2], ends)
        else:
            days[key] = [minutes, starts, ends]
    candidates = []
    for (employee_id, day), (minutes, starts, ends) in days.items():
        inputs[employee_id].approved_minutes += min(minutes, quota)
        window = windows.get(day.weekday())
        if window is not None and ends - starts > window:
            candidates.append((employee_id, day, window))
    return EntryFacts(
        inputs=inputs, over_hours=_logged_over_window(tenant, candidates), validators=validators
    )


def _logged_over_window(tenant, candidates) -> list[tuple[int, datetime.date, int, int]]:
    """Exact logged minutes of the days whose first-to-last span exceeds the office hours."""
    if not candidates:
        return []
    wanted = {(employee_id, day): window for employee_id, day, window in candidates}
    rows = (
        ActivityEntry.all_tenants.filter(
            tenant=tenant,
            employee_id__in={employee_id for employee_id, _day, _window in candidates},
            date__in={day for _employee, day, _window in candidates},
        )
        .values("employee_id", "date")
        .annotate(logged=Sum(MinutesBetween(F("end_time"), F("start_time"))))
        .values_list("employee_id", "date", "logged")
    )
    over = []
    for employee_id, day, logged in rows:
        window = wanted.get((employee_id, day))
        logged = int(round(logged or 0))
        if window is not None and logged > window:
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


def gather_attendance(tenant, month: datetime.date):
    """{(employee id, local date): (first check-in, last check-out) as local minutes of the day}."""
    first, last = performance_rules.month_bounds(month.year, month.month)
    offset = utc_offset_minutes(tenant, month)
    rows = (
        AttendanceEvent.all_tenants.filter(tenant=tenant, local_date__range=(first, last))
        .values("employee_id", "local_date")
        .annotate(
            first_in=LocalMinuteOfDay(
                Min("occurred_at", filter=Q(kind=AttendanceKind.CHECK_IN)), offset=offset
            ),
            last_out=LocalMinuteOfDay(
                Max("occurred_at", filter=Q(kind=AttendanceKind.CHECK_OUT)), offset=offset
            ),
        )
        .values_list("employee_id", "local_date", "first_in", "last_out")
    )
    return {
        (employee_id, as_date(day)): (first_in, last_out)
        for employee_id, day, first_in, last_out in raw_rows(rows)
    }


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


def gather_apel(tenant, month: datetime.date) -> set[tuple[int, datetime.date]]:
    first, last = performance_rules.month_bounds(month.year, month.month)
    return set(
        ApelAbsence.all_tenants.filter(tenant=tenant, date__range=(first, last)).values_list(
            "employee_id", "date"
        )
    )


def attendance_for_employee(
    employee_id: int,
    *,
    status: str,
    working_days: list[datetime.date],
    windows: dict[datetime.date, tuple[int, int]],
    attendance: dict,
    absences: list,
    apel: set,
    config,
    table,
    today: datetime.date,
    item: EmployeeInputs,
) -> None:
    """Fill `item`'s attendance counts and deductions for the month's working days."""
    on_study_leave = status == EmployeeStatus.STUDY_LEAVE
    for day in working_days:
        check_in, check_out = attendance.get((employee_id, day), (None, None))
        window = windows.get(day)
        apel_absent = (employee_id, day) in apel
        kind = next((k for k, start, end in absences if start <= day <= end), None) if absences else None
        # Fast path: on time both ways, no leave, no apel absence -> HADIR without deduction.
        if (
            window is not None
            and not apel_absent
            and kind is None
            and not on_study_leave
            and check_in is not None
            and check_out is not None
            and check_in <= window[0]
            and check_out >= window[1]
        ):
            item.days_present += 1
            continue
        result = performance_rules.compute_attendance_day(
            day=day,
            is_working_day=True,
            office_hours=config.office_hours,
            table=table,
            check_in=_as_time(check_in),
            check_out=_as_time(check_out),
            absence_kind=kind,
            is_on_study_leave=on_study_leave,
            apel_absent=apel_absent,
            is_day_over=day < today,
        )
        state = result.state
        if state in (
            performance_rules.DayState.HADIR,
            performance_rules.DayState.TL,
            performance_rules.DayState.PSW,
        ):
            item.days_present += 1
        elif state == performance_rules.DayState.TK:
            item.absent_days += 1
        elif state not in (performance_rules.DayState.LIBUR, performance_rules.DayState.BELUM):
            item.leave_days += 1
        if result.lateness_code:
            item.late_count += 1
        if result.early_leave_code:
            item.early_leave_count += 1
        _add_deductions(item, result, table)


def _add_deductions(item: EmployeeInputs, day, table) -> None:
    """Split a day's deduction into its codes (TL, PSW, APEL, TK) so each is explained on its own."""
    if day.state == performance_rules.DayState.TK:
        item.deductions.append(rules.Deduction("TK", day.date, table.absent_percent))
        if day.apel_absent:
            item.deductions.append(rules.Deduction("APEL", day.date, table.apel_absence_percent))
        return
    if day.lateness_code:
        level = int(day.lateness_code[2:])
        item.deductions.append(
            rules.Deduction(day.lateness_code, day.date, table.lateness_brackets[level - 1][1])
        )
    if day.early_leave_code:
        level = int(day.early_leave_code[3:])
        item.deductions.append(
            rules.Deduction(day.early_leave_code, day.date, table.early_leave_brackets[level - 1][1])
        )
    if day.apel_absent:
        item.deductions.append(rules.Deduction("APEL", day.date, table.apel_absence_percent))


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
    attendance = gather_attendance(tenant, month)
    absences = gather_absences(tenant, month)
    apel = gather_apel(tenant, month)
    table = performance_rules.DeductionTable.from_config(config)
    status_labels = dict(EmployeeStatus.choices)
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
            working_days=working_days,
            windows=windows,
            attendance=attendance,
            absences=absences.get(pk, ()),
            apel=apel,
            config=config,
            table=table,
            today=today,
            item=item,
        )
        productivity = rules.productivity_percent(
            item.approved_minutes, quota_minutes_per_day=quota, working_days=len(working_days)
        )
        class_amount = int(allowances.get(job_class, 0))
        result = rules.compute_tpp(
            class_amount=class_amount,
            employment_type=employment_type,
            pay_status=status,
            productivity=productivity,
            deductions=item.deductions,
            kinerja_weight=config.kinerja_weight_percent,
            disiplin_weight=config.disiplin_weight_percent,
            cpns_share=config.cpns_percent,
            statuses_not_paid=statuses_not_paid,
            status_label=str(status_labels.get(status, status)),
            deduction_cap=config.deduction_cap_percent,
        )
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
                "ceiling": result.ceiling,
                "kinerja_part": result.kinerja_part,
                "disiplin_part": result.disiplin_part,
                "gross": result.gross,
                "inputs": snapshot_inputs(
                    config, item, len(working_days), class_amount, employment_type, status
                ),
                "withheld": result.as_dict()["withheld"],
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
    month_entries = ActivityEntry.all_tenants.filter(tenant=tenant, date__range=(first, last)).exclude(
        evidence_sha256=""
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
