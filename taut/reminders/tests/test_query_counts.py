"""The worklist's "Emails not sent" runs the same number of queries however many reminders,
alert emails and pre-visit links did not go out."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from taut.aftercare.tests import flow as aftercare_flow
from taut.reminders.models import Reminder
from taut.tests.cast import acting, make_patient
from taut.tests.query_counts import queries_to_get
from taut.visits.tests import flow as visit_flow
from taut.workflows import followup

URL = reverse("reminders:worklist_section")


def not_sent(patient, cast):
    """Emails about ``patient`` that did not go out, one of each kind the list words
    differently: check-in reminders and an alert email that failed, a pre-visit link skipped
    for want of an address. (The worker marks them so; here the rows are marked directly, as
    the worker tests cover how.)"""
    visit = aftercare_flow.signed(patient, cast.clinician)
    day_1 = visit.checkins.get(checkpoint="day_1")
    answers = aftercare_flow.answers(day_1, infection="yes")
    followup.record_checkin(checkin=day_1, answers=answers, actor=acting(cast.nurse))
    visit_flow.scheduled(patient, cast.front_desk, when=timezone.now() + timedelta(days=3))
    mine = Reminder.objects.filter(patient=patient)
    failed = mine.exclude(kind=Reminder.Kind.INTAKE)
    failed.update(status=Reminder.Status.FAILED, attempts=5, last_error="SMTPServerDisconnected")
    mine.filter(kind=Reminder.Kind.INTAKE).update(
        status=Reminder.Status.SKIPPED, last_error="No email address for the patient."
    )
    assert set(mine.values_list("kind", flat=True)) == {"checkin", "alert", "intake"}


def test_it_lists_emails_not_sent_in_the_same_number_of_queries_however_many(
    client, cast, signed_in
):
    not_sent(cast.patient, cast)
    signed_in(cast.nurse)  # sees "Try again" too
    few = [len(queries_to_get(client, URL, htmx=htmx)) for htmx in (True, False)]
    for number in range(2, 5):
        someone = make_patient(cast.clinic, cast.front_desk, mrn=f"T{number:04d}")
        not_sent(someone, cast)
    page = client.get(URL).context["page"]
    assert page.paginator.count > 20 and len(page.object_list) == 15  # a page of them
    assert [len(queries_to_get(client, URL, htmx=htmx)) for htmx in (True, False)] == few
    assert len(queries_to_get(client, URL, data={"page": "2"})) == few[1]
