"""A bounded load generator on loopback: wrk when installed, else a thread-per-connection client.

Both keep `connections` requests in flight for `duration` seconds and report requests/s and the
latency percentiles of completed requests. Only 127.0.0.1 is ever requested.
"""

from __future__ import annotations

import http.client
import json
import math
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit


@dataclass
class LoadResult:
    requests: int
    seconds: float
    errors: int  # non-2xx answers, timeouts, broken connections
    p50_ms: float
    p99_ms: float
    tool: str

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


_WRK_SCRIPT = """
local header_sets = %(header_sets)s
local counter = 0
request = function()
  counter = counter + 1
  return wrk.format("GET", "%(path)s", header_sets[(counter %% #header_sets) + 1])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %%d, "duration_us": %%d, "errors": %%d, "p50_us": %%d, "p99_us": %%d}\\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.status + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def _lua_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _lua_header_sets(header_sets: list[dict[str, str]]) -> str:
    tables = []
    for headers in header_sets or [{}]:
        tables.append(
            "{" + ", ".join(f"[{_lua_string(k)}] = {_lua_string(v)}" for k, v in headers.items()) + "}"
        )
    return "{" + ", ".join(tables) + "}"


def run_wrk(
    url: str, header_sets: list[dict[str, str]], connections: int, duration: float, threads: int = 2
) -> LoadResult:
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", "benchmarks only ever request the loopback address"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_WRK_SCRIPT % {"header_sets": _lua_header_sets(header_sets), "path": path})
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t",
                str(threads),
                "-c",
                str(connections),
                "-d",
                f"{duration:g}s",
                "--timeout",
                "10s",
                "-s",
                script.name,
                f"{parts.scheme}://{parts.netloc}",
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
        requests=data["requests"],
        seconds=data["duration_us"] / 1e6,
        errors=data["errors"],
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        tool="wrk",
    )


def run_wrk_script(
    url: str,
    script: Path,
    arguments: list[str],
    *,
    connections: int,
    duration: float,
    grace: float = 30.0,
    timeout: float = 10.0,
) -> dict:
    """Run wrk with one thread per connection and a Lua script whose threads say when they are done.

    Each thread of the script prints a line `WRKSTOP` once it has had the answer to its last
    counted request; once every thread has, wrk is interrupted (SIGINT: it stops waiting, joins its
    threads and calls the script's done()). wrk's own limit, `duration + grace`, only ends a run
    whose threads never finish. The script's done() prints one line `WRKJSON {...}`, returned
    parsed. Only 127.0.0.1 is ever requested.
    """
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", "benchmarks only ever request the loopback address"
    process = subprocess.Popen(
        [
            "wrk",
            "-t",
            str(connections),
            "-c",
            str(connections),
            "-d",
            f"{math.ceil(duration + grace)}s",
            "--timeout",
            f"{timeout:g}s",
            "-s",
            str(script),
            f"{parts.scheme}://{parts.netloc}",
            *arguments,
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stopped, output = 0, []
    assert process.stdout is not None and process.stderr is not None
    for line in process.stdout:
        output.append(line)
        if line.startswith("WRKSTOP"):
            stopped += 1
            if stopped == connections:
                process.send_signal(signal.SIGINT)
    errors = process.stderr.read()
    if process.wait() != 0:
        raise RuntimeError(f"wrk failed ({process.returncode}):\n{''.join(output)[-2000:]}\n{errors[-2000:]}")
    line = next((line for line in output if line.startswith("WRKJSON ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no WRKJSON line:\n{''.join(output)[-2000:]}\n{errors[-2000:]}")
    return json.loads(line.removeprefix("WRKJSON "))


def run_threads(url: str, header_sets: list[dict[str, str]], connections: int, duration: float) -> LoadResult:
    """Fallback without wrk: one thread per connection, each sending requests back to back."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1", "benchmarks only ever request the loopback address"
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    header_sets = header_sets or [{}]
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    start = time.perf_counter()
    stop_at = start + duration

    def worker(index: int) -> None:
        counter = index
        while time.perf_counter() < stop_at:
            counter += 1
            began = time.perf_counter()
            connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
            try:
                connection.request("GET", path, headers=header_sets[counter % len(header_sets)])
                response = connection.getresponse()
                response.read()
                if 200 <= response.status < 300:
                    latencies[index].append(time.perf_counter() - began)
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
            finally:
                connection.close()

    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join()
    elapsed = time.perf_counter() - start
    everything = sorted(value for values in latencies for value in values)
    if not everything:
        return LoadResult(0, elapsed, sum(errors), 0.0, 0.0, "python-threads")
    p99 = everything[min(len(everything) - 1, int(len(everything) * 0.99))]
    return LoadResult(
        requests=len(everything),
        seconds=elapsed,
        errors=sum(errors),
        p50_ms=statistics.median(everything) * 1000,
        p99_ms=p99 * 1000,
        tool="python-threads",
    )


def run_load(
    url: str,
    header_sets: list[dict[str, str]] | None = None,
    *,
    connections: int = 32,
    duration: float = 10.0,
) -> LoadResult:
    if shutil.which("wrk"):
        return run_wrk(url, header_sets or [], connections, duration)
    return run_threads(url, header_sets or [], connections, duration)
