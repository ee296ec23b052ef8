"""Audit chain verification against raw SHA-256 over the same canonical bytes, in the same process.

    .venv/bin/python -m bench.audit_verify [--events 1000000] [--database sqlite|postgresql|all]
                                           [--repeat 3] [--workers N]

Builds a chain of N realistic events in Python (canonical bytes and SHA-256 chaining exactly as
`record()` does) and bulk-inserts it into a fresh SQLite file (and a scratch PostgreSQL database
when DATABASE_URL points to one, or with --database postgresql). Then, in one process and
interleaved, it times:

- the baseline: `h = sha256(h ‖ canonical bytes)` over the events' canonical bytes held in memory;
- `verify_chain(tenant, workers=1)`: check that the table derives its columns from the stored
  payload, stream seq/payload/prev_hash/hash, re-hash, check every link;
- `verify_chain(tenant)`: the same split over worker processes by seq range (the default for
  large chains).

It prints events/s of each and the ratio verify/baseline (goal >= 0.5), best of --repeat runs.
Each database runs in its own child process so Django is configured once per database.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

GOAL = 0.5
BATCH = 50_000

EVENT_TYPES = [
    ("workflow.transition", "licensing.application"),
    ("personal_data.viewed", "accounts.user"),
    ("auth.official_login", "accounts.user"),
    ("tenant.parameters_changed", "tenancy.tenantmodule"),
    ("accounts.role_granted", "accounts.rolegrant"),
    ("grants.proposal_verified", "grants.proposal"),
]
NAMES = [
    "Siti Rahmawati",
    "Budi Santoso",
    "Ahmad Fauzi",
    "Dewi Lestari",
    "Agus Salim",
    "Rina Marlina",
    "I Gede Putu Arsana",
    "Nur'aini Hasibuan",
]
OFFICES = [
    "Dinas Penanaman Modal dan PTSP",
    "Dinas Kependudukan dan Pencatatan Sipil",
    "Bappeda",
    "Badan Pengelolaan Keuangan dan Aset Daerah",
    "Dinas Kesehatan",
]


# --- Child process: one database ------------------------------------------------------------------


def _configure(database_url: str, var_dir: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["PRAJA_VAR_DIR"] = var_dir
    os.environ.setdefault("PRAJA_SECRET_KEY", "bench-audit-verify-not-secret")
    os.environ["DJANGO_SETTINGS_MODULE"] = "praja.config.settings"
    os.environ.setdefault("PRAJA_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _create_tables() -> None:
    from django.db import connection

    from praja.core.audit.models import AuditChainHead, AuditCheckpoint, AuditEvent
    from praja.core.tenancy.models import Tenant

    # Only the tables the chain needs: a full migrate loads ~92,000 reference areas first.
    with connection.schema_editor() as editor:
        for model in (Tenant, AuditEvent, AuditChainHead, AuditCheckpoint):
            editor.create_model(model)


def _events(count: int, seed: int = 2026):
    """Yield ((seq, payload text, prev_hash, hash), canonical bytes) for `count` chained events, as
    record() makes them; the database generates the other columns from the payload."""
    from praja.core.audit.canonical import GENESIS_HASH, canonical_bytes, canonical_data, chain_hash

    rng = random.Random(seed)
    start = datetime.datetime(2026, 1, 5, 1, 0, tzinfo=datetime.UTC)
    prev = GENESIS_HASH
    for seq in range(1, count + 1):
        occurred_at = start + datetime.timedelta(microseconds=seq * 2_345_678 + rng.randrange(1000))
        event_type, object_type = EVENT_TYPES[seq % len(EVENT_TYPES)]
        actor_id = rng.randrange(1, 5000)
        actor_label = rng.choice(NAMES)
        object_id = str(rng.randrange(1, 200_000))
        ip = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        data = canonical_data(
            {
                "citizen_id": rng.randrange(1, 900_000),
                "office": rng.choice(OFFICES),
                "case_id": int(object_id),
                "from": "diajukan",
                "to": "diverifikasi",
                "note": "Berkas lengkap — lanjut ke verifikasi lapangan",
            }
        )
        payload = canonical_bytes(
            seq,
            occurred_at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
            event_type,
            actor_id,
            actor_label,
            object_type,
            object_id,
            ip,
            data,
        )
        digest = chain_hash(prev, payload)
        yield (seq, payload.decode(), prev, digest), payload
        prev = digest


def _insert(tenant_id: int, count: int) -> list[bytes]:
    """Bulk-insert the chain (no model instances, no record()); return the canonical bytes."""
    from django.db import connection, transaction

    from praja.core.audit.models import AuditChainHead, AuditEvent

    columns = ("tenant_id", "seq", "payload", "prev_hash", "hash")
    table = AuditEvent._meta.db_table
    payloads: list[bytes] = []
    batch: list[tuple] = []
    last_hash = None

    with transaction.atomic():
        raw = connection.cursor().cursor
        copy = None
        if connection.vendor == "postgresql":
            copy_context = raw.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN")
            copy = copy_context.__enter__()

        def flush() -> None:
            if copy is not None:
                for row in batch:
                    copy.write_row(row)
            else:
                marks = ", ".join("?" * len(columns))
                raw.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", batch)
            batch.clear()

        for row, payload in _events(count):
            batch.append((tenant_id, *row))
            payloads.append(payload)
            last_hash = row[-1]
            if len(batch) >= BATCH:
                flush()
        flush()
        if copy is not None:
            copy_context.__exit__(None, None, None)
        AuditChainHead.objects.create(tenant_id=tenant_id, seq=count, hash=last_hash)
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {table}")
    return payloads


def _raw_sha256(payloads: list[bytes]) -> str:
    sha256 = hashlib.sha256
    digest = "0" * 64
    for payload in payloads:
        digest = sha256(digest.encode() + payload).hexdigest()
    return digest


def _measure(database: str, database_url: str, count: int, repeat: int, workers: int | None) -> dict:
    with tempfile.TemporaryDirectory(prefix="praja-bench-audit-") as var_dir:
        if database == "sqlite":
            database_url = f"sqlite:///{Path(var_dir) / 'bench.sqlite3'}"
        _configure(database_url, var_dir)
        from django.db import connection

        from praja.core.audit.verification import verify_chain
        from praja.core.tenancy.models import Tenant

        _create_tables()
        tenant = Tenant.objects.create(
            code="32.73",
            slug="kota-bandung",
            name="Kota Bandung",
            level="kota",
            province_code="32",
            province_name="Jawa Barat",
            timezone="Asia/Jakarta",
        )
        started = time.perf_counter()
        payloads = _insert(tenant.pk, count)
        insert_seconds = time.perf_counter() - started
        size = sum(map(len, payloads)) / len(payloads)
        head_hash = _raw_sha256(payloads)  # also warms the caches before timing

        best = {"raw": float("inf"), "one": float("inf"), "many": float("inf")}
        many_workers = 1
        for _round in range(repeat):
            started = time.perf_counter()
            assert _raw_sha256(payloads) == head_hash
            best["raw"] = min(best["raw"], time.perf_counter() - started)
            for key, requested in (("one", 1), ("many", workers or max(2, min(os.cpu_count() or 1, 4)))):
                started = time.perf_counter()
                result = verify_chain(tenant, workers=requested)
                best[key] = min(best[key], time.perf_counter() - started)
                if not result.ok or result.events_checked != count:
                    raise SystemExit(f"verify_chain disagrees with the built chain: {result}")
                if key == "many":
                    many_workers = result.workers
        vendor = connection.vendor
        connection.close()
    rate = {key: count / seconds for key, seconds in best.items()}
    return {
        "database": vendor,
        "events": count,
        "bytes_per_event": round(size),
        "insert_seconds": round(insert_seconds, 1),
        "raw_sha256_events_per_s": round(rate["raw"]),
        "verify_1_process_events_per_s": round(rate["one"]),
        "verify_1_process_ratio": round(rate["one"] / rate["raw"], 3),
        "verify_workers": many_workers,
        "verify_workers_events_per_s": round(rate["many"]),
        "verify_workers_ratio": round(rate["many"] / rate["raw"], 3),
        "cpus": os.cpu_count(),
    }


def _scratch_postgres(database_url: str):
    """Create a throwaway database next to DATABASE_URL's; return (its URL, a function dropping it)."""
    import psycopg

    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'praja'}_bench_audit_{os.getpid()}"
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
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
        result = _measure(args.only, url, args.events, args.repeat, args.workers)
    finally:
        if drop is not None:
            drop()
    print(json.dumps(result), flush=True)
    return 0


