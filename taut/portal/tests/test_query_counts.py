"""The patient's home page (check-ins to answer, the progress chart, the handout) and the
staff chart card that hands out links run the same number of queries however many
sessions, check-ins and visits the patient has, the home page at most ``MAX_QUERIES``.
(``test_chart_section`` guards the card against more booked visits.)"""

from datetime import timedelta

import time_machine
from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.aftercare.tests import flow
from taut.tests.cast import acting
from taut.tests.query_counts import MAX_QUERIES, queries_to_get
from taut.visits.tests import flow as visit_flow
from taut.workflows import followup


def session(cast, *, days_ago):
    """A session signed ``days_ago`` days back with its Day 1 check-in answered; the others
    are due, overdue or to come."""
    with time_machine.travel(timezone.now() - timedelta(days=days_ago)):
        visit = flow.signed(cast.patient, cast.clinician)
        day_1 = visit.checkins.get(checkpoint="day_1")
        answers = flow.answers(day_1, nrs=4)
        followup.record_checkin(checkin=day_1, answers=answers, actor=acting(cast.nurse))
    visit_flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=30))
    return visit


def test_it_shows_the_patients_page_in_the_same_number_of_queries_however_many_sessions(
    client, cast
):
    url = reverse(
        "portal:home", kwargs={"token": links.home_token(cast.patient, now=timezone.now())}
    )
    session(cast, days_ago=8)
    response = client.get(url)
    assert response.context["due"] and response.context["progress"]  # every part, from the first
    few = queries_to_get(client, url)
    for days_ago in (9, 10, 11):
        session(cast, days_ago=days_ago)
    assert len(client.get(url).context["due"]) > len(response.context["due"])
    more = queries_to_get(client, url)
    assert len(more) == len(few)
    assert len(more) <= MAX_QUERIES, more


def test_it_hands_out_links_in_the_same_number_of_queries_however_many_check_ins(
    client, cast, signed_in
):
    url = reverse("portal:chart_section", args=[cast.patient.public_id])
    session(cast, days_ago=8)
    signed_in(cast.clinician)
    asked = ({}, {"links": "1"})
    few = [len(queries_to_get(client, url, data=data)) for data in asked]
    for days_ago in (9, 10, 11):
        session(cast, days_ago=days_ago)
    assert len(client.get(url).context["links"].checkins) == 20
    assert [len(queries_to_get(client, url, data=data)) for data in asked] == few
