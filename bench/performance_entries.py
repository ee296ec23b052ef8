"""e-Kinerja benchmark: posting activity entries through the API with 32 concurrent employees.

    .venv/bin/python -m bench.performance_entries [--clients 32] [--duration 15] [--workers N]

gunicorn (sync workers) serves Praja on a free 127.0.0.1 port with a fresh SQLite database (and,
with DATABASE_URL set to PostgreSQL, also a fresh `<name>_bench_entries` database) holding Kota
Bandung with its approved e-Kinerja configuration (quota, office hours, H+3 deadline, catalogue) and
N employees under one supervisor, each with its own API token. Each client is one employee posting
`POST /t/kota-bandung/api/v1/performance/entries/` for distinct 5-minute slots (06:30–18:00) of the
working days still open for entry (H+3), so every entry is valid: no overlap, inside office hours
plus tolerance, before the deadline. Every entry runs the full action: calendar, overlap and cap
checks under a row lock of the employee, the insert and the audit-chain record.

The baseline is `/bench/json` (bench/urls.py: a bare JsonResponse through every middleware) loaded
the same way in the same server in the same run. It prints requests/s, p50 and p99 of both, the
ratio, the goal (p99 < 150 ms), and then counts the entries in the database: as many as the clients
got 201 for, per employee too, and no (employee, date, start) twice — nothing lost or duplicated.

`python -m bench.performance_entries seed N` and `... count` are the seeding/counting steps run in a
subprocess against the benchmark database (Django configured there, never in this process).

`--profile N` skips the load: it seeds a fresh database and posts N entries in-process (one
employee after another, no server), reporting per entry POST the SQL queries (CaptureQueriesContext,
with the statements of one post grouped by table) and the CPU time of the request (process_time),
which is what the load test multiplies: CPU per request bounds req/s on this machine's cores.
"""

from __future__ import annotations

import argparse
import datetime
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from bench._load import run_wrk_script
from bench._server import ROOT, BenchServer, fresh_postgres_url

GOAL_P99_MS = 150.0
SOLO_SECONDS = 5.0
# The client alone posts ~200 entries a second: it takes turns among employees of its own, so it
# never runs out of the open days' slots (138 a day per employee).
SOLO_EMPLOYEES = 8
WRK_SCRIPT = Path(__file__).with_suffix(".lua")
TENANT_CODE = "32.73"
TENANT_SLUG = "kota-bandung"
FIRST_SLOT = 6 * 60 + 30
LAST_SLOT_END = 18 * 60
SLOT_MINUTES = 5


# --- Seeding (runs in the subprocess) ---------------------------------------------------------------


def _seed(count: int) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from rest_framework.authtoken.models import Token

    from praja.core.accounts.models import OrgUnit, OrgUnitKind, Position, RoleGrant, User
    from praja.core.calendar import selectors as calendar
    from praja.core.tenancy.actions import add_tenant
    from praja.core.tenancy.context import use_tenant
    from praja.modules.performance import rules, selectors
    from praja.modules.performance.demo import create_config
    from praja.modules.performance.models import Employee
    from praja.modules.performance.permissions import PEGAWAI

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - started
    tenant = add_tenant(code=TENANT_CODE, actor=None)
    with use_tenant(tenant):
        config = create_config(effective_from=datetime.date(2020, 1, 1))
        agency = OrgUnit.objects.create(
            code="2.18",
            name="Dinas Penanaman Modal dan PTSP",
            short_name="DPMPTSP",
            kind=OrgUnitKind.PERANGKAT_DAERAH,
        )
        chief_user = User.objects.create_user(
            email="atasan@bench.praja.id",
            password=None,
            full_name="Kepala Bidang",
            nip="197001012000011000",
            home_tenant=tenant,
        )
        chief = Position.objects.create(
            org_unit=agency, title="Kepala Bidang", job_class=11, holder=chief_user
        )
        tokens = []
        for index in range(count):
            user = User.objects.create_user(
                email=f"pegawai{index}@bench.praja.id",
                password=None,
                full_name=f"Pegawai {index}",
                nip=f"1990010120200110{index:02d}",
                home_tenant=tenant,
            )
            position = Position.objects.create(
                org_unit=agency, title="Penata Perizinan", job_class=9, supervisor=chief, holder=user
            )
            RoleGrant.objects.create(user=user, role=PEGAWAI.name)
            Employee.objects.create(
                user=user,
                position=position,
                org_unit=agency,
                job_class=9,
                job_family="perizinan",
                employment_type="pns",
            )
            tokens.append(Token.objects.create(user=user).key)
        activity = config.activities.get(code="verifikasi-berkas")
        today = selectors.local_today(tenant)
        check = selectors.working_day_checker(tenant)
        days = []
        day = today - datetime.timedelta(days=14)
        while day <= today:
            deadline = rules.entry_deadline(day, config.entry_deadline_working_days, check)
            if calendar.is_working_day(tenant, day) and today <= deadline:
                days.append(day.isoformat())
            day += datetime.timedelta(days=1)
    return {
        "tokens": tokens,
        "activity": activity.pk,
        "days": days,
        "migrate_seconds": round(migrated, 1),
        "seed_seconds": round(time.perf_counter() - started - migrated, 1),
    }


