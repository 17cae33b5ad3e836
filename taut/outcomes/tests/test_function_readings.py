"""Recording the clinician's reading of function after a session on the Outcomes card."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from taut.audit.models import Action, AuditEvent
from taut.clinical import outcomes
from taut.outcomes import services
from taut.outcomes.models import FunctionReading
from taut.outcomes.tests.function import HTMX, answer, card, opened, post, session
from taut.tests.cast import acting, make_patient, sign_in
from taut.tests.once import built_once_per_module
from taut.visits.tests import flow as visit_flow


def peg_session(cast):
    """A session 50 days ago; PEG interference 5.5 at intake, 2.0 through week 6."""
    visit = session(cast.patient, cast.clinician, days_ago=50)
    answer(visit, cast.nurse, interference=2)
    return visit


# Built once for the module: every test here reads function after this one session (the
# readings on other sessions are in test_function_scales.py).
visit, _visit_once = built_once_per_module(peg_session, name="visit")


def reading(client, cast, visit, **changes):
    return {
        **opened(client, cast.patient, visit),
        "improved": "yes",
        "scale": "peg_interference",
        "note": "",
        **changes,
    }


def test_it_shows_the_peg_evidence_for_each_session(client, cast, visit):
    sign_in(client, cast.nurse)
    response = card(client, cast.patient)
    body = response.content.decode()
    assert "Function after each session" in body
    assert "<td>Intake</td><td>5.5</td>" in body
    week_6 = visit.checkins.get(checkpoint="week_6").due_on
    assert "(day 42)</td><td>2.0</td><td>3.5 points (63 %) lower" in body
    assert "A fall of ≥ 1 point and ≥ 50 % suggests improved function." in body
    assert f"2.0 on {week_6:%-d %b %Y} (day 42, the latest follow-up)" in body
    assert "Suggests: improved." in body and "S34, S36, S50" in body
    assert "The suggestion reads the latest follow-up (day 42)" in body
    assert '<tr class="decides">' in body and "the suggestion reads this one" in body
    assert "applying them to the PEG is Taut's reading" in body and "unverified" in body
    assert "function not read yet" in body
    assert 'class="function-form"' not in body  # a nurse reads the evidence, no form


def test_it_records_a_reading_with_the_evidence_shown(client, cast, visit):
    sign_in(client, cast.clinician)
    response = post(client, cast.patient, reading(client, cast, visit), **HTMX)
    assert response.status_code == 200
    saved = FunctionReading.objects.get()
    assert (saved.visit, saved.patient, saved.improved) == (visit, cast.patient, True)
    assert saved.scale == "peg_interference" and saved.recorded_by == cast.clinician
    assert saved.evidence["suggestion"] == "improved" and saved.evidence["baseline"] == 5.5
    assert saved.evidence["followups"][-1]["change"] == "3.5 points (63 %) lower"
    assert saved.rule_version == outcomes.VERSION and saved.previous is None
    body = response.content.decode()
    assert "<strong>Recorded:</strong> function improved on PEG interference" in body
    assert "Casey Clinician" in body and "Record a new reading" in body


def test_it_falls_back_to_a_plain_form_post(client, cast, visit):
    sign_in(client, cast.clinician)
    response = post(client, cast.patient, reading(client, cast, visit))
    assert response.status_code == 302
    assert response["Location"] == reverse("outcomes:chart_section", args=[cast.patient.public_id])
    assert FunctionReading.objects.get().improved is True


def test_it_writes_an_audit_event_without_the_note(client, cast, visit):
    sign_in(client, cast.clinician)
    note = "Patient says walking is no easier despite the scores."
    post(client, cast.patient, reading(client, cast, visit, improved="no", note=note))
    saved = FunctionReading.objects.get()
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="function_reading")
    assert event.object_id == str(saved.public_id) and event.actor_id == cast.clinician.pk
    assert event.patient_id == cast.patient.public_id
    assert event.details["improved"] is False and event.details["suggestion"] == "improved"
    assert event.details["agrees"] is False and event.details["visit"] == str(visit.public_id)
    assert note not in str(event.details)


def test_it_keeps_earlier_readings_when_a_new_one_supersedes(client, cast, visit):
    sign_in(client, cast.clinician)
    post(client, cast.patient, reading(client, cast, visit))
    again = reading(client, cast, visit, improved="no", note="On review, no real change.")
    response = post(client, cast.patient, again, **HTMX)
    assert response.status_code == 200
    newest, oldest = FunctionReading.objects.all()
    assert newest.previous == oldest and not newest.improved and oldest.improved
    body = response.content.decode()
    assert "function not improved on PEG interference" in body
    assert "Earlier readings of this session" in body and "Figures then:" in body


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"improved": ""}, "improved", "Choose improved or not improved."),
        ({"improved": "maybe"}, "improved", "Select a valid choice"),
        ({"scale": "vas"}, "scale", "Select a valid choice"),
        ({"improved": "no"}, "note", "differs from what the PEG figures suggest: say why"),
        ({"scale": "other", "note": "NDI 40 to 20."}, "scale_name", "Name the validated scale"),
        ({"scale": "other", "scale_name": "NDI"}, "note", "Give the scores on that scale"),
        ({"note": "x" * 2001}, "note", "at most 2000 characters"),
    ],
)
def test_it_rerenders_bad_input_and_saves_nothing(client, cast, visit, changes, field, message):
    sign_in(client, cast.clinician)
    response = post(client, cast.patient, reading(client, cast, visit, **changes), **HTMX)
    assert response.status_code == 400
    (row,) = response.context["function_rows"]
    assert any(message in error for error in row["form"].errors[field])
    assert message.split(":")[0] in response.content.decode().replace("&#x27;", "'")
    assert not FunctionReading.objects.exists()
    assert not AuditEvent.objects.filter(object_type="function_reading").exists()


def test_it_refuses_a_form_missing_what_the_card_showed(client, cast, visit):
    sign_in(client, cast.clinician)
    response = post(client, cast.patient, {"improved": "yes", "scale": "peg_interference"})
    assert response.status_code == 400
    assert "reload the page and record again" in response.content.decode()
    assert not FunctionReading.objects.exists()


def test_it_refuses_a_reading_when_another_clinician_read_it_meanwhile(client, cast, visit):
    sign_in(client, cast.clinician)
    seen = reading(client, cast, visit, improved="no", note="No better at all, he says.")
    services.record_function_reading(
        visit=visit, improved=True, scale="peg_interference", note="", actor=acting(cast.clinician)
    )
    response = post(client, cast.patient, seen, **HTMX)
    assert response.status_code == 409
    body = response.content.decode()
    assert "Casey Clinician recorded function as improved at" in body
    assert "Yours was not saved" in body
    assert FunctionReading.objects.get().improved is True
    # The form shown with the conflict carries the current reading: recording on it works.
    again = {**seen, **opened(client, cast.patient, visit, response)}
    assert post(client, cast.patient, again, **HTMX).status_code == 200
    assert FunctionReading.objects.count() == 2


def test_it_refuses_a_reading_on_figures_that_have_changed(client, cast, visit):
    sign_in(client, cast.clinician)
    seen = reading(client, cast, visit)
    answer(visit, cast.nurse, interference=5, upto="week_12")  # the week-12 check-in
    response = post(client, cast.patient, seen, **HTMX)
    assert response.status_code == 409
    assert "The PEG figures for this session changed" in response.content.decode()
    assert not FunctionReading.objects.exists()


@pytest.mark.parametrize("role", ["nurse", "front_desk", "lead"])
def test_it_refuses_roles_that_do_not_read_function(client, cast, visit, role):
    sign_in(client, cast.clinician)
    data = reading(client, cast, visit)
    user = cast.staff()[role]
    sign_in(client, user)
    assert post(client, cast.patient, data).status_code == 403
    assert not FunctionReading.objects.exists()
    assert AuditEvent.objects.filter(action=Action.DENIED, actor_id=user.pk).exists()


def test_it_hides_another_clinics_patient(client, cast, visit):
    sign_in(client, cast.clinician)
    data = reading(client, cast, visit)
    sign_in(client, cast.outsider)
    assert post(client, cast.patient, data).status_code == 404
    assert not FunctionReading.objects.exists()


def test_it_sends_anonymous_visitors_to_login(client, cast, visit):
    response = post(client, cast.patient, {"improved": "yes"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert not FunctionReading.objects.exists()


def test_it_refuses_a_session_of_another_patient(client, cast, visit):
    other = session(
        make_patient(cast.clinic, cast.front_desk, mrn="T0002"), cast.clinician, days_ago=50
    )
    sign_in(client, cast.clinician)
    data = {**reading(client, cast, visit), "visit": other.public_id}
    assert post(client, cast.patient, data).status_code == 404
    assert not FunctionReading.objects.exists()


def test_it_refuses_non_clinicians_and_unsigned_visits_in_the_service(cast, visit):
    with pytest.raises(services.ReadingError, match="Only a clinician"):
        services.record_function_reading(
            visit=visit, improved=True, scale="peg_interference", note="", actor=acting(cast.nurse)
        )
    unsigned = visit_flow.with_intake(visit_flow.scheduled(cast.patient, cast.clinician),
                                      cast.clinician)  # fmt: skip
    with pytest.raises(services.ReadingError, match="after a signed session only"):
        services.record_function_reading(
            visit=unsigned,
            improved=True,
            scale="peg_interference",
            note="",
            actor=acting(cast.clinician),
        )
    with pytest.raises(services.ReadingInvalid) as error:
        services.record_function_reading(
            visit=visit,
            improved=None,
            scale="peg_interference",
            note="",
            actor=acting(cast.clinician),
        )
    assert error.value.errors == {"improved": "Choose improved or not improved."}
    assert not FunctionReading.objects.exists()


def test_it_refuses_two_first_readings_of_a_session_in_the_database(cast, visit):
    """The chain is kept by the database too, whatever a caller checked first."""
    fields = {
        "patient": cast.patient,
        "visit": visit,
        "improved": True,
        "scale": "peg_interference",
        "rule_version": "x",
        "recorded_at": timezone.now(),
    }
    FunctionReading.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        FunctionReading.objects.create(**fields)
