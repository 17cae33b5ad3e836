"""The Outcomes card (the chart with every session), the worklist's "Next step due" page and
the outcomes summary PDF run the same number of queries however many sessions, check-ins,
readings, decisions and patients there are, the card and "Next step due" at most
``MAX_QUERIES``. (``test_worklist_section`` guards the query
behind "Next step due" itself.)"""

from django.urls import reverse

from taut.outcomes import services
from taut.outcomes.tests.function import answer, session
from taut.outcomes.tests.test_worklist_section import decide, patient, signed_days_ago
from taut.tests.cast import acting
from taut.tests.query_counts import MAX_QUERIES, queries_to_get

NEXT_STEP_DUE = reverse("outcomes:worklist_section")


def followed_up(cast, *, days_ago, muscle="trapezius_upper", readings=1):
    """A session ``days_ago`` days back with its check-ins answered up to week 6,
    ``readings`` readings of function by the clinician and a next-step decision."""
    visit = session(cast.patient, cast.clinician, days_ago=days_ago, muscle=muscle)
    answer(visit, cast.nurse)
    for improved in (True, False)[:readings]:
        services.record_function_reading(
            visit=visit,
            improved=improved,
            scale="peg_interference",
            note="Read again after the physiotherapist's report.",
            actor=acting(cast.clinician),
        )
    decide(cast.patient, visit, cast.clinician, note="Continuing: the patient prefers it.")
    return visit


def more_sessions(cast):
    """Two more, each read twice (the card lists the earlier reading)."""
    for days_ago, muscle in ((300, "levator_scapulae"), (100, "sternocleidomastoid")):
        followed_up(cast, days_ago=days_ago, muscle=muscle, readings=2)


def test_it_draws_the_outcomes_card_in_the_same_number_of_queries_however_many_sessions(
    client, cast, signed_in
):
    url = reverse("outcomes:chart_section", args=[cast.patient.public_id])
    followed_up(cast, days_ago=400)
    signed_in(cast.clinician)  # sees the reading and decision forms too
    few = [len(queries_to_get(client, url, htmx=htmx)) for htmx in (True, False)]
    more_sessions(cast)
    response = client.get(url)
    assert len(response.context["sessions"]) == 3 and len(response.context["decisions"]) == 3
    more = [queries_to_get(client, url, htmx=htmx) for htmx in (True, False)]
    assert [len(queries) for queries in more] == few
    assert max(len(queries) for queries in more) <= MAX_QUERIES, more


def test_it_prints_the_outcomes_summary_in_the_same_number_of_queries_however_many_sessions(
    client, cast, signed_in
):
    url = reverse("outcomes:summary_pdf", args=[cast.patient.public_id])
    followed_up(cast, days_ago=400)
    signed_in(cast.clinician)
    few = queries_to_get(client, url)
    more_sessions(cast)
    assert len(queries_to_get(client, url)) == len(few)


def test_it_lists_next_steps_due_in_the_same_number_of_queries_however_many_patients(
    client, cast, signed_in
):
    signed_days_ago(cast.patient, cast.clinician, 90)
    signed_in(cast.clinician)
    few = [len(queries_to_get(client, NEXT_STEP_DUE, htmx=htmx)) for htmx in (True, False)]
    for number in range(2, 4):
        signed_days_ago(patient(cast, f"T000{number}", f"P{number}"), cast.clinician, 90)
    assert len(client.get(NEXT_STEP_DUE).context["rows"]) == 3
    more = [queries_to_get(client, NEXT_STEP_DUE, htmx=htmx) for htmx in (True, False)]
    assert [len(queries) for queries in more] == few
    assert max(len(queries) for queries in more) <= MAX_QUERIES, more