def _count() -> dict:
    import django

    django.setup()
    from django.db.models import Count

    from praja.core.tenancy.models import Tenant
    from praja.modules.performance.models import ActivityEntry

    tenant = Tenant.objects.get(code=TENANT_CODE)
    rows = ActivityEntry.all_tenants.filter(tenant=tenant)
    per_employee = dict(
        rows.values_list("owner__email").annotate(total=Count("id")).values_list("owner__email", "total")
    )
    distinct = rows.values("employee_id", "date", "start_time").distinct().count()
    return {"entries": rows.count(), "distinct_slots": distinct, "per_employee": per_employee}


def _profile(count: int, seed: dict) -> dict:
    """Post `count` entries in-process through the full API stack; queries and CPU per request."""
    import django

    django.setup()
    import re
    from collections import Counter

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    clients = []
    for token in seed["tokens"]:
        client = APIClient(SERVER_NAME="127.0.0.1")
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        clients.append((client, slots(seed["days"])))
    path = f"/t/{TENANT_SLUG}/api/v1/performance/entries/"
    queries, cpu, wall, sample = [], [], [], []
    for index in range(count + 1):
        client, free = clients[index % len(clients)]
        day, start, end = next(free)
        body = {"date": day, "start_time": start, "end_time": end, "activity": seed["activity"], "volume": 1}
        body["output"] = "1 berkas diverifikasi"
        cpu_started, wall_started = time.process_time(), time.perf_counter()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(path, body, format="json")
        if response.status_code != 201:
            raise RuntimeError(f"entry refused: {response.status_code} {response.content[:300]!r}")
        if index == 0:
            continue  # the first request warms caches (URL resolver, templates, permissions)
        cpu.append(time.process_time() - cpu_started)
        wall.append(time.perf_counter() - wall_started)
        queries.append(len(captured.captured_queries))
        sample = [item["sql"] for item in captured.captured_queries]

    # The baseline in the same process: the cheapest Django view through every middleware.
    baseline_cpu = []
    baseline = APIClient(SERVER_NAME="127.0.0.1")
    for _ in range(count):
        cpu_started = time.process_time()
        baseline.get("/bench/json")
        baseline_cpu.append(time.process_time() - cpu_started)

    def shape(sql: str) -> str:
        verb = sql.split(None, 1)[0].upper()
        outer = sql
        while True:  # the statement's own table, not a subquery's: drop what is in parentheses
            inner = re.sub(r"\([^()]*\)", "", outer)
            if inner == outer:
                break
            outer = inner
        table = re.search(r'(?:FROM|INTO|UPDATE)\s+"?(\w+)"?', outer, re.IGNORECASE)
        lock = " FOR UPDATE" if "FOR UPDATE" in sql.upper() else ""
        return f"{verb} {table.group(1) if table else '?'}{lock}"

    def quantile(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]

    return {
        "posts": len(queries),
        "queries_min": min(queries),
        "queries_median": statistics.median(queries),
        "queries_max": max(queries),
        "cpu_ms_p50": round(quantile(cpu, 0.5) * 1000, 1),
        "cpu_ms_p99": round(quantile(cpu, 0.99) * 1000, 1),
        "baseline_cpu_ms_p50": round(quantile(baseline_cpu, 0.5) * 1000, 2),
        "wall_ms_p50": round(quantile(wall, 0.5) * 1000, 1),
        "wall_ms_p99": round(quantile(wall, 0.99) * 1000, 1),
        "one_post": sorted(Counter(shape(sql) for sql in sample).items()),
    }


