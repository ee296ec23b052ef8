"""Licensing benchmark: the public tracking endpoint under load, against the bare Django view.

    .venv/bin/python -m bench.licensing_tracking [--applications 100000] [--duration 10]
                                                 [--connections 32] [--workers N]
    .venv/bin/python -m bench.licensing_tracking --profile 2000 [--applications 20000] [--top 25]

gunicorn (sync workers) serves Praja on a free 127.0.0.1 port with a fresh SQLite database (and,
with DATABASE_URL set to PostgreSQL, also a fresh `<name>_bench_lic_tracking` database) holding N
submitted applications of Kota Bandung with their timeline events and SLA clocks (bulk_create).
Each request asks `/t/kota-bandung/api/v1/licensing/tracking/<number>/` for one of 2,000 random
existing tracking numbers, rotated per request; the baseline is bench/urls.py's `/bench/json` in the
same server, measured in the same run. Goals (issue 3): ratio >= 0.5, p99 < 100 ms.

`--profile N` skips the load: on the same freshly seeded data it sends requests in-process through
Django's WSGI handler (what gunicorn calls, every middleware, no server), alternating rounds of N
bare-view and N tracking requests, and reports the CPU per request of the process
(time.process_time) and, on a local PostgreSQL, of the connection's server process (/proc), the
medians over the rounds, and the functions the tracking request spends its CPU in (cProfile with
a CPU clock). On 2 shared CPUs, CPU per request is what bounds req/s under load, on either side
of the socket. `python -m bench.licensing_tracking profile N '<seed json>' TOP` is that step, run
in a subprocess against the benchmark database.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

from bench._load import LoadResult, run_load
from bench._server import ROOT, BenchServer, fresh_postgres_url

GOAL_RATIO = 0.5
GOAL_P99_MS = 100.0
SETTINGS = "bench._licensing_settings"
PROFILE_ROUNDS = 5

_WRK_PATHS = """
local paths = %(paths)s
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", paths[(counter %% #paths) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "errors": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def run_seed(server: BenchServer, *arguments: str) -> dict:
    """Run bench._licensing_seed in a subprocess against `server`'s database; return its JSON."""
    return _run_json(server, "seeding", "bench._licensing_seed", *arguments)


def _run_json(server: BenchServer, what: str, module: str, *arguments: str) -> dict:
    """Run `python -m module arguments` against `server`'s database; return its last line's JSON."""
    done = subprocess.run(
        [sys.executable, "-m", module, *arguments],
        cwd=ROOT,
        env=server.env(DJANGO_SETTINGS_MODULE=SETTINGS),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def start(server: BenchServer) -> str:
    # bench._server starts gunicorn with bench.settings; ours adds the raised tracking limit.
    original = server.env

    def env(**extra: str) -> dict[str, str]:
        return original(**{"DJANGO_SETTINGS_MODULE": SETTINGS, **extra})

    server.env = env  # type: ignore[method-assign]
    return server.start()


def run_paths(base_url: str, paths: list[str], *, connections: int, duration: float) -> LoadResult:
    """Load with a different path per request (wrk with a Lua script; threads without wrk)."""
    assert urlsplit(base_url).hostname == "127.0.0.1", "benchmarks only ever request the loopback address"
    if not shutil.which("wrk"):
        return _run_threads(base_url, paths, connections=connections, duration=duration)
    lua = "{" + ", ".join(json.dumps(path) for path in paths) + "}"
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_PATHS % {"paths": lua})
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t",
                "2",
                "-c",
                str(connections),
                "-d",
                f"{duration:g}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                base_url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        Path(script.name).unlink()
    line = next(line for line in done.stdout.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    return LoadResult(
        data["requests"],
        data["duration_us"] / 1e6,
        data["errors"],
        data["p50_us"] / 1000,
        data["p99_us"] / 1000,
        "wrk",
    )


def _run_threads(base_url: str, paths: list[str], *, connections: int, duration: float) -> LoadResult:
    """Fallback without wrk: one thread per connection, each rotating through the paths."""
    import http.client
    import statistics
    import threading
    import time

    parts = urlsplit(base_url)
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    stop_at = time.perf_counter() + duration

    def worker(index: int) -> None:
        counter = index
        while time.perf_counter() < stop_at:
            counter += 1
            began = time.perf_counter()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            try:
                connection.request("GET", paths[counter % len(paths)])
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    latencies[index].append(time.perf_counter() - began)
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
            finally:
                connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(index,)) for index in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    everything = sorted(value for values in latencies for value in values) or [0.0]
    p99 = everything[min(len(everything) - 1, int(len(everything) * 0.99))]
    return LoadResult(
        sum(map(len, latencies)),
        elapsed,
        sum(errors),
        statistics.median(everything) * 1000,
        p99 * 1000,
        "python-threads",
    )


