"""The staff intake page: red flags grouped per region with "asked, none present", answers
pre-filled from the chart and the last visit (and marked so), and a draft kept while the
clinician draws where it hurts."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from taut.clinical import screening
from taut.drawings.models import PainDrawing
from taut.drawings.tests.test_drawings import drawing_data
from taut.visits.models import Intake
from taut.visits.tests import flow
from taut.visits.tests.test_views import intake_post, url

ALL_QUESTIONS = screening.NECK_RED_FLAGS + screening.BACK_RED_FLAGS


@pytest.fixture
def visit(cast):
    return flow.scheduled(cast.patient, cast.clinician)


def checked(page, name):
    """The value of the radio button checked for ``name`` (None if none is)."""
    match = re.search(
        rf'<input type="radio" name="{re.escape(name)}" value="(\w+)"[^>]*checked', page
    )
    return match.group(1) if match else None


def test_it_shows_each_red_flag_question_once_grouped_by_region(client, cast, signed_in, visit):
    signed_in(cast.clinician)
    page = client.get(url("visits:intake", visit)).content.decode()
    for question in ALL_QUESTIONS:
        assert page.count(f'name="rf:{question.id}" value="true"') == 1, question.id
        assert checked(page, f"rf:{question.id}") is None  # a new intake asks them afresh
    assert page.index("Red flags: Neck, arms and hands") < page.index("Red flags: Back and legs")
    assert page.count('name="none_present"') == 3  # two red-flag groups and the safety one


def test_it_answers_a_group_none_present_without_javascript_and_saves_nothing(
    client, cast, signed_in, visit
):
    signed_in(cast.clinician)
    typed = intake_post(visit, reason="Typed before the group", none_present="back")
    for question in ALL_QUESTIONS:
        del typed[f"rf:{question.id}"]
    typed["pregnant"] = ""
    response = client.post(url("visits:intake", visit), typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert not Intake.objects.filter(visit=visit).exists()
    assert "Typed before the group" in page
    for question in screening.BACK_RED_FLAGS:
        assert checked(page, f"rf:{question.id}") == "false"
    for question in screening.NECK_RED_FLAGS:
        assert checked(page, f"rf:{question.id}") is None

    # The safety group answers only what is unanswered.
    typed.update(none_present="safety", needle_phobia="true")
    page = client.post(url("visits:intake", visit), typed).content.decode()
    for name, value in (("pregnant", "false"), ("needle_phobia", "true")):
        select = page[page.index(f'name="{name}"') :]
        assert f'<option value="{value}" selected>' in select[: select.index("</select>")]


def test_it_prefills_history_from_the_last_visit_but_never_red_flags(
    client, cast, signed_in, visit, settings
):
    earlier = flow.scheduled(
        cast.patient, cast.clinician, when=visit.scheduled_for - timedelta(days=30)
    )
    flow.with_intake(
        earlier,
        cast.clinician,
        previous_tpi=True,
        previous_tpi_details="Another clinic, 2024",
        red_flags={**flow.red_flag_answers(), "neck.fever": True},
    )
    signed_in(cast.clinician)
    page = client.get(url("visits:intake", visit)).content.decode()
    assert 'value="Another clinic, 2024"' in page
    assert "From the visit on" in page
    assert "From the chart (medicines)" in page
    for question in ALL_QUESTIONS:
        assert checked(page, f"rf:{question.id}") is None, question.id
    assert 'value="Neck and shoulder pain at work"' not in page  # the reason is asked again


def test_it_keeps_what_was_typed_while_drawing_and_returns_with_the_new_drawing(
    client, cast, signed_in
):
    """The main pain comes only from a drawing made on the visit's day, so the clock stands at
    the clinic's noon: a visit booked minutes before midnight and drawn on after it is not
    this test's case (and CI runs the suite at 23:59)."""
    local = timezone.localtime(timezone.now(), cast.clinic.zone())
    with time_machine.travel(local.replace(hour=12, minute=0), tick=True):
        _keeps_what_was_typed(client, cast, signed_in, flow.scheduled(cast.patient, cast.clinician))


def _keeps_what_was_typed(client, cast, signed_in, visit):
    signed_in(cast.clinician)
    typed = {"version": visit.version, "reason": "Typed before drawing", "nrs_now": "7",
             "draw": "1"}  # fmt: skip
    response = client.post(url("visits:intake", visit), typed)
    target = urlparse(response["Location"])
    assert target.path == reverse("drawings:new", args=[cast.patient.public_id])
    back = parse_qs(target.query)["next"][0]
    assert back == url("visits:intake", visit)
    assert not Intake.objects.filter(visit=visit).exists()

    drawn = client.post(target.path, drawing_data(("neck_posterior_lower:left", 8, []), next=back))
    assert drawn["Location"] == back
    drawing = PainDrawing.objects.get(patient=cast.patient)
    page = client.get(back).content.decode()
    assert 'value="Typed before drawing"' in page
    assert re.search(r'name="nrs_now" value="7"', page)
    assert f'<option value="{drawing.public_id}" selected>' in page
    # Where it hurts most comes from the new drawing, marked as such.
    region = page[page.index('name="index_region"') :]
    assert '<option value="neck_posterior_lower" selected>' in region[: region.index("</select>")]
    assert "From the pain drawing" in page
    assert page.count("From the pain drawing") == 1, page[
        page.index("From the pain drawing") - 600 :
    ][:900]

    # Saving the intake drops the draft.
    client.post(url("visits:intake", visit), intake_post(visit, reason="Saved at last"))
    assert Intake.objects.get(visit=visit).reason == "Saved at last"
    assert "Typed before drawing" not in client.get(back).content.decode()


def test_it_refuses_a_draft_to_front_desk_and_hides_it_from_outsiders(
    client, cast, signed_in, visit
):
    signed_in(cast.front_desk)
    typed = {"version": visit.version, "reason": "x", "draw": "1"}
    assert client.post(url("visits:intake", visit), typed).status_code == 403
    signed_in(cast.outsider)
    assert client.post(url("visits:intake", visit), typed).status_code == 404
    client.logout()
    response = client.post(url("visits:intake", visit), typed)
    assert response.status_code == 302 and "login" in response["Location"]