def run_profile(database: str, url: str | None, *, posts: int) -> str:
    server = BenchServer(database=database, database_url=url, workers=1)
    try:
        seed = run_helper(server, "seed", "4")
        result = run_helper(server, "profile", str(posts), json.dumps(seed))
        print(
            f"\n[{database}] {result['posts']} entry posts in-process (no server), load average "
            + " ".join(f"{value:.1f}" for value in os.getloadavg())
        )
        print(
            f"  queries per post: min {result['queries_min']}, median {result['queries_median']}, "
            f"max {result['queries_max']}"
        )
        print(
            f"  CPU per post p50 {result['cpu_ms_p50']} ms p99 {result['cpu_ms_p99']} ms; "
            f"wall p50 {result['wall_ms_p50']} ms p99 {result['wall_ms_p99']} ms; "
            f"baseline GET /bench/json CPU p50 {result['baseline_cpu_ms_p50']} ms"
        )
        for statement, times in result["one_post"]:
            print(f"    {times} x {statement}")
        return (
            f"[{database}] {result['queries_median']} queries and {result['cpu_ms_p50']} ms CPU "
            f"per entry post (p50; p99 {result['cpu_ms_p99']} ms)"
        )
    finally:
        server.cleanup()


def run_helper(server: BenchServer, *arguments: str) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.performance_entries", *arguments],
        cwd=ROOT,
        env=server.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"helper {arguments} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- Load -------------------------------------------------------------------------------------------


def slots(days: list[str]):
    """Distinct (date, start, end) of 5 minutes each, in order."""
    for day in days:
        for start in range(FIRST_SLOT, LAST_SLOT_END, SLOT_MINUTES):
            end = start + SLOT_MINUTES
            yield day, f"{start // 60:02d}:{start % 60:02d}", f"{end // 60:02d}:{end % 60:02d}"


@dataclass
class LoadRun:
    """One phase of load (the baseline or the entries), from either client."""

    client: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    created: dict[int, int] = field(default_factory=dict)  # 201 answers per employee (token index)
    errors: list[str] = field(default_factory=list)  # other answers, broken requests, slots run out

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def _connection(base_url: str) -> http.client.HTTPConnection:
    parts = urlsplit(base_url)
    assert parts.hostname == "127.0.0.1", "benchmarks only ever request the loopback address"
    return http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)


def _entry_body(seed: dict, day: str, start: str, end: str) -> str:
    return json.dumps(
        {
            "date": day,
            "start_time": start,
            "end_time": end,
            "activity": seed["activity"],
            "volume": 1,
            "output": "1 berkas diverifikasi",
        }
    )


def run_clients(
    base_url: str, seed: dict, groups: list[list[int]], *, duration: float, baseline: bool
) -> LoadRun:
    """The Python client (when wrk is missing): one thread per client, one request in flight each.

    Client i posts as the employees `groups[i]` (token indexes) in turn, each its own `slots()`.
    """
    latencies: list[list[float]] = [[] for _ in groups]
    created = {index: 0 for group in groups for index in group}
    errors: list[str] = []
    barrier = threading.Barrier(len(groups) + 1)
    deadline: list[float] = []

    def work(client: int) -> None:
        connection = _connection(base_url)
        employees = [
            (
                index,
                {
                    "Authorization": f"Token {seed['tokens'][index]}",
                    "Content-Type": "application/json",
                    "Accept": "application/json",
                },
                slots(seed["days"]),
            )
            for index in groups[client]
        ]
        turn = 0
        barrier.wait()
        while time.perf_counter() < deadline[0] and employees:
            index, headers, free = employees[turn % len(employees)]
            if baseline:
                method, path, body = "GET", "/bench/json", None
            else:
                slot = next(free, None)
                if slot is None:
                    employees.remove((index, headers, free))
                    if not employees:
                        errors.append("no free slot left")
                    continue
                method, path = "POST", f"/t/{TENANT_SLUG}/api/v1/performance/entries/"
                body = _entry_body(seed, *slot)
            turn += 1
            began = time.perf_counter()
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException) as error:
                errors.append(str(error))
                connection.close()
                connection = _connection(base_url)
                continue
            latencies[client].append(time.perf_counter() - began)
            if response.status != (200 if baseline else 201):
                errors.append(f"{response.status}: {data[:200]!r}")
            elif not baseline:
                created[index] += 1

    threads = [threading.Thread(target=work, args=(client,)) for client in range(len(groups))]
    for thread in threads:
        thread.start()
    deadline.append(time.perf_counter() + duration)
    started = time.perf_counter()
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    values = sorted(value for values in latencies for value in values) or [0.0]
    p99 = values[min(len(values) - 1, int(round(0.99 * (len(values) - 1))))]
    return LoadRun(
        client="python threads",
        requests=sum(len(values) for values in latencies),
        seconds=elapsed,
        p50_ms=statistics.median(values) * 1000,
        p99_ms=p99 * 1000,
        created=created,
        errors=errors,
    )


