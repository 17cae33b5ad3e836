"""The worker's task for the clinic's "new appointment request" email: a thin wrapper taking
the request's id (the work is in ``request_notice``). A send to try again is put back on the
queue at its back-off time."""

from django.tasks import task
from django.utils import timezone

from taut.public.request_notice import send_notice


@task()
def notify_clinic_task(request_id: int) -> str:
    noticed = send_notice(request_id=request_id, now=timezone.now())
    if noticed.retry_at is not None:
        notify_clinic_task.using(run_after=noticed.retry_at).enqueue(request_id)
    return noticed.outcome
