import pytest
from django.urls import reverse

from taut.audit.models import Action, AuditEvent
from taut.patients.models import Patient

VALID = {
    "given_name": "Bea",
    "family_name": "Marrowdale",
    "date_of_birth": "1984-02-29",
    "sex": "female",
    "mrn": "T0100",
    "phone": "(555) 010-2222",
    "email": "bea@example.org",
    "address": "2 Example Way",
    "preferred_language": "es",
}


def test_it_registers_a_patient_and_audits_it(client, cast, signed_in):
    signed_in(cast.front_desk)
    response = client.post(reverse("patients:new"), VALID)
    patient = Patient.objects.get(mrn="T0100")
    assert response["Location"] == reverse("patients:chart", args=[patient.public_id])
    assert patient.clinic == cast.clinic
    event = AuditEvent.objects.get(action=Action.CREATE, patient_id=patient.public_id)
    assert event.actor_id == cast.front_desk.pk
    assert "Marrowdale" not in str(event.details)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("date_of_birth", "2099-01-01", "cannot be in the future"),
        ("date_of_birth", "2023-02-30", "Enter a valid date"),
        ("date_of_birth", "1850-01-01", "before 1900"),
        ("mrn", "T0001", "already belongs to another patient"),
        ("mrn", "t0001", "already belongs to another patient"),
        ("sex", "robot", "not one of the available choices"),
        ("email", "nope", "valid email"),
        ("given_name", "", "This field is required"),
    ],
)
def test_it_rejects_bad_input_with_field_messages_and_saves_nothing(
    client, cast, signed_in, field, value, message
):
    signed_in(cast.front_desk)
    before = (Patient.objects.count(), AuditEvent.objects.filter(action=Action.CREATE).count())
    response = client.post(reverse("patients:new"), {**VALID, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert response.context["form"].errors[field]
    after = (Patient.objects.count(), AuditEvent.objects.filter(action=Action.CREATE).count())
    assert after == before


def test_it_allows_the_same_mrn_in_another_clinic(client, cast, signed_in):
    signed_in(cast.front_desk)
    response = client.post(reverse("patients:new"), {**VALID, "mrn": "O0001"})
    assert response.status_code == 302


def test_it_sends_anonymous_registrations_to_login(client, cast):
    response = client.post(reverse("patients:new"), VALID)
    assert response.status_code == 302
    assert not Patient.objects.filter(mrn="T0100").exists()