def run_wrk_clients(
    base_url: str, seed: dict, groups: list[list[int]], *, duration: float, baseline: bool
) -> LoadRun:
    """The same clients driven by wrk (bench/performance_entries.lua): one wrk thread per client.

    wrk's C event loop takes far less of the server's two cores than 32 Python threads, so the
    figures are the server's. The script times each counted request and returns the latencies, so
    both clients compute requests/s, p50 and p99 the same way; the 201s per employee come back for
    the database check.
    """
    path = "/bench/json" if baseline else f"/t/{TENANT_SLUG}/api/v1/performance/entries/"
    data = run_wrk_script(
        base_url,
        WRK_SCRIPT,
        [
            "baseline" if baseline else "entries",
            f"{duration:g}",
            path,
            str(seed["activity"]),
            ",".join(seed["days"]),
            *(",".join(seed["tokens"][index] for index in group) for group in groups),
        ],
        connections=len(groups),
        duration=duration,
    )
    created: dict[int, int] = {}
    errors: list[str] = []
    for group, thread in zip(groups, data["threads"], strict=True):
        if not baseline:
            created.update(zip(group, thread["created"], strict=True))
        errors += thread["samples"]
        errors += ["(answer not kept)"] * (thread["other_answers"] - len(thread["samples"]))
        if thread["ran_out"]:
            errors.append("no free slot left")
    for kind in ("connect", "read", "write"):
        errors += [f"{kind} error"] * data[f"{kind}_errors"]
    errors += ["timeout (10 s)"] * data["timeouts"]
    clients = [thread for thread in data["threads"] if thread["latencies_s"]]
    values = sorted(value for thread in clients for value in thread["latencies_s"]) or [0.0]
    p99 = values[min(len(values) - 1, int(round(0.99 * (len(values) - 1))))]
    return LoadRun(
        client="wrk",
        requests=sum(len(thread["latencies_s"]) for thread in clients),
        seconds=max((thread["last_answer"] for thread in clients), default=0.0)
        - min((thread["first_sent"] for thread in clients), default=0.0),
        p50_ms=statistics.median(values) * 1000,
        p99_ms=p99 * 1000,
        created=created,
        errors=errors,
    )


