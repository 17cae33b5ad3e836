"""The clinician's reading of function feeds the payer's repeat checks: under LCD L34211 a
history that meets every other check is an eligible repeat once function is read as
improved, and not eligible when it is read as not improved."""

from django.utils import timezone

from taut.outcomes import queries, services
from taut.outcomes.tests.function import HTMX, answer, card, opened, post, session
from taut.tests.cast import acting, sign_in


def eligible_but_for_function(cast):
    """One session 50 days ago on the upper trapezius (cervical only), 6/10 → 3/10 at every
    follow-up through week 6 (50 % for 42 days), interference 5.5 → 2.0, programme active."""
    visit = session(cast.patient, cast.clinician, days_ago=50)
    answer(visit, cast.nurse, nrs=3, interference=2)
    return visit


def check(response, code):
    return response.context["advice"].repeat.check(code)


def test_it_leaves_function_unknown_until_the_clinician_reads_it(client, cast):
    eligible_but_for_function(cast)
    sign_in(client, cast.clinician)
    response = card(client, cast.patient)
    advice = response.context["advice"]
    assert advice.repeat.policy_id == "L34211" and not advice.repeat.eligible
    assert [c.code for c in advice.repeat.checks if c.passed is not True] == [
        "functional_improvement"
    ]
    body = response.content.decode()
    assert "was not assessed on a validated scale" in body
    assert "Record the reading under “Function after each session” above." in body


def test_it_shows_an_eligible_repeat_once_function_is_read_as_improved(client, cast):
    visit = eligible_but_for_function(cast)
    sign_in(client, cast.clinician)
    data = {**opened(client, cast.patient, visit), "improved": "yes", "scale": "peg_interference"}
    response = post(client, cast.patient, data, **HTMX)
    assert response.status_code == 200
    advice = response.context["advice"]
    assert str(advice.action) == "repeat" and advice.repeat.eligible
    assert check(response, "functional_improvement").passed is True
    assert queries.eligibility(advice) == "yes"
    body = response.content.decode()
    day = timezone.localdate(visit.scheduled_for)
    assert "Next step: A repeat session is supported" in body
    assert f"Function after the session on {day} improved on a validated scale" in body
    today = timezone.localdate()
    assert (
        "Reading: function improved on PEG interference, recorded by Casey Clinician on "
        f"{today:%-d %b %Y}." in body
    )
    assert "Figures then: Interference (PEG enjoyment and activity) 5.5 at intake, 2.0" in body
    assert "3.5 points (63 %) lower" in body
    assert 'class="check-fail"' not in body and 'class="check-unknown"' not in body


def test_it_shows_no_eligible_repeat_when_function_is_read_as_not_improved(client, cast):
    visit = eligible_but_for_function(cast)
    sign_in(client, cast.clinician)
    data = {
        **opened(client, cast.patient, visit),
        "improved": "no",
        "scale": "peg_interference",
        "note": "Still cannot lift the grandchildren; PEG answers were optimistic.",
    }
    response = post(client, cast.patient, data, **HTMX)
    assert response.status_code == 200
    advice = response.context["advice"]
    assert str(advice.action) == "continue" and not advice.repeat.eligible
    assert check(response, "functional_improvement").passed is False
    assert queries.eligibility(advice) == "no"
    body = response.content.decode()
    assert "Next step: Continue the current plan" in body
    assert "did not improve on a validated scale" in body
    assert 'class="check-fail"' in body
    assert "differs from the PEG suggestion" in body


def test_it_reads_the_current_reading_when_one_supersedes_another(client, cast):
    """A later reading of the same session replaces the earlier one in the payer check."""
    visit = eligible_but_for_function(cast)
    first = services.record_function_reading(
        visit=visit,
        improved=False,
        scale="other",
        scale_name="Neck Disability Index",
        note="NDI 40 % at intake, 38 % at week 6.",
        actor=acting(cast.clinician),
    )
    sign_in(client, cast.clinician)
    assert check(card(client, cast.patient), "functional_improvement").passed is False
    services.record_function_reading(
        visit=visit, improved=True, scale="peg_interference", note="", actor=acting(cast.clinician)
    )
    response = card(client, cast.patient)
    assert check(response, "functional_improvement").passed is True
    assert response.context["advice"].repeat.eligible
    (session_row,) = response.context["function_rows"]
    assert [r.improved for r in session_row["session"].readings] == [True, False]
    assert session_row["session"].readings[0].previous == first
    assert "Earlier readings of this session" in response.content.decode()


def test_a_repeat_notes_payer_checks_read_the_same_history_as_the_panel(cast):
    """Signing a repeat session: the note's payer checks (taut.workflows.notes) see the
    earlier session's follow-up scores and the function reading, not just its baseline."""
    from taut.outcomes.models import FunctionReading
    from taut.visits import queries as visit_queries
    from taut.visits.tests import flow as visit_flow
    from taut.workflows import notes

    first = eligible_but_for_function(cast)
    services.record_function_reading(
        visit=first,
        improved=True,
        scale=FunctionReading.Scale.PEG,
        note="",
        actor=acting(cast.clinician),
    )
    repeat = visit_flow.scheduled(cast.patient, cast.clinician)
    repeat = visit_flow.examined(visit_flow.with_intake(repeat, cast.clinician), cast.clinician)
    repeat = visit_flow.consented(repeat, cast.clinician)
    repeat = visit_flow.with_sites(repeat, cast.clinician, [visit_flow.site("trapezius_upper")])
    decision = visit_queries.payer_decision(
        repeat, history=notes.payer_history(repeat), today=timezone.localdate()
    )
    assert decision.check("relief").passed is True
    assert decision.check("functional_improvement").passed is True
    assert decision.eligible
