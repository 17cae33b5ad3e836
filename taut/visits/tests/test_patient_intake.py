"""Staff review of an intake the patient reported before the visit (from the portal)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from taut.atlas.forms import MarkInput
from taut.audit.models import Action, AuditEvent
from taut.clinical import screening
from taut.drawings.models import PainDrawing
from taut.patients import services as patients
from taut.patients.models import Medication
from taut.tests.cast import acting, patient_acting
from taut.visits.models import Intake
from taut.visits.services import intake as services
from taut.visits.services import visit as visits
from taut.visits.services.common import Blocked, VisitConflict, VisitLocked
from taut.visits.tests import flow
from taut.visits.tests.test_views import intake_post

ACTOR = "patient (portal)"


def patient_answers(**changes):
    """The patient's answers as the portal form hands them to the service."""
    data = {
        key: value
        for key, value in flow.ELIGIBLE.items()
        if key not in services.NOT_ASKED_OF_PATIENTS
    }
    red_flags = {q.id: False for group in screening.PATIENT_RED_FLAG_SETS.values() for q in group}
    return {**data, "red_flags": red_flags, **changes}


def reported(visit, **changes):
    services.record_patient_intake(
        visit=visit,
        data=patient_answers(**changes),
        goals=["Sleep through the night"],
        marks=[MarkInput("shoulder_top", "left", 7, ("aching",))],
        no_pain=False,
        actor=patient_acting(visit.patient),
    )
    visit.refresh_from_db()
    return visit


@pytest.fixture
def visit(cast):
    return flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=2))


def url(name, visit):
    return reverse(name, kwargs={"patient_id": visit.patient.public_id,
                                 "visit_id": visit.public_id})  # fmt: skip


# --- the service ----------------------------------------------------------------------------


def test_it_screens_a_patients_report_as_a_staff_intake_but_leaves_the_indication_open(visit):
    intake = reported(visit).intake
    staff_version = screening.screen(
        services.screening_answers(intake, policy_id=visit.patient.clinic.payer_policy)
    )
    assert intake.verdict_status == str(staff_version.status) == "pending"
    assert intake.verdict_status == screening.Status.PENDING
    missing = {r["code"] for r in intake.verdict_reasons if r["kind"] == "missing"}
    # The steroid is the clinician's to decide (issue 11): left open, not a forced "no", so
    # screening also waits for whether diabetes is poorly controlled.
    assert missing == {
        "missing.myelopathy_signs",
        "missing.indications",
        "missing.steroid_planned",
        "missing.diabetes_poorly_controlled",
    }
    assert intake.steroid_planned is None


def test_it_counts_an_antithrombotic_on_the_chart_even_if_the_patient_said_no(cast, visit):
    medication = Medication(name="Apixaban", dose="5 mg twice daily", antithrombotic=True)
    patients.add_chart_entry(patient=cast.patient, entry=medication, actor=acting(cast.nurse))
    intake = reported(visit, anticoagulant_or_antiplatelet=False).intake
    assert intake.anticoagulant_or_antiplatelet is True


def test_it_refuses_a_second_report_and_saves_nothing_more(visit):
    reported(visit)
    with pytest.raises(Blocked, match="already has an intake"):
        reported(visit)
    assert Intake.objects.count() == 1 and PainDrawing.objects.count() == 1


def test_it_refuses_a_report_for_a_closed_visit(cast, visit):
    visit = visits.end_visit(
        visit=visit, version=visit.version, reason="did_not_attend", actor=acting(cast.clinician)
    )
    with pytest.raises(VisitLocked):
        reported(visit)
    assert not Intake.objects.exists() and not PainDrawing.objects.exists()


def test_it_refuses_contradicting_answers_and_saves_nothing(visit):
    with pytest.raises(Blocked, match="Worst pain"):
        reported(visit, nrs_worst=1)
    visit.refresh_from_db()
    assert not Intake.objects.exists() and visit.version == 1 and visit.drawing is None


def test_it_refuses_an_empty_drawing_and_saves_nothing(visit):
    with pytest.raises(Blocked, match="Mark at least one region"):
        services.record_patient_intake(
            visit=visit,
            data=patient_answers(),
            goals=[],
            marks=[],
            no_pain=False,
            actor=patient_acting(visit.patient),
        )
    visit.refresh_from_db()
    assert not Intake.objects.exists() and visit.version == 1


def test_it_marks_a_report_reviewed_and_audits_it(cast, visit):
    visit = reported(visit)
    services.mark_intake_reviewed(visit=visit, version=visit.version, actor=acting(cast.nurse))
    intake = Intake.objects.get()
    assert intake.reviewed_by == cast.nurse and intake.reviewed_at is not None
    assert not intake.awaiting_review
    event = AuditEvent.objects.filter(object_type="intake", action=Action.UPDATE).get()
    assert event.actor_id == cast.nurse.pk and event.details["reviewed"] is True


