"""The Celery application of Praja's worker processes, and the one Celery task it runs.

Start a worker (what `praja worker` does when PRAJA_TASK_BACKEND=celery):
    celery -A praja.core.notifications.celery_app worker --pool=solo -Q default
"""

from __future__ import annotations

import logging
import os
from typing import Any

from celery import Celery

logger = logging.getLogger(__name__)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "praja.config.settings")


def make_celery_app(*, broker_url: str | None = None, set_as_current: bool = True) -> Celery:
    """Build a Celery app configured from Django's CELERY_* settings (broker on Redis)."""
    celery = Celery("praja", set_as_current=set_as_current)
    celery.config_from_object("django.conf:settings", namespace="CELERY")
    overrides: dict[str, Any] = {
        # django-tasks' default queue is "default"; Celery's own default would be "celery".
        "task_default_queue": "default",
        "task_serializer": "json",
        "accept_content": ["json"],
        # Acknowledge after running so a worker killed mid-task leaves it for another worker;
        # Praja's tasks are idempotent (the outbox claims rows) so a rerun is safe.
        "task_acks_late": True,
        "worker_prefetch_multiplier": 1,
        "broker_connection_retry_on_startup": True,
    }
    if broker_url:
        overrides["broker_url"] = broker_url
    celery.conf.update(overrides)
    celery.task(name="praja.run_django_task", bind=True)(_run_django_task)
    return celery


def _run_django_task(self, task_module_path: str, args: list, kwargs: dict, result_id: str) -> Any:
    """Import the django-tasks Task at `task_module_path` and run its function here."""
    from django.utils import timezone
    from django.utils.module_loading import import_string
    from django_tasks.base import Task, TaskContext, TaskResult, TaskResultStatus

    task = import_string(task_module_path)
    if not isinstance(task, Task):
        raise TypeError(f"{task_module_path} is not a django-tasks Task")
    logger.info("Task id=%s path=%s state=RUNNING (celery)", result_id, task_module_path)
    if task.takes_context:
        now = timezone.now()
        task_result = TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.RUNNING,
            enqueued_at=None,
            started_at=now,
            last_attempted_at=now,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=task.backend,
            errors=[],
            worker_ids=[self.request.hostname or "celery"],
        )
        value = task.call(TaskContext(task_result=task_result), *args, **kwargs)
    else:
        value = task.call(*args, **kwargs)
    logger.info("Task id=%s path=%s state=SUCCESSFUL (celery)", result_id, task_module_path)
    return value


app = make_celery_app()
