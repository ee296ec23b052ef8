"""`praja worker`: run background tasks with the configured backend.

Database backend (default): the django-tasks-db worker (`db_worker`). Celery backend: a Celery
worker consuming the django-tasks queues from Redis. Immediate backend: nothing to run.
"""

from __future__ import annotations

import signal

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends


class Command(BaseCommand):
    help = "Run the background task worker (database backend by default, Celery on Redis in production)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queue-name",
            default="default",
            help="Queues to process, comma-separated ('*' = all for the database backend).",
        )
        parser.add_argument(
            "--batch", action="store_true", help="Run every outstanding task, then exit (database backend)."
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after this many tasks (database backend)."
        )
        parser.add_argument(
            "--interval", type=float, default=1.0, help="Seconds between polls when idle (database backend)."
        )
        parser.add_argument(
            "--concurrency", type=int, default=1, help="Celery worker processes (1 = solo pool)."
        )
        parser.add_argument(
            "--backend", default=DEFAULT_TASK_BACKEND_ALIAS, help="django-tasks backend alias."
        )

    def handle(self, *args, **options) -> None:
        from django_tasks_db.backend import DatabaseBackend

        from praja.core.notifications.celery_backend import CeleryBackend

        backend = task_backends[options["backend"]]
        if isinstance(backend, DatabaseBackend):
            db_options = {
                "queue_name": options["queue_name"],
                "batch": options["batch"],
                "interval": options["interval"],
                "backend_name": options["backend"],
                "startup_delay": not options["batch"],
                "reload": False,
                "verbosity": options["verbosity"],
            }
            if options["max_tasks"]:
                db_options["max_tasks"] = options["max_tasks"]
            # db_worker installs graceful-shutdown handlers for SIGINT/SIGTERM/SIGQUIT and leaves them
            # when it returns; a batch run inside a longer-lived process (call_command from the
            # admin shell or a test) must hand that process its own handlers back.
            names = ("SIGINT", "SIGTERM", "SIGQUIT")
            handlers = {
                number: signal.getsignal(number) for name in names if (number := getattr(signal, name, None))
            }
            try:
                call_command("db_worker", **db_options)
            finally:
                for number, handler in handlers.items():
                    signal.signal(number, handler)
        elif isinstance(backend, CeleryBackend):
            # Mingle and gossip sync state between workers at start-up; Praja's tasks need
            # neither, and skipping them starts a worker seconds sooner.
            argv = [
                "worker",
                "--loglevel=INFO",
                "-Q",
                options["queue_name"],
                "--without-mingle",
                "--without-gossip",
            ]
            if options["concurrency"] <= 1:
                argv.append("--pool=solo")
            else:
                argv += ["--pool=prefork", f"--concurrency={options['concurrency']}"]
            if options["max_tasks"]:
                argv.append(f"--max-tasks-per-child={options['max_tasks']}")
            backend.celery_app().worker_main(argv)
        else:
            raise CommandError(
                f"The task backend {type(backend).__name__} runs tasks in the web process; "
                "there is no worker to start. Set PRAJA_TASK_BACKEND=db or celery."
            )
