"""Grants benchmark: the public recipient list (page, filtered page, API) and the CSV export of
every recipient, against the bare Django view, on N awarded grants.

    .venv/bin/python -m bench.grants_public [--grants 200000] [--duration 10] [--connections 4]
                                            [--workers N] [--only sqlite|postgresql]

gunicorn (sync workers) serves Praja on a free 127.0.0.1 port with a fresh SQLite database (and,
with DATABASE_URL set to PostgreSQL, also a fresh `<name>_bench_grants` database) holding N awarded
grants of Kota Bandung (bulk_create in a subprocess: programmes over two years, organisations in
every kecamatan, proposals in every post-NPHD stage, paid tranches for the disbursed ones). Measured
in the same run: the baseline `/bench/json`, the first page of `/grants/public/penerima/`, a
filtered deep page (year + LPJ status, page 40), the public API list, and one download of
`penerima.csv` with all N rows (wall time, rows, bytes). Goals: p99 < 300 ms for the pages,
CSV of 200,000 rows < 30 s.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import urllib.request

from bench._load import LoadResult, run_load
from bench._server import ROOT, BenchServer, fresh_postgres_url

GOAL_P99_MS = 300.0
GOAL_CSV_SECONDS = 30.0
TENANT_CODE = "32.73"
BATCH = 5000
STATUSES = (
    ("nphd_signed", 10),
    ("disbursing", 5),
    ("in_progress", 30),
    ("lpj_submitted", 10),
    ("lpj_rejected", 5),
    ("lpj_overdue", 10),
    ("closed", 30),
)


# --- seeding (runs in a subprocess with the server's settings and database) ----------------------


def seed(grants: int) -> dict:
    import django

    django.setup()
    import datetime
    import random

    from django.core.management import call_command
    from django.utils import timezone

    from praja.core.accounts.models import User
    from praja.core.reference.models import Area, AreaLevel
    from praja.core.tenancy.actions import add_tenant
    from praja.core.tenancy.context import use_tenant
    from praja.core.workflow.registry import allow_status_assignment
    from praja.modules.grants.funds.models import Tranche
    from praja.modules.grants.models import Organisation, Programme, Proposal

    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrated = time.perf_counter() - started
    started = time.perf_counter()
    tenant = add_tenant(code=TENANT_CODE, actor=None)
    rng = random.Random(20261129)
    villages = list(
        Area.objects.filter(level=AreaLevel.VILLAGE, code__startswith=f"{TENANT_CODE}.").values_list(
            "code", flat=True
        )
    )
    applicant = User.objects.create_user(
        email="pemohon@bench.example", full_name="Pemohon Bench", password=None, home_tenant=tenant
    )
    now = timezone.now()
    statuses = [status for status, weight in STATUSES for _ in range(weight)]
    with use_tenant(tenant), allow_status_assignment():
        programmes = [
            Programme.objects.create(
                code=f"hibah-{year}-{index}",
                name=f"Hibah Lembaga {index} {year}",
                budget_year=year,
                kind="hibah",
                envelope=grants * 60_000_000,
                opens_at=now - datetime.timedelta(days=400),
                closes_at=now - datetime.timedelta(days=300),
                lpj_deadline=datetime.date(year + 1, 1, 10),
                is_published=True,
            )
            for year in (2025, 2026)
            for index in (1, 2)
        ]
        organisations = Organisation.objects.bulk_create(
            [
                Organisation(
                    tenant=tenant,
                    name=f"Yayasan Bench {index:06d}",
                    kind="yayasan",
                    address=f"Jl. Bench {index}",
                    area_id=rng.choice(villages),
                    registered_by=applicant,
                    status="verified",
                )
                for index in range(max(grants // 10, 1))
            ],
            batch_size=BATCH,
        )
        for start in range(0, grants, BATCH):
            rows = []
            for index in range(start, min(start + BATCH, grants)):
                programme = programmes[index % len(programmes)]
                amount = rng.randrange(10, 500) * 1_000_000
                rows.append(
                    Proposal(
                        tenant=tenant,
                        number=f"HBH-{programme.budget_year}-{index:07d}",
                        programme=programme,
                        organisation=organisations[index % len(organisations)],
                        applicant=applicant,
                        budget_year=programme.budget_year,
                        title=f"Kegiatan sosial nomor {index}",
                        purpose="Pemberdayaan warga.",
                        start_date=datetime.date(programme.budget_year, 3, 1),
                        end_date=datetime.date(programme.budget_year, 11, 30),
                        amount_requested=amount,
                        agreed_amount=amount,
                        status=statuses[index % len(statuses)],
                        submitted_at=now - datetime.timedelta(days=300),
                        decided_at=now - datetime.timedelta(days=200),
                    )
                )
            created = Proposal.objects.bulk_create(rows, batch_size=BATCH)
            Tranche.objects.bulk_create(
                [
                    Tranche(
                        tenant=tenant,
                        proposal=proposal,
                        programme_id=proposal.programme_id,
                        number=1,
                        amount=proposal.agreed_amount,
                        status="paid",
                        idempotency_key=f"bench-{proposal.pk}",
                        paid_at=now - datetime.timedelta(days=rng.randrange(30, 200)),
                    )
                    for proposal in created
                    if proposal.status not in ("nphd_signed", "disbursing")
                ],
                batch_size=BATCH,
            )
    # Fresh tables: refresh the planner's statistics, as autovacuum does on a live database.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "tenant": tenant.slug,
        "grants": grants,
        "tranches": Tranche.all_tenants.count(),
        "migrate_seconds": round(migrated, 1),
        "seed_seconds": round(time.perf_counter() - started, 1),
    }


def run_seed(server: BenchServer, grants: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-m", "bench.grants_public", "--seed-only", str(grants)],
        cwd=ROOT,
        env=server.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"seeding failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# --- measuring -----------------------------------------------------------------------------------


def _row(name: str, result: LoadResult, baseline: LoadResult | None) -> str:
    ratio = f"{result.rps / baseline.rps:5.2f}" if baseline else "  -  "
    return (
        f"  {name:<44} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
        f"  ratio {ratio}  errors {result.errors}"
    )


def download(url: str) -> tuple[float, int, int]:
    """(seconds, data rows, bytes) of one full download."""
    started = time.perf_counter()
    rows = size = 0
    with urllib.request.urlopen(url, timeout=600) as response:
        for line in response:
            rows += 1
            size += len(line)
    return time.perf_counter() - started, rows - 1, size


def run_database(
    database: str,
    url: str | None,
    *,
    grants: int,
    duration: float,
    connections: int,
    workers: int,
):
    server = BenchServer(database=database, database_url=url, workers=workers)
    original = server.env

    def env(**extra: str) -> dict[str, str]:
        # Every request comes from 127.0.0.1: lift the anonymous API rate limit (still counted).
        return original(**{"PRAJA_ANON_RATE": "1000000000/min", **extra})

    server.env = env  # type: ignore[method-assign]
    try:
        seeded = run_seed(server, grants)
        print(
            f"\n[{database}] migrated in {seeded['migrate_seconds']} s; {seeded['grants']:,} grants and "
            f"{seeded['tranches']:,} paid tranches seeded in {seeded['seed_seconds']} s; "
            f"gunicorn {workers} sync "
            f"workers; {connections} connections, {duration:g} s per measurement",
            flush=True,
        )
        base_url = server.start()
        prefix = f"/t/{seeded['tenant']}"
        targets = [
            ("bare Django JSON view (baseline)", "/bench/json"),
            ("recipient list page 1 (HTML)", f"{prefix}/grants/public/penerima/"),
            (
                "filtered page 40 (tahun+lpj, HTML)",
                f"{prefix}/grants/public/penerima/?tahun=2026&lpj=accepted&halaman=40",
            ),
            ("public API list page 1", f"{prefix}/api/v1/grants/public/recipients/"),
        ]
        results = []
        for name, path in targets:
            run_load(base_url + path, [], connections=connections, duration=min(2.0, duration))  # warm-up
            results.append((name, run_load(base_url + path, [], connections=connections, duration=duration)))
        seconds, rows, size = download(f"{base_url}{prefix}/grants/public/penerima.csv")
        baseline = results[0][1]
        print(f"[{database}] load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()))
        for name, result in results:
            print(_row(name, result, None if result is baseline else baseline))
        print(
            f"  CSV export of every recipient: {rows:,} rows, {size / 1e6:.1f} MB in {seconds:.1f} s",
            flush=True,
        )
        return results, (seconds, rows)
    finally:
        server.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.grants_public", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--grants", type=int, default=200_000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=max(2, min(4, os.cpu_count() or 2)))
    parser.add_argument("--only", choices=["sqlite", "postgresql"], default=None)
    parser.add_argument("--seed-only", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed_only is not None:
        print(json.dumps(seed(args.seed_only)))
        return 0
    print(
        f"Grants public record benchmark on {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    databases = [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(("postgresql", fresh_postgres_url(os.environ["DATABASE_URL"], "_bench_grants")))
    if args.only:
        databases = [(name, url) for name, url in databases if name == args.only]
    verdicts = []
    for database, url in databases:
        results, (seconds, rows) = run_database(
            database,
            url,
            grants=args.grants,
            duration=args.duration,
            connections=args.connections,
            workers=args.workers,
        )
        worst = max(result.p99_ms for name, result in results[1:])
        errors = sum(result.errors for _name, result in results)
        verdicts.append(
            f"[{database}] public pages: worst p99 {worst:.1f} ms (goal < {GOAL_P99_MS:g}) "
            f"{'ok' if worst < GOAL_P99_MS else 'MISSED'}; CSV {rows:,} rows in {seconds:.1f} s "
            f"(goal < {GOAL_CSV_SECONDS:g}) "
            f"{'ok' if seconds < GOAL_CSV_SECONDS and rows == args.grants else 'MISSED'}; "
            f"errors {errors}"
        )
    print()
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