def _row(name: str, result: LoadResult, baseline: LoadResult | None) -> str:
    ratio = f"{result.rps / baseline.rps:5.2f}" if baseline else "  -  "
    return (
        f"  {name:<44} {result.rps:8.0f} req/s  p50 {result.p50_ms:6.1f} ms  p99 {result.p99_ms:6.1f} ms"
        f"  ratio {ratio}  errors {result.errors}"
    )


def run_database(
    database: str, url: str | None, *, applications: int, duration: float, connections: int, workers: int
) -> tuple[LoadResult, LoadResult]:
    server = BenchServer(database=database, database_url=url, workers=workers)
    try:
        seed = run_seed(server, "tracking", str(applications))
        print(
            f"\n[{database}] migrated in {seed['migrate_seconds']} s; "
            f"{seed['applications']:,} applications and "
            f"{seed['events']:,} timeline events seeded in {seed['seed_seconds']} s; gunicorn {workers} sync "
            f"workers; {connections} connections, {duration:g} s per measurement",
            flush=True,
        )
        base_url = start(server)
        paths = [f"/t/{seed['tenant']}/api/v1/licensing/tracking/{number}/" for number in seed["numbers"]]
        with urllib.request.urlopen(base_url + paths[0], timeout=10) as response:
            answer = json.loads(response.read())
        assert answer["found"] is True, answer
        results = []
        for name, load in [
            (
                "bare Django JSON view (baseline)",
                lambda: run_load(base_url + "/bench/json", [], connections=connections, duration=duration),
            ),
            (
                "public tracking API (2,000 numbers)",
                lambda: run_paths(base_url, paths, connections=connections, duration=duration),
            ),
        ]:
            run_load(
                base_url + "/bench/json", [], connections=connections, duration=min(2.0, duration)
            )  # warm-up
            if name.startswith("public"):
                run_paths(base_url, paths, connections=connections, duration=min(2.0, duration))
            results.append(load())
        baseline, tracking = results
        print(f"[{database}] load average " + " ".join(f"{value:.1f}" for value in os.getloadavg()))
        print(_row("bare Django JSON view (baseline)", baseline, None))
        print(_row("public tracking API", tracking, baseline), flush=True)
        return baseline, tracking
    finally:
        server.cleanup()


# --- In-process profile (the helper runs in a subprocess, Django configured there) -----------------


def _server_cpu_seconds() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL server process (None if not readable)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:  # a server on another machine
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _profile(count: int, seed: dict, top: int) -> dict:
    """CPU per request in-process: bare view and tracking, alternating rounds; tracking's hot spots."""
    import cProfile
    import pstats
    import statistics
    import time

    import django

    django.setup()
    from django.core.handlers.wsgi import WSGIHandler

    handler = WSGIHandler()
    paths = [f"/t/{seed['tenant']}/api/v1/licensing/tracking/{number}/" for number in seed["numbers"]]

    def request(path: str) -> tuple[str, bytes]:
        status = []
        environ = {
            "REQUEST_METHOD": "GET",
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "80",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "wsgi.input": io.BytesIO(),
            "wsgi.url_scheme": "http",
        }
        response = handler(environ, lambda code, headers, exc_info=None: status.append(code))
        body = b"".join(response)
        response.close()
        return status[0], body

    def requests(kind: str) -> None:
        for index in range(count):
            status, body = request("/bench/json" if kind == "bare" else paths[index % len(paths)])
            if not status.startswith("200"):
                raise RuntimeError(f"{kind}: {status} {body[:300]!r}")

    for _ in range(2):  # warm-up: URL resolver, translations, prepared statement, caches
        requests("bare")
        requests("tracking")
    process: dict[str, list[float]] = {"bare": [], "tracking": []}
    server: dict[str, list[float]] = {"bare": [], "tracking": []}
    for _ in range(PROFILE_ROUNDS):
        for kind in ("bare", "tracking"):
            server_started, started = _server_cpu_seconds(), time.process_time()
            requests(kind)
            process[kind].append((time.process_time() - started) / count * 1000)
            server_ended = _server_cpu_seconds()
            if server_started is not None and server_ended is not None:
                server[kind].append((server_ended - server_started) / count * 1000)
    profiler = cProfile.Profile(time.process_time)
    profiler.runcall(requests, "tracking")
    stats = pstats.Stats(profiler).stats
    hot = sorted(stats.items(), key=lambda item: item[1][2], reverse=True)[:top]
    return {
        "requests": count,
        "rounds": PROFILE_ROUNDS,
        "process_ms": {kind: round(statistics.median(values), 3) for kind, values in process.items()},
        "server_ms": {
            kind: round(statistics.median(values), 3) if values else None for kind, values in server.items()
        },
        "hot": [
            [f"{Path(file).name}:{line}({name})", calls, round(own / count * 1000, 4)]
            for (file, line, name), (_primitive, calls, own, _cumulative, _callers) in hot
        ],
    }


