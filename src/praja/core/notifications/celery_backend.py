"""A django-tasks backend that hands tasks to Celery workers over Redis (production scale).

`enqueue()` publishes one Celery message, `praja.run_django_task(task_module_path, args, kwargs,
result_id)`, on a queue named like the django-tasks queue; `celery_app.run_django_task` imports the
Task by its path in the worker and calls its function. The same `@task` code therefore runs on the
database backend, the immediate backend and Celery.

Settings:
    TASKS = {"default": {"BACKEND": "praja.core.notifications.celery_backend.CeleryBackend",
                         "OPTIONS": {"broker_url": "redis://..."}}}   # default: CELERY_BROKER_URL
"""

from __future__ import annotations

import threading
from typing import Any, TypeVar

from django.conf import settings
from django.utils import timezone
from django_tasks.backends.base import BaseTaskBackend
from django_tasks.base import Task, TaskResult, TaskResultStatus
from django_tasks.signals import task_enqueued
from django_tasks.utils import get_random_id
from typing_extensions import ParamSpec

T = TypeVar("T")
P = ParamSpec("P")

RUN_DJANGO_TASK = "praja.run_django_task"


class CeleryBackend(BaseTaskBackend):
    """Publish django-tasks Tasks to Celery; results are not stored (fire and forget)."""

    supports_defer = True  # run_after becomes the Celery message's ETA
    supports_async_task = True  # the worker runs coroutine functions through Task.call()
    supports_get_result = False
    supports_priority = False

    def __init__(self, alias: str, params: dict) -> None:
        super().__init__(alias, params)
        self._broker_url = self.options.get("broker_url")
        self._app = None
        self._lock = threading.Lock()

    @property
    def broker_url(self) -> str:
        return self._broker_url or settings.CELERY_BROKER_URL

    def celery_app(self):
        """Return the producer-side Celery app for this backend's broker (built once)."""
        if self._app is None:
            with self._lock:
                if self._app is None:
                    from praja.core.notifications.celery_app import make_celery_app

                    self._app = make_celery_app(broker_url=self.broker_url, set_as_current=False)
        return self._app

    def enqueue(
        self,
        task: Task[P, T],
        args: P.args,  # type: ignore[valid-type]
        kwargs: P.kwargs,  # type: ignore[valid-type]
    ) -> TaskResult[T]:
        self.validate_task(task)
        result: TaskResult[T] = TaskResult(
            task=task,
            id=get_random_id(),
            status=TaskResultStatus.READY,
            enqueued_at=None,
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        # TaskResult normalised args/kwargs to JSON types; send exactly what a DB row would hold.
        options: dict[str, Any] = {"queue": task.queue_name, "task_id": result.id}
        if task.run_after is not None:
            options["eta"] = task.run_after
        self.celery_app().send_task(
            RUN_DJANGO_TASK, args=[task.module_path, result.args, result.kwargs, result.id], **options
        )
        object.__setattr__(result, "enqueued_at", timezone.now())
        task_enqueued.send(type(self), task_result=result)
        return result
