import pytest
from django.urls import reverse

from taut.accounts.models import User
from taut.accounts.roles import Role
from taut.audit.models import Action, AuditEvent

NEW = {
    "first_name": "Nia",
    "last_name": "Newstaff",
    "username": "nia",
    "email": "nia@example.org",
    "role": Role.NURSE,
    "password": "a long enough passphrase",
}


def test_it_lists_the_clinics_staff_for_the_lead(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("accounts:staff_list"))
    assert response.status_code == 200
    assert b"Nico Nurse" in response.content
    assert b"Otto" not in response.content  # another clinic's staff


@pytest.mark.parametrize("role", ["clinician", "nurse", "front_desk"])
def test_it_refuses_staff_pages_to_other_roles(client, cast, signed_in, role):
    signed_in(cast.staff()[role])
    assert client.get(reverse("accounts:staff_list")).status_code == 403
    assert client.post(reverse("accounts:staff_add"), NEW).status_code == 403
    assert not User.objects.filter(username="nia").exists()


def test_it_adds_a_member_and_audits_the_privilege_change(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.post(reverse("accounts:staff_add"), NEW)
    assert response.status_code == 302
    nia = User.objects.get(username="nia")
    assert (nia.clinic, nia.role) == (cast.clinic, Role.NURSE)
    assert nia.password.startswith("md5$")  # hashed (tests use a fast hasher)
    event = AuditEvent.objects.get(action=Action.PRIVILEGE_CHANGE, object_id=str(nia.public_id))
    assert event.details == {"change": "created", "role": "nurse"}
    assert event.actor_id == cast.lead.pk


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("password", "too short", b"at least 12 characters"),
        ("username", "nurse", b"already exists"),
        ("role", "surgeon", b"not one of the available choices"),
        ("email", "not-an-email", b"valid email"),
    ],
)
def test_it_rejects_bad_staff_input_and_saves_nothing(
    client, cast, signed_in, field, value, message
):
    signed_in(cast.lead)
    count = User.objects.count()
    response = client.post(reverse("accounts:staff_add"), {**NEW, field: value})
    assert response.status_code == 200
    assert message in response.content
    assert User.objects.count() == count


def test_it_changes_a_role_and_audits_from_and_to(client, cast, signed_in):
    signed_in(cast.lead)
    url = reverse("accounts:staff_edit", args=[cast.nurse.public_id])
    assert client.post(url, {"role": Role.CLINICIAN, "active": "on"}).status_code == 302
    cast.nurse.refresh_from_db()
    assert cast.nurse.role == Role.CLINICIAN
    event = AuditEvent.objects.get(action=Action.PRIVILEGE_CHANGE, details__change="role")
    assert event.details == {"change": "role", "from": "nurse", "to": "clinician"}


def test_it_deactivates_a_member(client, cast, signed_in):
    signed_in(cast.lead)
    url = reverse("accounts:staff_edit", args=[cast.front_desk.public_id])
    client.post(url, {"role": Role.FRONT_DESK})
    cast.front_desk.refresh_from_db()
    assert not cast.front_desk.is_active
    assert AuditEvent.objects.filter(details__change="deactivated").exists()


def test_it_stops_a_lead_from_locking_themselves_out(client, cast, signed_in):
    signed_in(cast.lead)
    url = reverse("accounts:staff_edit", args=[cast.lead.public_id])
    response = client.post(url, {"role": Role.NURSE, "active": "on"})
    assert response.status_code == 200
    assert b"cannot remove your own clinic lead role" in response.content
    cast.lead.refresh_from_db()
    assert cast.lead.role == Role.CLINIC_LEAD


def test_it_cannot_edit_another_clinics_staff(client, cast, signed_in):
    signed_in(cast.lead)
    url = reverse("accounts:staff_edit", args=[cast.outsider.public_id])
    assert client.post(url, {"role": Role.NURSE}).status_code == 404
    cast.outsider.refresh_from_db()
    assert cast.outsider.is_active


def test_it_changes_a_password_and_ends_other_sessions(client, cast, signed_in):
    from django.test import Client

    from taut.tests.cast import PASSWORD

    other = Client()
    other.post("/login/", {"username": "nurse", "password": PASSWORD})
    signed_in(cast.nurse)
    new = "another long passphrase"
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302
    assert client.get("/patients/").status_code == 200
    assert other.get("/patients/").status_code == 302
