"""HTTP benchmark: a tenant-resolved logged-in page and an API list endpoint against a bare Django view.

    .venv/bin/python -m bench.http_pages [--duration 10] [--connections 32] [--workers N]

gunicorn (sync workers) serves Praja on a free 127.0.0.1 port with a fresh SQLite database (and,
when DATABASE_URL is set, also a fresh PostgreSQL database next to it) seeded with the demo data.
Each request kind is loaded for `--duration` seconds at `--connections` concurrent connections;
ratios are requests/s against the bare JSON view measured in the same server, in the same run.
Then 549 more tenants are added (all 38 provinces and 514 regencies/cities) and the two requests are
measured again: the 3-tenant and 552-tenant figures should be within 10 % of each other.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import urllib.error
import urllib.request
from dataclasses import dataclass

from bench._load import LoadResult, run_load
from bench._server import BenchServer, fresh_postgres_url

GOAL_RATIO = 0.5
GOAL_P99_MS = 100.0
GOAL_TENANT_SPREAD = 0.10


@dataclass
class Target:
    name: str
    path: str
    header_sets: list[dict[str, str]]


def _status(url: str, headers: dict[str, str]) -> int:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def choose_targets(base_url: str, seed: dict) -> list[Target]:
    """The baseline, the first logged-in tenant page that answers 200, and the first API list that does."""
    tenant = seed["tenant"]
    cookie = {"Cookie": f"sessionid={seed['session_cookie']}"}
    tokens = [{"Authorization": f"Token {token}"} for token in seed["tokens"]]
    targets = [Target("bare Django JSON view (baseline)", "/bench/json", [])]
    for path in (f"/t/{tenant}/profile/", f"/t/{tenant}/"):
        if _status(base_url + path, cookie) == 200:
            targets.append(Target(f"logged-in tenant page {path}", path, [cookie]))
            break
    else:
        raise RuntimeError("no logged-in tenant page answered 200")
    for path in (f"/t/{tenant}/api/v1/org-units/", f"/t/{tenant}/api/v1/me/", f"/t/{tenant}/api/v1/tenant/"):
        if _status(base_url + path, tokens[0]) == 200:
            targets.append(Target(f"API list {path} (token)", path, tokens))
            break
    else:
        raise RuntimeError("no API endpoint answered 200 with a token")
    return targets


def measure(base_url: str, targets: list[Target], *, duration: float, connections: int) -> list[LoadResult]:
    results = []
    for target in targets:
        # A short warm-up fills each worker's caches (templates, URL resolver, tenant look-up).
        run_load(
            base_url + target.path, target.header_sets, connections=connections, duration=min(2.0, duration)
        )
        results.append(
            run_load(base_url + target.path, target.header_sets, connections=connections, duration=duration)
        )
    return results


def _load_average() -> str:
    return "load average " + " ".join(f"{value:.1f}" for value in os.getloadavg())


def _row(name: str, result: LoadResult, baseline: LoadResult | None) -> str:
    ratio = f"{result.rps / baseline.rps:5.2f}" if baseline else "  -  "
    return (
        f"  {name:<58} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
        f"  ratio {ratio}  errors {result.errors}"
    )


def run_database(
    database: str, database_url: str | None, *, duration: float, connections: int, workers: int
) -> dict:
    server = BenchServer(database=database, database_url=database_url, workers=workers)
    try:
        seed = server.seed("demo")
        print(
            f"\n[{database}] migrated in {seed['migrate_seconds']} s, demo data in {seed['seed_seconds']} s; "
            f"{seed['tenants']} tenants; gunicorn {workers} sync workers; {connections} connections, "
            f"{duration:g} s per measurement",
            flush=True,
        )
        base_url = server.start()
        targets = choose_targets(base_url, seed)
        few = measure(base_url, targets, duration=duration, connections=connections)
        print(f"[{database}] 3 tenants ({_load_average()})")
        for target, result in zip(targets, few, strict=True):
            print(_row(target.name, result, few[0] if result is not few[0] else None), flush=True)
        added = server.seed("all-tenants")
        print(f"[{database}] added {added['added']} tenants in {added['seconds']} s -> {added['tenants']}")
        many = measure(base_url, targets, duration=duration, connections=connections)
        print(f"[{database}] {added['tenants']} tenants ({_load_average()})")
        for target, result in zip(targets, many, strict=True):
            print(_row(target.name, result, many[0] if result is not many[0] else None), flush=True)
    finally:
        server.cleanup()
    return {"targets": targets, "few": few, "many": many, "tenants": added["tenants"]}


def _mark(ok: bool) -> str:
    return "ok" if ok else "MISSED"


def verdict(database: str, outcome: dict) -> list[str]:
    few, many = outcome["few"], outcome["many"]
    lines = [f"[{database}] goals"]
    for index in (1, 2):
        name = outcome["targets"][index].name
        ratio = few[index].rps / few[0].rps
        spread = abs(many[index].rps - few[index].rps) / few[index].rps
        normalised = abs(many[index].rps / many[0].rps - ratio) / ratio
        p99 = few[index].p99_ms
        lines.append(
            f"  {name}: ratio {ratio:.2f} (goal >= {GOAL_RATIO}) {_mark(ratio >= GOAL_RATIO)}; "
            f"p99 {p99:.1f} ms (goal < {GOAL_P99_MS:g}) {_mark(p99 < GOAL_P99_MS)}; "
            f"3 vs {outcome['tenants']} tenants {spread:.1%} apart, {normalised:.1%} as ratios "
            f"(goal <= {GOAL_TENANT_SPREAD:.0%}) {_mark(min(spread, normalised) <= GOAL_TENANT_SPREAD)}"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.http_pages", description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per measurement (default 10)")
    parser.add_argument("--connections", type=int, default=32, help="concurrent connections (default 32)")
    parser.add_argument(
        "--workers",
        type=int,
        default=max(2, min(4, os.cpu_count() or 2)),
        help="gunicorn sync workers (default: CPU count, 2 to 4)",
    )
    args = parser.parse_args(argv)
    print(
        f"HTTP pages benchmark on {platform.node()}: {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}, {sys.platform}"
    )
    databases = [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(("postgresql", fresh_postgres_url(os.environ["DATABASE_URL"])))
    summary = []
    for database, url in databases:
        outcome = run_database(
            database, url, duration=args.duration, connections=args.connections, workers=args.workers
        )
        summary.extend(verdict(database, outcome))
    print()
    print("\n".join(summary))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