# --- Parent: one child per database, then the table --------------------------------------------


def _report(result: dict) -> str:
    r = result
    met = "met" if max(r["verify_1_process_ratio"], r["verify_workers_ratio"]) >= GOAL else "NOT met"
    workers = f"{r['verify_workers']} processes"
    return "\n".join(
        [
            f"{r['database']}: {r['events']:,} events, {r['bytes_per_event']} canonical bytes each "
            f"(bulk insert {r['insert_seconds']} s, {r['cpus']} CPUs)",
            f"  raw SHA-256 chain (baseline)  {r['raw_sha256_events_per_s']:>11,} events/s",
            f"  verify_chain, 1 process       {r['verify_1_process_events_per_s']:>11,} events/s"
            f"   ratio {r['verify_1_process_ratio']:.3f}",
            f"  verify_chain, {workers:<15} {r['verify_workers_events_per_s']:>11,} events/s"
            f"   ratio {r['verify_workers_ratio']:.3f}",
            f"  goal ratio >= {GOAL}: {met}",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.audit_verify", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds; the best of each is reported")
    parser.add_argument("--workers", type=int, default=None, help="worker processes (default: automatic)")
    parser.add_argument(
        "--database",
        choices=["sqlite", "postgresql", "all"],
        default=None,
        help="default: SQLite, plus PostgreSQL when DATABASE_URL is postgres://",
    )
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
            "bench.audit_verify",
            "--only",
            database,
            "--events",
            str(args.events),
            "--repeat",
            str(args.repeat),
            "--database-url",
            database_url,
        ]
        if args.workers:
            command += ["--workers", str(args.workers)]
        print(f"building and verifying {args.events:,} events on {database} ...", flush=True)
        finished = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, check=False)
        if finished.returncode != 0:
            print(finished.stdout + finished.stderr)
            status = 1
            continue
        result = json.loads(finished.stdout.strip().splitlines()[-1])
        print(_report(result), flush=True)
    return status


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
