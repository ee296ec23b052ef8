"""In-process cost of the HTTP benchmark's requests: CPU time and SQL queries per request, no HTTP.

    .venv/bin/python -m bench.request_cost [--requests 40] [--rounds 15]

Seeds a fresh database exactly as bench.http_pages does (SQLite; and PostgreSQL too when
DATABASE_URL is set), then calls Praja's WSGI application directly, in one process, with the same
requests: the bare JSON view, the logged-in tenant home and profile pages (session cookie), and the
API's /me/ and org-unit list (rotating tokens). Each request is timed with `time.process_time` over
`--rounds` rounds of `--requests` calls; the minimum round is the figure least disturbed by other
load on the machine, the median is printed next to it. Queries are counted for one request after
warm-up. On PostgreSQL it also prints the CPU time of the connection's server process per
request (read from /proc: the server must run on this machine), which the Django process's own
clock does not see. Then all 552 tenants are added and everything is measured again.

Unlike requests/s over HTTP, these figures hardly depend on what else the machine is doing, so
they are the ones to compare between code changes.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time

from bench._server import ROOT, BenchServer, fresh_postgres_url


def _targets(seed: dict) -> list[tuple[str, str, list[dict[str, str]]]]:
    tenant = seed["tenant"]
    cookie = [{"HTTP_COOKIE": f"sessionid={seed['session_cookie']}"}]
    tokens = [{"HTTP_AUTHORIZATION": f"Token {token}"} for token in seed["tokens"]]
    return [
        ("bare Django JSON view", "/bench/json", [{}]),
        ("logged-in tenant home", f"/t/{tenant}/", cookie),
        ("logged-in profile page", f"/t/{tenant}/profile/", cookie),
        ("API /me/ (token)", f"/t/{tenant}/api/v1/me/", tokens),
        ("API org-unit list (token)", f"/t/{tenant}/api/v1/org-units/", tokens),
    ]


def measure_in_process(seed: dict, *, requests: int, rounds: int) -> list[dict]:
    """Run inside the seeded environment (a child process): figures per request kind."""
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    application = get_wsgi_application()

    def call(path: str, headers: dict[str, str]) -> str:
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1:8000",
            "REMOTE_ADDR": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(b""),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": False,
            "wsgi.multiprocess": True,
            "wsgi.run_once": False,
            **headers,
        }
        status: list[str] = []
        response = application(environ, lambda value, _headers, _exc=None: status.append(value))
        try:
            for _chunk in response:
                pass
        finally:
            if hasattr(response, "close"):
                response.close()
        return status[0]

    def server_cpu_seconds() -> float | None:
        """CPU time of this connection's PostgreSQL backend so far (same machine); None on SQLite."""
        if connection.vendor != "postgresql":
            return None
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()  # noqa: SIM115
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    results = []
    for name, path, header_sets in _targets(seed):
        status = call(path, header_sets[0])
        if not status.startswith("200"):
            raise RuntimeError(f"{path} answered {status}")
        for index in range(50):  # warm-up: templates, URL resolver, tenant cache, connection
            call(path, header_sets[index % len(header_sets)])
        with CaptureQueriesContext(connection) as captured:
            call(path, header_sets[1 % len(header_sets)])
        queries = len(captured.captured_queries)  # before the next request resets the log
        per_round = []
        server_started = server_cpu_seconds()
        for _round in range(rounds):
            started = time.process_time()
            for index in range(requests):
                call(path, header_sets[index % len(header_sets)])
            per_round.append((time.process_time() - started) / requests * 1000)
        server_ended = server_cpu_seconds()
        results.append(
            {
                "name": name,
                "path": path,
                "queries": queries,
                "min_ms": min(per_round),
                "median_ms": statistics.median(per_round),
                # The backend's clock ticks (10 ms) are too coarse per round: a mean over all rounds.
                "server_ms": None
                if server_started is None
                else (server_ended - server_started) / (rounds * requests) * 1000,
            }
        )
    return results


def _child(server: BenchServer, seed_file: str, requests: int, rounds: int) -> list[dict]:
    command = [sys.executable, "-m", "bench.request_cost", "--child", seed_file]
    done = subprocess.run(
        [*command, "--requests", str(requests), "--rounds", str(rounds)],
        cwd=ROOT,
        env=server.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"measuring failed:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _print(database: str, tenants: int, results: list[dict]) -> None:
    print(f"[{database}] {tenants} tenants (load average {' '.join(f'{v:.1f}' for v in os.getloadavg())})")
    for row in results:
        print(
            f"  {row['name']:<28} {row['path']:<36} {row['min_ms']:6.2f} ms CPU"
            f" (median {row['median_ms']:6.2f})  {row['queries']} queries"
            + ("" if row["server_ms"] is None else f", PostgreSQL backend {row['server_ms']:.2f} ms CPU"),
            flush=True,
        )


def run_database(database: str, database_url: str | None, *, requests: int, rounds: int) -> None:
    server = BenchServer(database=database, database_url=database_url)
    try:
        seed = server.seed("demo")
        seed_file = server.var_dir / "seed.json"
        seed_file.write_text(json.dumps(seed))
        _print(database, seed["tenants"], _child(server, str(seed_file), requests, rounds))
        added = server.seed("all-tenants")
        _print(database, added["tenants"], _child(server, str(seed_file), requests, rounds))
    finally:
        server.cleanup()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.request_cost", description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=40, help="requests per timed round (default 40)")
    parser.add_argument("--rounds", type=int, default=15, help="timed rounds per request kind (default 15)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        with open(args.child) as seed_file:
            seed = json.load(seed_file)
        print(json.dumps(measure_in_process(seed, requests=args.requests, rounds=args.rounds)))
        return 0
    databases = [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(("postgresql", fresh_postgres_url(os.environ["DATABASE_URL"], "_bench_cost")))
    for database, url in databases:
        run_database(database, url, requests=args.requests, rounds=args.rounds)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
