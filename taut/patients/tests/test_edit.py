from django.urls import reverse

from taut.audit.models import Action, AuditEvent


def form_data(patient, **changes):
    data = {
        "given_name": patient.given_name,
        "family_name": patient.family_name,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "mrn": patient.mrn,
        "phone": patient.phone,
        "email": patient.email,
        "address": patient.address,
        "preferred_language": patient.preferred_language,
        "version": patient.version,
    }
    data.update(changes)
    return data


def test_it_saves_an_edit_and_audits_the_fields_changed(client, cast, signed_in):
    signed_in(cast.front_desk)
    url = reverse("patients:edit", args=[cast.patient.public_id])
    response = client.post(url, form_data(cast.patient, phone="(555) 010-9999"))
    assert response.status_code == 302
    cast.patient.refresh_from_db()
    assert (cast.patient.phone, cast.patient.version) == ("(555) 010-9999", 2)
    event = AuditEvent.objects.get(action=Action.UPDATE, patient_id=cast.patient.public_id)
    assert event.details == {"fields": ["phone"], "version": 2}


def test_it_refuses_a_stale_edit_and_names_who_changed_what(client, cast, signed_in):
    url = reverse("patients:edit", args=[cast.patient.public_id])
    stale = form_data(cast.patient, email="mine@example.org")
    signed_in(cast.nurse)
    client.post(url, form_data(cast.patient, phone="(555) 010-7777", address="3 New Road"))
    signed_in(cast.front_desk)
    response = client.post(url, stale)
    assert response.status_code == 409
    text = response.content.decode()
    assert "nurse changed phone, address" in text
    assert "Your changes were not saved" in text
    cast.patient.refresh_from_db()
    assert cast.patient.email == "ada@example.org"
    assert cast.patient.phone == "(555) 010-7777"


def test_it_refuses_an_edit_without_a_version(client, cast, signed_in):
    signed_in(cast.front_desk)
    url = reverse("patients:edit", args=[cast.patient.public_id])
    data = form_data(cast.patient, phone="1")
    del data["version"]
    response = client.post(url, data)
    assert b"missing its version" in response.content
    cast.patient.refresh_from_db()
    assert cast.patient.phone != "1"


def test_it_refuses_an_mrn_already_used_in_the_clinic(client, cast, signed_in):
    from taut.tests.cast import make_patient

    make_patient(cast.clinic, cast.front_desk, mrn="T0009")
    signed_in(cast.front_desk)
    url = reverse("patients:edit", args=[cast.patient.public_id])
    response = client.post(url, form_data(cast.patient, mrn="T0009"))
    assert b"already belongs to another patient" in response.content
    cast.patient.refresh_from_db()
    assert cast.patient.mrn == "T0001"


def test_it_keeps_the_same_mrn_on_edit(client, cast, signed_in):
    signed_in(cast.front_desk)
    url = reverse("patients:edit", args=[cast.patient.public_id])
    assert client.post(url, form_data(cast.patient, given_name="Adah")).status_code == 302
