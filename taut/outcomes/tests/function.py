"""Set up sessions with PEG follow-ups through the real services, for the function tests."""

import re
from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow
from taut.tests.cast import acting
from taut.visits.tests import flow as visit_flow
from taut.workflows import notes

HTMX = {"HX-Request": "true"}


def session(patient, clinician, *, days_ago, muscle="trapezius_upper"):
    """A signed session ``days_ago`` days back on one muscle (one region), intake pain 6/10,
    PEG interference 5 and 6 (5.5), eight weeks of conservative care."""
    when = timezone.now() - timedelta(days=days_ago)
    # The intake is recorded on the session's day: the baseline is dated when obtained.
    with time_machine.travel(when, tick=False):  # same clinic day, even at 23:59
        visit = visit_flow.scheduled(patient, clinician, when=when)
        visit = visit_flow.with_intake(visit, clinician)
        visit = visit_flow.examined(visit, clinician, [(muscle, "left")])
        visit = visit_flow.with_sites(
            visit_flow.consented(visit, clinician), clinician, [visit_flow.site(muscle)]
        )
        visit = visit_flow.finished(visit, clinician)
        notes.sign_note(visit=visit, version=visit.version, icd_codes=[], actor=acting(clinician))
    visit.refresh_from_db()
    return visit


def answer(visit, nurse, *, nrs=3, interference=2, upto="week_6"):
    """Answer the session's open check-ins up to ``upto``: pain ``nrs`` and both PEG
    interference items ``interference``."""
    for checkin in visit.checkins.filter(completed_at__isnull=True).order_by("due_on"):
        aftercare.record_checkin(
            checkin=checkin,
            answers=flow.answers(
                checkin, nrs=nrs, peg_enjoyment=interference, peg_activity=interference
            ),
            actor=flow.on_due_day(nurse, checkin),
        )
        if checkin.checkpoint == upto:
            break


def card(client, patient):
    url = reverse("outcomes:chart_section", args=[patient.public_id])
    return client.get(url, headers=HTMX)


def opened(client, patient, visit, response=None):
    """The hidden fields of ``visit``'s function form as the card renders them."""
    body = (response or card(client, patient)).content.decode()
    forms = re.findall(r'<form class="function-form".*?</form>', body, re.S)
    (form,) = [f for f in forms if f'name="visit" value="{visit.public_id}"' in f]
    return {
        name: re.search(f'name="{name}" value="([^"]*)"', form).group(1)
        for name in ("visit", "previous", "evidence")
    }


def post(client, patient, data, **headers):
    url = reverse("outcomes:record_function", args=[patient.public_id])
    return client.post(url, data, headers=headers)
