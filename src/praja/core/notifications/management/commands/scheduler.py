"""`praja scheduler`: enqueue periodic jobs (SLA checks, audit checkpoints, outbox retries) on time."""

from __future__ import annotations

import signal
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from praja.core.notifications.periodic import registered_jobs, run_due_jobs


class Command(BaseCommand):
    help = "Run the periodic-job scheduler; due jobs are enqueued as background tasks."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="Enqueue what is due now, then exit.")
        parser.add_argument("--interval", type=float, default=15.0, help="Seconds between checks.")

    def handle(self, *args, **options) -> None:
        self.running = True
        if not options["once"]:
            signal.signal(signal.SIGTERM, self._stop)
            signal.signal(signal.SIGINT, self._stop)
        for job in registered_jobs().values():
            when = f"every {job.every_seconds}s" if job.every_seconds else f"daily at {job.daily_at:%H:%M}"
            scope = "per tenant" if job.per_tenant else "platform"
            self.stdout.write(f"{job.name}: {when}, {scope}")
        while self.running:
            for name, count in run_due_jobs().items():
                self.stdout.write(f"{name}: {count} task(s) enqueued")
            if options["once"]:
                break
            self._sleep(options["interval"])
            # Like a request boundary: drop connections the database closed while we slept.
            close_old_connections()

    def _sleep(self, seconds: float) -> None:
        # Short naps so SIGTERM stops the loop promptly instead of after a whole interval.
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.5, deadline - time.monotonic()))

    def _stop(self, signum, frame) -> None:
        self.running = False