def run_database(
    database: str, url: str | None, *, clients: int, duration: float, workers: int, client: str
) -> str:
    server = BenchServer(database=database, database_url=url, workers=workers)
    load = run_wrk_clients if client == "wrk" else run_clients
    try:
        seed = run_helper(server, "seed", str(clients + SOLO_EMPLOYEES))
        if not seed["days"]:
            raise RuntimeError("no working day is open for entry today (H+3); the benchmark needs one")
        print(
            f"\n[{database}] migrated in {seed['migrate_seconds']} s, seeded in {seed['seed_seconds']} s; "
            f"gunicorn {workers} sync workers; {clients} employees for {duration:g} s; "
            f"open days {seed['days']}; load client: {client}",
            flush=True,
        )
        base_url = server.start()
        everyone = [[index] for index in range(clients)]
        alone = [list(range(clients, clients + SOLO_EMPLOYEES))]
        base = load(base_url, seed, everyone, duration=duration, baseline=True)
        entries = load(base_url, seed, everyone, duration=duration, baseline=False)
        solo_base = load(base_url, seed, alone, duration=SOLO_SECONDS, baseline=True)
        solo = load(base_url, seed, alone, duration=SOLO_SECONDS, baseline=False)
        created = {**entries.created, **solo.created}
        errors = base.errors + entries.errors + solo_base.errors + solo.errors
        counts = run_helper(server, "count")
        problems = []
        if counts["entries"] != sum(created.values()):
            problems.append(
                f"{counts['entries']} entries in the database, clients got 201 for {sum(created.values())}"
            )
        if counts["distinct_slots"] != counts["entries"]:
            problems.append(
                f"{counts['entries'] - counts['distinct_slots']} duplicated (employee, date, start)"
            )
        for index, got in sorted(created.items()):
            email = f"pegawai{index}@bench.praja.id"
            if counts["per_employee"].get(email, 0) != got:
                problems.append(f"{email}: {counts['per_employee'].get(email, 0)} stored, {got} created")
        ratio = entries.rate / base.rate if base.rate else 0
        print(f"[{database}] load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()))
        print(
            f"  baseline GET /bench/json   {base.rate:8.1f} req/s  p50 {base.p50_ms:6.1f} ms  "
            f"p99 {base.p99_ms:6.1f} ms"
        )
        print(
            f"  POST performance/entries/  {entries.rate:8.1f} req/s  p50 {entries.p50_ms:6.1f} ms  "
            f"p99 {entries.p99_ms:6.1f} ms  ratio {ratio:.2f}  goal p99 < {GOAL_P99_MS:g} ms: "
            f"{'met' if entries.p99_ms < GOAL_P99_MS else 'NOT met'}"
        )
        print(
            f"  one client alone (service time): baseline p50 {solo_base.p50_ms:.1f} ms "
            f"p99 {solo_base.p99_ms:.1f} ms; entries p50 {solo.p50_ms:.1f} ms p99 {solo.p99_ms:.1f} ms"
        )
        print(f"  {sum(created.values())} entries created, client errors {len(errors)}")
        for error in errors[:5]:
            print(f"    error: {error}")
        verdict = (
            "no entry lost or duplicated" if not problems and not errors else "; ".join(problems + errors[:3])
        )
        print(f"  database check: {verdict}", flush=True)
        return (
            f"[{database}] client {entries.client}: entries {entries.rate:.1f} req/s "
            f"(p99 {entries.p99_ms:.0f} ms) vs baseline {base.rate:.1f} req/s (p99 {base.p99_ms:.0f} ms), "
            f"ratio {ratio:.2f}; {verdict}"
        )
    finally:
        server.cleanup()


def main(argv: list[str] | None = None) -> int:
    argv = list(argv or [])
    if argv[:1] == ["seed"]:
        print(json.dumps(_seed(int(argv[1]))))
        return 0
    if argv[:1] == ["count"]:
        print(json.dumps(_count()))
        return 0
    if argv[:1] == ["profile"]:
        print(json.dumps(_profile(int(argv[1]), json.loads(argv[2]))))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m bench.performance_entries", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--duration", type=float, default=15.0)
    parser.add_argument("--workers", type=int, default=max(2, min(4, os.cpu_count() or 2)))
    parser.add_argument(
        "--client",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load client: wrk when installed (auto), else Python threads",
    )
    parser.add_argument(
        "--profile", type=int, metavar="N", default=0, help="only post N entries in-process: queries, CPU"
    )
    args = parser.parse_args(argv)
    client = args.client
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "python"
    elif client == "wrk" and not shutil.which("wrk"):
        parser.error("wrk is not installed (apt-get install wrk)")
    print(
        f"e-Kinerja entries benchmark on {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    databases = [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(("postgresql", fresh_postgres_url(os.environ["DATABASE_URL"], "_bench_entries")))
    if args.profile:
        summary = [run_profile(database, url, posts=args.profile) for database, url in databases]
    else:
        summary = [
            run_database(
                database,
                url,
                clients=args.clients,
                duration=args.duration,
                workers=args.workers,
                client=client,
            )
            for database, url in databases
        ]
    print()
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
