"""The production task backend: django-tasks Tasks through Celery on a real Redis (127.0.0.1:6379/15)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.test import override_settings
from django_tasks import task
from django_tasks.base import TaskResultStatus

REDIS_URL = "redis://127.0.0.1:6379/15"
REPO = Path(__file__).resolve().parents[2]
CELERY_BACKEND = "praja.core.notifications.celery_backend.CeleryBackend"


@task()
def write_marker(path: str, text: str) -> str:
    """Write `text` to `path` (runs in the Celery worker process)."""
    Path(path).write_text(f"{text} pid={os.getpid()}", encoding="utf-8")
    return path


@pytest.fixture
def queue_name():
    # A queue of its own per test, so a message left by an earlier run is never picked up here.
    name = f"praja-test-{uuid.uuid4().hex[:12]}"
    yield name
    client = redis.Redis.from_url(REDIS_URL)
    leftovers = list(client.scan_iter(match=f"*{name}*"))
    if leftovers:
        client.delete(*leftovers)


def _worker_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    env.update(
        DJANGO_SETTINGS_MODULE="praja.config.test_settings",
        PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]),
        PRAJA_REDIS_URL=REDIS_URL,
        PRAJA_VAR_DIR=str(tmp_path / "worker-var"),
        PRAJA_TEST_TASK_BACKEND=CELERY_BACKEND,
    )
    return env


def _wait_for(path: Path, worker: subprocess.Popen, timeout: float = 30.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return path.read_text(encoding="utf-8")
        if worker.poll() is not None:
            break
        time.sleep(0.1)
    worker.terminate()
    output = worker.communicate(timeout=10)[0]
    raise AssertionError(f"the Celery worker did not run the task; its output:\n{output}")


def _stop(worker: subprocess.Popen) -> None:
    if worker.poll() is None:
        worker.terminate()
        try:
            worker.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.communicate()


def test_task_enqueued_through_celery_backend_runs_in_a_praja_worker_on_redis(tmp_path, queue_name):
    marker = tmp_path / "ran.txt"
    backend_settings = {
        "BACKEND": CELERY_BACKEND,
        "QUEUES": [queue_name],
        "OPTIONS": {"broker_url": REDIS_URL},
    }
    with override_settings(TASKS={"default": backend_settings}):
        result = write_marker.using(queue_name=queue_name).enqueue(str(marker), "dari Redis")

    assert result.status == TaskResultStatus.READY
    assert result.backend == "default"
    assert result.args == [str(marker), "dari Redis"]
    assert result.enqueued_at is not None
    assert redis.Redis.from_url(REDIS_URL).llen(queue_name) == 1  # the message waits in Redis

    worker = subprocess.Popen(
        [sys.executable, "-m", "praja.cli", "worker", "--queue-name", queue_name],
        cwd=REPO,
        env=_worker_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        text = _wait_for(marker, worker)
    finally:
        _stop(worker)
    assert text.startswith("dari Redis pid=")
    assert text != f"dari Redis pid={os.getpid()}"  # it ran in the worker, not in this process


def test_celery_backend_refuses_unknown_queue():
    from django_tasks.exceptions import InvalidTaskError

    backend_settings = {"BACKEND": CELERY_BACKEND, "OPTIONS": {"broker_url": REDIS_URL}}
    with (
        override_settings(TASKS={"default": backend_settings}),
        pytest.raises(InvalidTaskError, match="Queue 'elsewhere' is not valid for backend"),
    ):
        write_marker.using(queue_name="elsewhere").enqueue("/tmp/x", "y")
