"""``taut worker``: run the background queue (reminder emails, alert emails, retries, and
the PDFs rendered once on the "printing" queue) and link the audit trail.

It runs django-tasks-db's worker over the database queues in batches; every ``--link-every``
seconds ``taut.audit.services.link_events`` (audit events written since, into the hash chain;
decision 0016), then ``anchor_head`` (the chain head appended to ``AUDIT_ANCHOR_PATH`` at
most once a minute; decision 0028); and, when it serves the "default" queue, every
``--sweep-every`` seconds ``taut.reminders.services.sweep`` (stale sends to the worklist, lost tasks re-enqueued,
missing reminders created). ``--queue printing`` makes a worker that only renders PDFs (it
links the audit trail too). Stop it with SIGTERM or Ctrl+C: a
task in progress finishes first. Any number of workers may run at once.
"""

import logging
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import DatabaseError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Worker

from taut.audit.services import anchor_head, link_events
from taut.reminders.services import sweep

logger = logging.getLogger("taut.reminders")
QUEUES = ["default", "printing"]  # settings.TASKS; PDFs render on "printing"


class Command(BaseCommand):
    help = (
        "Run the background worker: send due reminders and alert emails, retry failures, "
        "render PDFs."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--batch", action="store_true", help="Sweep, run every task due now, then exit."
        )
        parser.add_argument(
            "--interval", type=float, default=2.0, help="Seconds to wait when idle (default 2)."
        )
        parser.add_argument(
            "--sweep-every", type=float, default=60.0, help="Seconds between sweeps (default 60)."
        )
        parser.add_argument(
            "--link-every",
            type=float,
            default=2.0,
            help="Seconds between linking audit events into the chain (default 2).",
        )
        parser.add_argument(
            "--max-tasks", type=int, default=None, help="Exit after running this many tasks."
        )
        parser.add_argument("--worker-id", default="", help="A unique name (default: random).")
        parser.add_argument(
            "--queue",
            action="append",
            choices=QUEUES,
            help='Serve only this queue (repeatable; default: all). The sweep runs with "default".',
        )

    def handle(
        self,
        *,
        batch,
        interval,
        sweep_every,
        link_every,
        max_tasks,
        worker_id,
        queue,
        verbosity,
        **options,
    ):
        queues = queue or QUEUES
        worker = Worker(
            queue_names=queues,
            interval=0,
            batch=True,
            backend_name="default",
            startup_delay=False,
            max_tasks=max_tasks,
            worker_id=worker_id or get_random_string(32),
            excluded_queue_names=[],
        )
        if not batch:
            worker.configure_signals()  # SIGTERM/Ctrl+C: finish the task in hand, then stop
        if verbosity:
            self.stdout.write(f"taut worker {worker.worker_id} started")
        next_sweep = next_link = 0.0
        while worker.running:
            if time.monotonic() >= next_link:
                next_link = time.monotonic() + link_every
                try:
                    linked = link_events()
                except DatabaseError:  # the events wait, sealed, for the next round
                    logger.exception("Linking the audit trail failed; again in %s s", link_every)
                else:
                    if verbosity > 1 and linked:
                        self.stdout.write(f"audit: {linked} events linked")
                    anchor()
            if "default" in queues and time.monotonic() >= next_sweep:
                next_sweep = time.monotonic() + sweep_every
                try:
                    counts = sweep(now=timezone.now())
                except DatabaseError:  # e.g. the database restarting: sending goes on
                    logger.exception("The sweep failed; it runs again in %s s", sweep_every)
                else:
                    if verbosity and any(counts.values()):
                        self.stdout.write(f"sweep: {counts}")
            worker.run()  # every task ready now, then back here
            if batch:
                link_events()  # what the tasks just recorded, before exiting
                anchor()
            if batch or (max_tasks is not None and worker._run_tasks >= max_tasks):
                break
            time.sleep(min(interval, link_every))
        if verbosity:
            self.stdout.write(f"taut worker {worker.worker_id} stopped")


def anchor() -> None:
    """Copy the chain head to the anchor file if one is due (``anchor_head``); a failure is
    logged and tried again next round, never stops the worker."""
    path = settings.AUDIT_ANCHOR_PATH
    if not path:
        return
    try:
        anchor_head(path=path, now=timezone.now())
    except (OSError, DatabaseError):
        logger.exception("Anchoring the audit chain in %s failed; again next round", path)
