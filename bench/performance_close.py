"""Monthly TPP close of a large tenant against one raw SQL aggregate over the same rows.

    .venv/bin/python -m bench.performance_close [--employees 20000] [--entries-per-day 6]
                                                [--database sqlite|postgresql|all]

Seeds, with bulk inserts (executemany on SQLite, COPY on PostgreSQL) into a fresh database, a tenant
of N employees (40 perangkat daerah, a head per office supervising the rest) with an approved
configuration, 6 validated activity entries per working day of October 2026 (22 working days:
20,000 × 22 × 6 = 2.64 million entries), attendance check-in/out for every working day (some late,
some early, a few absent), and a second tenant of N/4 employees built the same way. The data trips
the close's realistic paths: lateness/early-leave/absence/apel deductions, a long evening now and
then (day_over_office_hours), a reused evidence file (duplicate_evidence) and one office head who
approves everything seconds after submission (instant_approvals). Then for each tenant it times:

- the close: `actions.compute_month_close` (set-based reads, formula per employee in Python,
  results bulk-inserted, signals recorded, audit event) — one run;
- the floor: one raw `SELECT employee_id, SUM(approved_minutes) ... GROUP BY employee_id` over the
  same month's entries (best of 3) — the least any close must read.

It prints wall times, the ratio close/floor (goal ≤ 3×), the signals and deductions found, and the
growth from N/4 to N (entries ×4, close time ×4 = linear). SQLite always; PostgreSQL too when
DATABASE_URL is postgres:// (scratch database `<name>_bench_close`, dropped afterwards). Each
database runs in its own child process so Django is configured once per database.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

GOAL = 3.0
MONTH = datetime.date(2026, 10, 1)
OFFICES = 40
BATCH = 50_000
SLOTS = [
    ("07:30", "08:20"),
    ("08:20", "09:10"),
    ("09:10", "10:00"),
    ("10:00", "10:50"),
    ("13:00", "13:50"),
    ("13:50", "14:40"),
]


def _configure(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["PRAJA_VAR_DIR"] = var_dir
    os.environ.setdefault("PRAJA_SECRET_KEY", "bench-performance-close-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "praja.config.settings"
    os.environ.setdefault("PRAJA_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _create_tables() -> None:
    """Only the tables the close touches (a full migrate first loads ~92,000 reference areas)."""
    from django.apps import apps
    from django.db import connection

    labels = [
        "contenttypes.ContentType",
        "auth.Permission",
        "auth.Group",
        "tenancy.Tenant",
        "accounts.User",
        "accounts.OrgUnit",
        "accounts.Position",
        "accounts.RoleGrant",
        "documents.StoredFile",
        "workcalendar.TenantHoliday",
        "audit.AuditEvent",
        "audit.AuditChainHead",
        "performance.PerformanceConfig",
        "performance.JobClassAllowance",
        "performance.Activity",
        "performance.Employee",
        "performance.ActivityEntry",
        "performance.AttendanceTerminal",
        "performance.AttendanceEvent",
        "performance.ApelAbsence",
        "performance.AbsenceRequest",
        "performance_tpp.MonthClose",
        "performance_tpp.EmployeeMonthResult",
        "performance_tpp.IntegritySignal",
    ]
    with connection.schema_editor() as editor:
        for label in labels:
            editor.create_model(apps.get_model(label))


def _columns(model) -> list[str]:
    return [field.column for field in model._meta.concrete_fields if not field.primary_key]


def _writer(model):
    """Return (add(row dict), finish()) that bulk-inserts rows of `model` in batches."""
    from django.db import connection

    columns = _columns(model)
    table = model._meta.db_table
    raw = connection.cursor().cursor
    batch: list[tuple] = []
    sqlite = connection.vendor == "sqlite"

    def value(item):
        if sqlite:
            if isinstance(item, datetime.datetime):
                return item.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
            if isinstance(item, datetime.date | datetime.time):
                return item.isoformat()
            if isinstance(item, dict | list):
                return json.dumps(item)
        return item

    def flush() -> None:
        if not batch:
            return
        if sqlite:
            raw.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", batch
            )
        else:
            with raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in batch:
                    copy.write_row(row)
        batch.clear()

    def add(row: dict) -> None:
        batch.append(tuple(value(row.get(column)) for column in columns))
        if len(batch) >= BATCH:
            flush()

    return add, flush


def _working_days(tenant) -> list[datetime.date]:
    from praja.modules.performance import selectors as performance
    from praja.modules.performance.tpp.computation import month_days

    check = performance.working_day_checker(tenant)
    return [day for day in month_days(MONTH) if check(day)]


def _seed(tenant, employees: int, entries_per_day: int, seed: int) -> dict:
    """Seed one tenant; return counts."""
    from zoneinfo import ZoneInfo

    from django.db import connection, transaction
    from django.utils import timezone

    from praja.core.accounts.models import OrgUnit, Position, User
    from praja.core.tenancy.context import use_tenant
    from praja.core.workflow.registry import allow_status_assignment
    from praja.modules.performance.models import (
        ActivityEntry,
        ApelAbsence,
        AttendanceEvent,
        Employee,
        JobClassAllowance,
        PerformanceConfig,
    )

    rng = random.Random(seed)
    zone = ZoneInfo(tenant.timezone)
    now = timezone.now()
    days = _working_days(tenant)
    with use_tenant(tenant), transaction.atomic():
        with allow_status_assignment():
            config = PerformanceConfig.objects.create(
                version=1, effective_from=datetime.date(2026, 1, 1), status="approved"
            )
        for job_class in range(1, 18):
            JobClassAllowance.objects.create(
                config=config, job_class=job_class, amount=1_500_000 + job_class * 450_000
            )
        units = [
            OrgUnit.objects.create(
                code=f"{index + 1:02d}", name=f"Dinas {index + 1:02d}", kind="perangkat_daerah"
            )
            for index in range(OFFICES)
        ]
        base_user = (User.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        add_user, flush_users = _writer(User)
        for index in range(employees):
            number = base_user + index
            add_user(
                {
                    "password": "!",
                    "last_login": None,
                    "is_superuser": False,
                    "email": f"asn{number}@bench.go.id",
                    "full_name": f"Pegawai {number}",
                    "phone": "",
                    "nik": None,
                    "nip": f"{199001012015010000 + number}",
                    "email_verified_at": now,
                    "preferred_language": "id",
                    "home_tenant_id": tenant.pk,
                    "is_active": True,
                    "is_platform_operator": False,
                    "date_joined": now,
                }
            )
        flush_users()
        user_ids = list(User.objects.filter(pk__gte=base_user).order_by("pk").values_list("pk", flat=True))
        heads = {}
        positions = []
        for index, user_id in enumerate(user_ids):
            unit = units[index % OFFICES]
            is_head = unit.pk not in heads
            position = Position(
                tenant=tenant,
                org_unit=unit,
                title="Kepala" if is_head else "Analis",
                job_class=12 if is_head else 5 + index % 6,
                holder_id=user_id,
                supervisor=None if is_head else heads[unit.pk],
            )
            if is_head:
                position.save()
                heads[unit.pk] = position
            else:
                positions.append(position)
        Position.objects.bulk_create(positions, batch_size=5000)
        # In pk order: employees then get the same pks on every database, so the same seed gives
        # the same people, figures and totals on SQLite and PostgreSQL.
        position_rows = list(
            Position.objects.order_by("pk").values_list(
                "pk", "holder_id", "org_unit_id", "job_class", "supervisor__holder_id"
            )
        )
        Employee.objects.bulk_create(
            [
                Employee(
                    tenant=tenant,
                    user_id=holder,
                    position_id=pk,
                    org_unit_id=unit,
                    job_class=job_class,
                    employment_type="cpns" if holder % 17 == 0 else "pns",
                    status="tugas_belajar" if holder % 211 == 0 else "active",
                )
                for pk, holder, unit, job_class, _supervisor in position_rows
            ],
            batch_size=5000,
        )
        supervisor_of = {holder: supervisor for _pk, holder, _unit, _class, supervisor in position_rows}
        # The head of the first office approves everything seconds after submission (instant_approvals).
        rubber_stamp = next((sup for *_rest, sup in position_rows if sup is not None), None)
        people = list(Employee.objects.order_by("pk").values_list("pk", "user_id"))
        add_entry, flush_entries = _writer(ActivityEntry)
        add_event, flush_events = _writer(AttendanceEvent)
        add_apel, flush_apel = _writer(ApelAbsence)
        entries = events = 0
        previous_evidence = ""
        for number, (employee_id, user_id) in enumerate(people):
            supervisor = supervisor_of.get(user_id) or user_id
            instant = supervisor == rubber_stamp
            absent_days = {rng.randrange(len(days))} if rng.random() < 0.05 else set()
            # One employee in 500 logs a long evening on the first day (day_over_office_hours), one in
            # 1,000 reuses the previous employee's evidence file (duplicate_evidence), about one in 50
            # misses an apel (APEL deduction).
            long_day = number % 500 == 7
            reuse_evidence = number % 1000 == 11
            apel_day = rng.randrange(len(days)) if rng.random() < 0.02 else None
            for index, day in enumerate(days):
                created = datetime.datetime.combine(day, datetime.time(16, 30), tzinfo=zone)
                slots = [SLOTS[slot % len(SLOTS)] for slot in range(entries_per_day)]
                if long_day and index == 0:
                    slots.append(("15:00", "21:00"))
                for slot, (start, end) in enumerate(slots):
                    rejected = rng.random() < 0.03
                    minutes = 50 if rng.random() < 0.7 else 40
                    evidence = ""
                    if slot == 0:
                        evidence = f"{(employee_id * 7919 + index) % 1_000_003:064x}"
                        if reuse_evidence and index == 0 and previous_evidence:
                            evidence = previous_evidence
                        previous_evidence = evidence
                    wait = (
                        datetime.timedelta(seconds=5 + rng.randrange(30))
                        if instant
                        else (datetime.timedelta(hours=18, seconds=rng.randrange(3600)))
                    )
                    add_entry(
                        {
                            "tenant_id": tenant.pk,
                            "employee_id": employee_id,
                            "owner_id": user_id,
                            "config_id": config.pk,
                            "date": day,
                            "start_time": datetime.time.fromisoformat(start),
                            "end_time": datetime.time.fromisoformat(end),
                            "activity_id": None,
                            "is_additional_task": True,
                            "description": "Menyusun laporan",
                            "volume": 1,
                            "output": "1 laporan",
                            "evidence_file_id": None,
                            "evidence_sha256": evidence,
                            "evidence_link": "",
                            "is_official_travel": False,
                            "claimed_minutes": minutes,
                            "credited_minutes": minutes,
                            "approved_minutes": 0 if rejected else minutes,
                            "status": "rejected" if rejected else "approved",
                            "version": 1,
                            "validated_by_id": supervisor,
                            "validated_at": created + wait,
                            "validation_reason": "",
                            "created_at": created,
                            "updated_at": created,
                        }
                    )
                    entries += 1
                if index == apel_day:
                    add_apel(
                        {
                            "tenant_id": tenant.pk,
                            "employee_id": employee_id,
                            "date": day,
                            "recorded_by_id": None,
                            "created_at": created,
                        }
                    )
                if index in absent_days:
                    continue
                check_in = datetime.datetime.combine(
                    day, datetime.time(7, 0), tzinfo=zone
                ) + datetime.timedelta(
                    # About one day in ten late (TL1–TL3), the rest on time.
                    minutes=rng.choice((5, 10, 12, 15, 18, 20, 22, 25, 28, 29) * 9 + (35, 45, 70, 95) * 2)
                )
                check_out = datetime.datetime.combine(
                    day, datetime.time(16, 0), tzinfo=zone
                ) + datetime.timedelta(
                    # About one day in twenty leaving early (PSW1).
                    minutes=rng.choice((5, 10, 35, 40, 45) * 4 + (-20,))
                )
                for kind, moment in (("check_in", check_in), ("check_out", check_out)):
                    add_event(
                        {
                            "tenant_id": tenant.pk,
                            "employee_id": employee_id,
                            "kind": kind,
                            "occurred_at": moment,
                            "local_date": day,
                            "source": "terminal",
                            "terminal_id": None,
                            "terminal_event_id": "",
                            "client_time": None,
                            "client_offset_seconds": None,
                            "latitude": None,
                            "longitude": None,
                            "distance_m": None,
                            "photo_id": None,
                            "photo_sha256": "",
                            "recorded_by_id": None,
                            "created_at": moment,
                        }
                    )
                    events += 1
        flush_entries()
        flush_events()
        flush_apel()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {"employees": len(people), "working_days": len(days), "entries": entries, "events": events}


def _floor(tenant) -> float:
    from django.db import connection

    from praja.modules.performance import rules as performance_rules
    from praja.modules.performance.models import ActivityEntry

    first, last = performance_rules.month_bounds(MONTH.year, MONTH.month)
    sql = (
        f"SELECT employee_id, SUM(approved_minutes) FROM {ActivityEntry._meta.db_table} "
        "WHERE tenant_id = %s AND date BETWEEN %s AND %s AND status IN ('approved', 'adjusted') "
        "GROUP BY employee_id"
    )
    best = float("inf")
    for _round in range(3):
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(sql, [tenant.pk, first, last])
            rows = cursor.fetchall()
        best = min(best, time.perf_counter() - started)
        assert rows
    return best


def _close(tenant) -> tuple[float, object]:
    from praja.core.tenancy.context import use_tenant
    from praja.modules.performance.tpp import actions

    with use_tenant(tenant):
        started = time.perf_counter()
        close = actions.compute_month_close(
            actor=None, month=MONTH, by_system=True, today=datetime.date(2026, 11, 10)
        )
        return time.perf_counter() - started, close


def _signal_kinds(close) -> dict:
    from django.db.models import Count

    from praja.modules.performance.tpp.models import IntegritySignal

    return dict(
        IntegritySignal.all_tenants.filter(close=close)
        .values_list("kind")
        .annotate(n=Count("id"))
        .order_by("kind")
    )


def _deduction_counts(close) -> dict:
    """How many employees got a lateness, early-leave, absence or apel deduction (a realistic path)."""
    from django.db.models import Q, Sum

    from praja.modules.performance.tpp.models import EmployeeMonthResult

    rows = EmployeeMonthResult.all_tenants.filter(close=close)
    return {
        "late_days": rows.aggregate(n=Sum("late_count"))["n"] or 0,
        "early_leave_days": rows.aggregate(n=Sum("early_leave_count"))["n"] or 0,
        "absent_days": rows.aggregate(n=Sum("absent_days"))["n"] or 0,
        "with_deductions": rows.filter(~Q(deduction_percent=0)).count(),
    }


def _measure(database: str, database_url: str, employees: int, entries_per_day: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="praja-bench-close-") as var_dir:
        if database == "sqlite":
            database_url = f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
        _configure(database_url, var_dir)
        from django.db import connection

        from praja.core.tenancy.models import Tenant

        _create_tables()
        runs = []
        for code, slug, name, size in (
            ("32.73", "kota-bandung", "Kota Bandung", employees),
            ("36.04", "kabupaten-serang", "Kabupaten Serang", max(employees // 4, OFFICES)),
        ):
            tenant = Tenant.objects.create(
                code=code,
                slug=slug,
                name=name,
                level="kota",
                province_code=code[:2],
                province_name="-",
                timezone="Asia/Jakarta",
            )
            started = time.perf_counter()
            counts = _seed(tenant, size, entries_per_day, seed=int(code.replace(".", "")))
            seed_seconds = time.perf_counter() - started
            floor = _floor(tenant)
            close_seconds, close = _close(tenant)
            floor = min(floor, _floor(tenant))
            runs.append(
                {
                    **counts,
                    "seed_seconds": round(seed_seconds, 1),
                    "close_seconds": round(close_seconds, 2),
                    "floor_seconds": round(floor, 3),
                    "ratio": round(close_seconds / floor, 2),
                    "microseconds_per_entry": round(close_seconds / counts["entries"] * 1e6, 2),
                    "results": close.employee_count,
                    "total_paid": close.total_paid,
                    "signals": close.signal_count,
                    "signal_kinds": _signal_kinds(close),
                    "deductions": _deduction_counts(close),
                }
            )
        vendor = connection.vendor
        connection.close()
    return {"database": vendor, "runs": runs, "cpus": os.cpu_count()}


def _scratch_postgres(database_url: str):
    import psycopg

    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'praja'}_bench_close"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')

    def drop() -> None:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return urlunsplit(parts._replace(path=f"/{name}")), drop


def _child(args) -> int:
    drop = None
    url = ""
    if args.only == "postgresql":
        url, drop = _scratch_postgres(args.database_url)
    try:
        result = _measure(args.only, url, args.employees, args.entries_per_day)
    finally:
        if drop is not None:
            drop()
    print(json.dumps(result), flush=True)
    return 0


def _report(result: dict) -> str:
    lines = [f"{result['database']} ({result['cpus']} CPUs)"]
    for run in result["runs"]:
        met = "met" if run["ratio"] <= GOAL else "NOT met"
        lines += [
            f"  {run['employees']:,} employees x {run['working_days']} working days: "
            f"{run['entries']:,} entries, "
            f"{run['events']:,} attendance events (seeded in {run['seed_seconds']} s)",
            f"    floor: raw SUM(approved_minutes) GROUP BY employee   {run['floor_seconds']:>8.3f} s",
            f"    close: compute_month_close                          {run['close_seconds']:>8.2f} s"
            f"   ratio {run['ratio']:.2f} (goal <= {GOAL:.0f}: {met})",
            f"    {run['microseconds_per_entry']} us per entry; {run['results']:,} results, "
            f"TPP Rp{run['total_paid']:,}, {run['signals']} signals {run['signal_kinds']}",
            f"    attendance: {run['deductions']}",
        ]
    if len(result["runs"]) == 2:
        big, small = result["runs"]
        lines.append(
            f"  linearity: entries x{big['entries'] / small['entries']:.2f}, close time "
            f"x{big['close_seconds'] / small['close_seconds']:.2f}, floor x"
            f"{big['floor_seconds'] / small['floor_seconds']:.2f}; time per entry full / quarter size = "
            f"{big['microseconds_per_entry'] / small['microseconds_per_entry']:.2f} (1.00 = linear)"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.performance_close", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--entries-per-day", type=int, default=6)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "all"], default=None)
    parser.add_argument("--only", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.only:
        return _child(args)
    database_url = args.database_url
    is_postgres = database_url.startswith(("postgres://", "postgresql://"))
    choice = args.database or ("all" if is_postgres else "sqlite")
    databases = ["sqlite", "postgresql"] if choice == "all" else [choice]
    if "postgresql" in databases and not is_postgres:
        database_url = "postgres://postgres@127.0.0.1:5432/praja"
    root = Path(__file__).resolve().parent.parent
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(root / "src"), str(root)])}
    status = 0
    for database in databases:
        command = [
            sys.executable,
            "-m",
            "bench.performance_close",
            "--only",
            database,
            "--employees",
            str(args.employees),
            "--entries-per-day",
            str(args.entries_per_day),
            "--database-url",
            database_url,
        ]
        print(f"seeding and closing {args.employees:,} employees on {database} ...", flush=True)
        finished = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
        if finished.returncode != 0:
            print(finished.stdout + finished.stderr)
            status = 1
            continue
        print(_report(json.loads(finished.stdout.strip().splitlines()[-1])), flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
