"""Tasks run by ``taut worker``: thin wrappers taking IDs (the work is in ``sending``).

The task is the edge: it reads the clock once and hands it on. A send that failed and
should be tried again is put back on the queue here, at its back-off time; were the worker
to stop between the two, the sweep enqueues the pending reminder again.
"""

from django.tasks import task
from django.utils import timezone

from taut.reminders.sending import send_reminder


@task(takes_context=True)
def send_reminder_task(context, reminder_id: int) -> str:
    workers = context.task_result.worker_ids
    sent = send_reminder(
        reminder_id=reminder_id,
        now=timezone.now(),
        worker_id=workers[-1] if workers else "",
    )
    if sent.retry_at is not None:
        send_reminder_task.using(run_after=sent.retry_at).enqueue(reminder_id)
    return sent.outcome
