"""Tasks run by ``taut worker``: thin wrappers taking IDs (the work is in services)."""

from django.tasks import task


@task(takes_context=True)
def send_reminder_task(context, reminder_id: int) -> str:
    from taut.reminders.services import send_reminder

    workers = context.task_result.worker_ids
    return send_reminder(reminder_id=reminder_id, worker_id=workers[-1] if workers else "")
