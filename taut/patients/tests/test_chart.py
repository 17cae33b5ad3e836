from decimal import Decimal

import pytest
from django.urls import reverse

from taut.audit.models import Action, AuditEvent
from taut.patients import services
from taut.patients.models import Allergy, Measurement, Medication
from taut.tests.cast import acting


def chart(client, patient):
    return client.get(reverse("patients:chart", args=[patient.public_id]))


def test_it_shows_empty_states_for_a_new_patient(client, cast, signed_in):
    signed_in(cast.clinician)
    body = chart(client, cast.patient).content.decode()
    for text in ["No weight recorded", "No allergies recorded"]:
        assert text in body


def test_it_hides_clinical_information_from_front_desk(client, cast, signed_in):
    services.add_chart_entry(
        patient=cast.patient,
        entry=Allergy(agent="Lidocaine", reaction="Hives"),
        actor=acting(cast.nurse),
    )
    signed_in(cast.front_desk)
    body = chart(client, cast.patient).content.decode()
    assert "Clinical information is not shown for your role" in body
    assert "Lidocaine" not in body
    assert "Allergies" not in body


def test_it_flags_allergies_and_blood_thinners_for_clinicians(client, cast, signed_in):
    services.add_chart_entry(
        patient=cast.patient,
        entry=Allergy(agent="Lidocaine", reaction="Hives"),
        actor=acting(cast.nurse),
    )
    services.add_chart_entry(
        patient=cast.patient,
        entry=Medication(name="Apixaban", antithrombotic=True),
        actor=acting(cast.nurse),
    )
    signed_in(cast.clinician)
    body = chart(client, cast.patient).content.decode()
    assert "Lidocaine — Hives" in body
    assert 'tag-warning">Apixaban' in body


@pytest.mark.parametrize(
    "weight, ok", [("0.4", False), ("0.5", True), ("400", True), ("400.1", False), ("-3", False)]
)
def test_it_accepts_weights_from_half_a_kilo_to_400(client, cast, signed_in, weight, ok):
    signed_in(cast.nurse)
    url = reverse("patients:entry_add", args=[cast.patient.public_id, "measurements"])
    response = client.post(url, {"weight_kg": weight, "measured_on": "2026-01-02"})
    assert (response.status_code == 302) == ok
    assert Measurement.objects.filter(patient=cast.patient).exists() == ok
    if not ok:
        assert response.context["form"].errors["weight_kg"]


def test_it_refuses_a_measurement_dated_in_the_future(client, cast, signed_in):
    signed_in(cast.nurse)
    url = reverse("patients:entry_add", args=[cast.patient.public_id, "measurements"])
    response = client.post(url, {"weight_kg": "70", "measured_on": "2999-01-01"})
    assert b"cannot be in the future" in response.content
    assert not Measurement.objects.exists()


def test_it_records_an_anaesthetic_allergy_with_the_agent(client, cast, signed_in):
    signed_in(cast.nurse)
    url = reverse("patients:entry_add", args=[cast.patient.public_id, "allergies"])
    data = {
        "agent": "Lidocaine",
        "anaesthetic": "lidocaine",
        "reaction": "Hives",
        "severity": "mild",
    }
    assert client.post(url, data).status_code == 302
    allergy = Allergy.objects.get(patient=cast.patient)
    assert allergy.anaesthetic == "lidocaine"
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="allergy").exists()


def test_it_refuses_an_unknown_anaesthetic(client, cast, signed_in):
    signed_in(cast.nurse)
    url = reverse("patients:entry_add", args=[cast.patient.public_id, "allergies"])
    data = {"agent": "X", "anaesthetic": "cocaine", "reaction": "Y", "severity": "mild"}
    assert client.post(url, data).status_code == 400
    assert not Allergy.objects.exists()


def test_it_retires_a_medication_but_keeps_it_on_the_chart(client, cast, signed_in):
    medication = services.add_chart_entry(
        patient=cast.patient,
        entry=Medication(name="Warfarin", antithrombotic=True),
        actor=acting(cast.nurse),
    )
    signed_in(cast.nurse)
    url = reverse(
        "patients:entry_retire", args=[cast.patient.public_id, "medications", medication.public_id]
    )
    assert client.post(url).status_code == 302
    medication.refresh_from_db()
    assert not medication.active
    body = chart(client, cast.patient).content.decode()
    assert "Warfarin" in body and "no longer current" in body


def test_it_shows_the_latest_weights_first(client, cast, signed_in):
    for day, kg in [("2026-01-01", "70.0"), ("2026-03-01", "72.5")]:
        services.add_chart_entry(
            patient=cast.patient,
            entry=Measurement(weight_kg=Decimal(kg), measured_on=day),
            actor=acting(cast.nurse),
        )
    signed_in(cast.clinician)
    body = chart(client, cast.patient).content.decode()
    assert body.index("72.5 kg") < body.index("70.0 kg")
