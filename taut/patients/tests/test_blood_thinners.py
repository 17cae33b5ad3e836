"""Blood thinners recognised by name on the chart, in the intake and in screening.

Issue 11 point 12: "Apixaban" saved without the tick is a blood thinner. Rule:
taut.clinical.antithrombotics (ASRA anticoagulation guideline [S24]; names unverified)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from taut.atlas.forms import MarkInput
from taut.patients import services
from taut.patients.models import Medication
from taut.patients.queries import chart_for_patient
from taut.tests.cast import acting, patient_acting
from taut.visits.services import intake
from taut.visits.tests import flow
from taut.visits.tests.test_patient_intake import patient_answers


def on_chart(cast, name, *, ticked=False):
    services.add_chart_entry(
        patient=cast.patient,
        entry=Medication(name=name, dose="as directed", antithrombotic=ticked),
        actor=acting(cast.nurse),
    )


def chart_page(client, cast):
    return client.get(reverse("patients:chart", args=[cast.patient.public_id])).content.decode()


@pytest.mark.parametrize(
    ("name", "ticked", "shown"),
    [
        ("Apixaban", False, "blood thinner (anticoagulant)"),  # the example
        ("Eliquis 5 mg", False, "blood thinner (anticoagulant)"),
        ("Plavix", False, "blood thinner (antiplatelet)"),
        ("Study drug XY-12", True, "blood thinner"),  # unknown to the list: the tick counts
    ],
)
def test_it_shows_a_blood_thinner_recognised_by_name(client, cast, signed_in, name, ticked, shown):
    on_chart(cast, name, ticked=ticked)
    signed_in(cast.clinician)
    body = chart_page(client, cast)
    assert shown in body
    assert f'tag-warning">{name}' in body  # in the "Blood thinners" line at the top
    assert body.count("none recorded") == 1  # allergies only, not blood thinners


def test_it_shows_none_for_a_medicine_that_is_not_a_blood_thinner(client, cast, signed_in):
    on_chart(cast, "Ibuprofen")
    signed_in(cast.clinician)
    body = chart_page(client, cast)
    assert body.count("none recorded") == 2  # no allergies, no blood thinners
    assert "blood thinner (" not in body


def test_it_leaves_a_retired_blood_thinner_out_of_the_current_list(cast):
    on_chart(cast, "Warfarin")
    medication = Medication.objects.get(name="Warfarin")
    services.retire_chart_entry(entry=medication, actor=acting(cast.nurse))
    assert chart_for_patient(cast.patient)["antithrombotics"] == []


def test_it_prefills_the_intake_from_a_recognised_name(client, cast, signed_in):
    on_chart(cast, "Xarelto")
    visit = flow.scheduled(cast.patient, cast.clinician)
    signed_in(cast.nurse)
    url = reverse("visits:intake", args=[cast.patient.public_id, visit.public_id])
    response = client.get(url)
    assert response.context["form"].initial["anticoagulant_or_antiplatelet"] is True


def test_it_screens_a_recognised_blood_thinner_even_if_the_staff_answer_says_no(cast):
    on_chart(cast, "Apixaban")
    visit = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician),
        cast.nurse,
        anticoagulant_or_antiplatelet=False,
    )
    assert visit.intake.anticoagulant_or_antiplatelet is True
    assert visit.intake.verdict_status == "needs_review"
    codes = {r["code"] for r in visit.intake.verdict_reasons}
    assert any("anticoagulant_or_antiplatelet" in code for code in codes)


def test_it_counts_a_recognised_name_in_the_patients_own_intake(cast):
    on_chart(cast, "Brilinta")
    visit = flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=2))
    intake.record_patient_intake(
        visit=visit,
        data=patient_answers(anticoagulant_or_antiplatelet=False),
        goals=["Sleep through the night"],
        marks=[MarkInput("shoulder_top", "left", 7, ("aching",))],
        no_pain=False,
        actor=patient_acting(visit.patient),
    )
    visit.refresh_from_db()
    assert visit.intake.anticoagulant_or_antiplatelet is True