def test_it_refuses_a_stale_review(cast, visit):
    visit = reported(visit)
    with pytest.raises(VisitConflict):
        services.mark_intake_reviewed(
            visit=visit, version=visit.version - 1, actor=acting(cast.nurse)
        )
    assert Intake.objects.get().awaiting_review


def test_it_refuses_to_review_a_staff_intake(cast, visit):
    visit = flow.with_intake(visit, cast.nurse)
    with pytest.raises(Blocked, match="no intake reported by the patient"):
        services.mark_intake_reviewed(visit=visit, version=visit.version, actor=acting(cast.nurse))


def test_it_counts_saving_the_staff_form_as_a_review_and_keeps_the_source(cast, visit):
    visit = reported(visit)
    flow.with_intake(visit, cast.nurse)
    intake = Intake.objects.get()
    assert intake.source == Intake.Source.PATIENT
    assert intake.reviewed_by == cast.nurse
    assert intake.indications == flow.ELIGIBLE["indications"]
    assert intake.verdict_status == "eligible"


# --- the pages ------------------------------------------------------------------------------


def test_it_shows_the_review_banner_on_the_intake_page_and_the_visit(client, cast, signed_in,
                                                                       visit):  # fmt: skip
    visit = reported(visit)
    signed_in(cast.nurse)
    for name in ("visits:intake", "visits:detail"):
        page = client.get(url(name, visit)).content.decode()
        assert "Reported by the patient on" in page and "— review" in page, name
        assert "Mark reviewed" in page
        assert "drawn by the patient" in page
    intake_page = client.get(url("visits:intake", visit)).content.decode()
    assert "Sleep through the night" in intake_page  # the form is prefilled with the answers
    assert 'value="shoulder_top" selected' in intake_page


def test_it_shows_no_review_banner_for_a_staff_intake(client, cast, signed_in, visit):
    visit = flow.with_intake(visit, cast.nurse)
    signed_in(cast.nurse)
    assert "Reported by the patient" not in client.get(url("visits:intake", visit)).content.decode()


def test_it_marks_reviewed_from_the_banner(client, cast, signed_in, visit):
    visit = reported(visit)
    signed_in(cast.clinician)
    response = client.post(url("visits:intake_review", visit), {"version": visit.version})
    assert response.status_code == 302
    assert Intake.objects.get().reviewed_by == cast.clinician
    page = client.get(url("visits:intake", visit)).content.decode()
    assert "— reviewed" in page and "Mark reviewed" not in page


def test_it_refuses_a_review_with_a_stale_or_missing_version(client, cast, signed_in, visit):
    visit = reported(visit)
    signed_in(cast.nurse)
    for version in (visit.version - 1, "", "abc"):
        client.post(url("visits:intake_review", visit), {"version": version})
        assert Intake.objects.get().awaiting_review


@pytest.mark.parametrize("role", ["front_desk", "lead"])
def test_it_refuses_the_review_to_roles_without_nursing_write(client, cast, signed_in, visit,
                                                              role):  # fmt: skip
    visit = reported(visit)
    signed_in(getattr(cast, role))
    response = client.post(url("visits:intake_review", visit), {"version": visit.version})
    assert response.status_code == 403
    assert Intake.objects.get().awaiting_review
    assert "Mark reviewed" not in client.get(url("visits:intake", visit)).content.decode()


def test_it_hides_the_review_from_another_clinic(client, cast, signed_in, visit):
    visit = reported(visit)
    signed_in(cast.outsider)
    response = client.post(url("visits:intake_review", visit), {"version": visit.version})
    assert response.status_code == 404
    assert Intake.objects.get().awaiting_review


def test_it_reviews_by_saving_the_corrected_form(client, cast, signed_in, visit):
    visit = reported(visit)
    signed_in(cast.nurse)
    response = client.post(url("visits:intake", visit), intake_post(visit, nrs_now="7"))
    assert response.status_code == 302
    intake = Intake.objects.get()
    assert intake.nrs_now == 7 and intake.reviewed_by == cast.nurse
    assert intake.source == Intake.Source.PATIENT


# --- the day list ---------------------------------------------------------------------------


def test_the_day_list_lists_coming_patient_reports_until_reviewed(client, cast, signed_in, visit):
    reported(visit)
    signed_in(cast.nurse)
    page = client.get(reverse("visits:day_list")).content.decode()
    assert "Patient reports to review" in page
    assert url("visits:intake", visit) in page
    services.mark_intake_reviewed(visit=visit, version=visit.version, actor=acting(cast.clinician))
    page = client.get(reverse("visits:day_list")).content.decode()
    assert url("visits:intake", visit) not in page
    assert "No patient reports waiting for review." in page


def test_the_day_list_shows_front_desk_no_patient_reports(client, cast, signed_in, visit):
    reported(visit)
    signed_in(cast.front_desk)
    page = client.get(reverse("visits:day_list")).content.decode()
    assert "Patient reports to review" not in page