def run_profile(database: str, url: str | None, *, applications: int, requests: int, top: int) -> str:
    server = BenchServer(database=database, database_url=url, workers=1)
    try:
        seed = run_seed(server, "tracking", str(applications))
        result = _run_json(
            server,
            "profile",
            "bench.licensing_tracking",
            "profile",
            str(requests),
            json.dumps(seed),
            str(top),
        )
        process, server_ms = result["process_ms"], result["server_ms"]
        tracking_total = process["tracking"] + (server_ms["tracking"] or 0.0)
        print(
            f"\n[{database}] {seed['applications']:,} applications; in-process (no server), median of "
            f"{result['rounds']} rounds x {requests} requests; load average "
            + " ".join(f"{value:.1f}" for value in os.getloadavg())
        )
        print(f"  bare Django JSON view      CPU {process['bare']:.3f} ms/request")
        server_text = (
            f" + PostgreSQL server process {server_ms['tracking']:.3f} ms = {tracking_total:.3f} ms"
            if database == "postgresql" and server_ms["tracking"] is not None
            else ""
        )
        print(f"  public tracking API        CPU {process['tracking']:.3f} ms/request{server_text}")
        print(f"  CPU ratio bare/tracking    {process['bare'] / tracking_total:.2f}")
        print(
            f"  tracking: own CPU per request of the top {len(result['hot'])} functions (cProfile, inflated):"
        )
        for name, calls, own_ms in result["hot"]:
            print(f"    {own_ms * 1000:8.1f} µs  {calls / requests:6.1f} calls  {name}")
        server_part = f", server {server_ms['tracking']:.3f}" if server_text else ""
        return (
            f"[{database}] tracking {tracking_total:.3f} ms CPU/request (process {process['tracking']:.3f}"
            f"{server_part}), bare {process['bare']:.3f} ms: CPU ratio {process['bare'] / tracking_total:.2f}"
        )
    finally:
        server.cleanup()


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["profile"]:
        print(json.dumps(_profile(int(argv[1]), json.loads(argv[2]), int(argv[3]))))
        return 0
    parser = argparse.ArgumentParser(
        prog="python -m bench.licensing_tracking", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--applications", type=int, default=100_000)
    parser.add_argument("--duration", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=max(2, min(4, os.cpu_count() or 2)))
    parser.add_argument(
        "--profile", type=int, metavar="N", default=0, help="no load: N requests in-process per round, CPU"
    )
    parser.add_argument("--top", type=int, default=25, help="with --profile: functions to list")
    args = parser.parse_args(argv)
    print(
        f"Licensing tracking benchmark on {platform.node()}: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}"
    )
    databases = [("sqlite", None)]
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        databases.append(
            ("postgresql", fresh_postgres_url(os.environ["DATABASE_URL"], "_bench_lic_tracking"))
        )
    if args.profile:
        summary = [
            run_profile(database, url, applications=args.applications, requests=args.profile, top=args.top)
            for database, url in databases
        ]
        print()
        print("\n".join(summary))
        return 0
    verdicts = []
    for database, url in databases:
        baseline, tracking = run_database(
            database,
            url,
            applications=args.applications,
            duration=args.duration,
            connections=args.connections,
            workers=args.workers,
        )
        ratio = tracking.rps / baseline.rps if baseline.rps else 0.0
        verdicts.append(
            f"[{database}] tracking: ratio {ratio:.2f} (goal >= {GOAL_RATIO}) "
            f"{'ok' if ratio >= GOAL_RATIO else 'MISSED'}; "
            f"p99 {tracking.p99_ms:.1f} ms (goal < {GOAL_P99_MS:g}) "
            f"{'ok' if tracking.p99_ms < GOAL_P99_MS else 'MISSED'}; errors {tracking.errors}"
        )
    print()
    print("\n".join(verdicts))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
