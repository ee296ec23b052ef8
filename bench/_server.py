"""Start a gunicorn server of Praja on a free loopback port, with a fresh database seeded for it."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def fresh_postgres_url(database_url: str, suffix: str = "_bench_http") -> str:
    """Drop and create `<name><suffix>` next to the given database; never touch the given one."""
    import psycopg

    parts = urlsplit(database_url)
    name = parts.path.lstrip("/") + suffix
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class BenchServer:
    """One database (SQLite file in a temp dir, or a fresh PostgreSQL database) and its server."""

    database: str = "sqlite"  # or "postgresql"
    database_url: str | None = None
    workers: int = 2
    var_dir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="praja-bench-")))
    port: int = 0
    process: subprocess.Popen | None = None

    def env(self, **extra: str) -> dict[str, str]:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "bench.settings",
                "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "src")]),
                "PRAJA_HOME": str(ROOT),
                "PRAJA_VAR_DIR": str(self.var_dir),
                "PRAJA_LOG_LEVEL": "WARNING",
            }
        )
        if self.database_url:
            env["DATABASE_URL"] = self.database_url
        env.update(extra)
        return env

    def seed(self, command: str) -> dict:
        """Run `python -m bench._seed <command>` against this database and return its JSON answer."""
        done = subprocess.run(
            [sys.executable, "-m", "bench._seed", command],
            cwd=ROOT,
            env=self.env(PRAJA_DEMO="1"),
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"seeding failed:\n{done.stdout}\n{done.stderr}")
        return json.loads(done.stdout.strip().splitlines()[-1])

    def start(self) -> str:
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "praja.config.wsgi",
                "--bind",
                f"{LOOPBACK}:{self.port}",
                "--workers",
                str(self.workers),
                "--worker-class",
                "sync",
                "--log-level",
                "warning",
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env=self.env(),
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.base_url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self.base_url
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.2)
            if self.process.poll() is not None:
                break
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz within 60 s")

    @property
    def base_url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process = None

    def cleanup(self) -> None:
        self.stop()
        shutil.rmtree(self.var_dir, ignore_errors=True)
