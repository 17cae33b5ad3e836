"""The next-step panel on the Outcomes card: each payer check explained with its dates and
figures, and the clinic's own reconsider setting (clinic policy) changing the advice."""

from datetime import datetime, time, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from taut.aftercare import services as aftercare
from taut.aftercare.tests import flow


@pytest.fixture(autouse=True)
def _midday():
    """These tests compare the session's day with the page's today: hold the clock at noon
    of the clinic's today, so a run that starts a minute before midnight (CI) cannot cross
    into the next day between signing the session and reading the panel."""
    noon = datetime.combine(timezone.localdate(), time(12), tzinfo=timezone.get_current_timezone())
    with time_machine.travel(noon, tick=False):
        yield


def card(client, patient):
    url = reverse("outcomes:chart_section", args=[patient.public_id])
    return client.get(url, headers={"HX-Request": "true"})


def treated(patient, clinician, nurse, *, nrs, answered=4):
    """A signed session (intake pain 6/10) with its first ``answered`` check-ins at ``nrs``."""
    visit = flow.signed(patient, clinician)
    for checkin in visit.checkins.order_by("due_on")[:answered]:
        aftercare.record_checkin(
            checkin=checkin,
            answers=flow.answers(checkin, nrs=nrs),
            actor=flow.on_due_day(nurse, checkin),
        )
    return visit


def test_it_shows_an_eligible_repeat_with_every_check_passed(client, cast, signed_in):
    """Under BCBSA 2.01.103 (no interval or relief rule) a first repeat is eligible."""
    cast.clinic.payer_policy = "BCBSA-2.01.103"
    cast.clinic.save(update_fields=["payer_policy"])
    treated(cast.patient, cast.clinician, cast.nurse, nrs=3)
    signed_in(cast.clinician)
    response = card(client, cast.patient)
    advice = response.context["advice"]
    assert str(advice.action) == "repeat" and advice.repeat.eligible
    body = response.content.decode()
    today = timezone.localdate()
    assert "Next step: A repeat session is supported" in body
    assert f"A repeat on {today} meets every check of BCBSA 2.01.103" in body
    since = today.replace(year=today.year - 1) + timedelta(days=1)
    assert (
        f"1 session since {since} ({today}); with the planned one that makes 2. "
        "The policy allows 4 in a rolling 12 months" in body
    )
    assert "active conservative programme (rehab or home exercise)" in body
    assert 'class="check-fail"' not in body and 'class="check-unknown"' not in body
    assert "Your decision" in body  # a clinician may record the decision


def test_it_shows_why_a_repeat_is_not_eligible_with_dates_and_figures(client, cast, signed_in):
    """Under LCD L34211 a repeat on the day of the session fails the six-week interval and
    the one-region rule, and the relief and function checks cannot be made yet."""
    visit = treated(cast.patient, cast.clinician, cast.nurse, nrs=3)
    signed_in(cast.lead)
    response = card(client, cast.patient)
    advice = response.context["advice"]
    assert str(advice.action) == "continue" and not advice.repeat.eligible
    body = response.content.decode()
    day = timezone.localdate(visit.scheduled_for)
    week_2 = visit.checkins.get(checkpoint="week_2").due_on
    assert f"was on {day}, 0 days before {day}" in body
    assert f"the earliest date is {day + timedelta(days=42)}" in body
    assert (
        "covers 2 anatomical regions (cervical: Levator scapulae, Trapezius - upper fibres" in body
    )
    assert f"{week_2} (day 14): 50%" in body  # relief held at 50 % through day 14 ...
    assert "Record a score from day 42 on." in body  # ... but 42 days are needed
    assert "was not assessed on a validated scale" in body
    assert 'class="check-fail"' in body and 'class="check-unknown"' in body
    assert "Your decision" not in body  # a lead reads the advice, does not decide


def test_it_uses_the_clinics_reconsider_setting(client, cast, signed_in):
    """One session without 30 % relief at two weeks: continue by default (2 in a row), but
    reconsider where the clinic has set 1; the panel says it is clinic policy."""
    treated(cast.patient, cast.clinician, cast.nurse, nrs=6)
    signed_in(cast.clinician)
    before = card(client, cast.patient)
    assert str(before.context["advice"].action) == "continue"
    assert "after 2 sessions in a row without 30 % relief" in before.content.decode()
    cast.clinic.reconsider_after = 1
    cast.clinic.save(update_fields=["reconsider_after"])
    after = card(client, cast.patient)
    assert str(after.context["advice"].action) == "reconsider"
    body = after.content.decode()
    assert "Next step: Reconsider injections" in body
    assert "after 1 session in a row without 30 % relief" in body
    assert "clinic policy, unverified" in body
