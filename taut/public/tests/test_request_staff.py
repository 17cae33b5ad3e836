"""Staff handling appointment requests: the list and the day list's section, each request's
page (every read audited, other clinics 404), possible existing patients, booking for a
chosen match or a new patient in one transaction, dismissing, and conflicts on a stale
version."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from taut.audit.models import Action, AuditEvent
from taut.clinical import patient_education
from taut.patients.models import Patient
from taut.public.models import AppointmentRequest
from taut.public.request_notice import send_notice
from taut.public.request_queries import possible_matches
from taut.public.tests.request_flow import make_request
from taut.reminders import sending
from taut.reminders.models import Reminder
from taut.tests.cast import make_patient, sign_in
from taut.visits.models import Visit

ROLES = ["front_desk", "nurse", "clinician", "lead"]


def detail(item):
    return reverse("public:request_detail", kwargs={"request_id": item.public_id})


def book_url(item):
    return reverse("public:request_book", kwargs={"request_id": item.public_id})


def dismiss_url(item):
    return reverse("public:request_dismiss", kwargs={"request_id": item.public_id})


def slot(days=30):
    """A time ahead of the clinic's clock, as the booking form sends it (clinic time)."""
    when = timezone.localtime(timezone.now() + timedelta(days=days)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    return when.strftime("%Y-%m-%dT%H:%M")


def booking(item, **overrides):
    data = {
        "version": item.version,
        "patient": "new",
        "mrn": "R0001",
        "sex": "male",
        "kind": Visit.Kind.NEW_ASSESSMENT,
        "scheduled_for": slot(),
        "clinician": "",
        "duration_minutes": "",
    }
    data.update(overrides)
    return data


def events_since(before, **filters):
    return AuditEvent.objects.filter(id__gt=before, **filters)


def last_event_id():
    return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_a_request_to_every_role_of_the_clinic_and_audits_the_read(client, cast, role):
    item = make_request(cast.clinic)
    sign_in(client, cast.staff()[role])
    before = last_event_id()
    response = client.get(detail(item))
    assert response.status_code == 200
    assert "Núñez" in response.content.decode()
    seen = events_since(before, action=Action.VIEW, object_type="appointment_request")
    assert seen.count() == 1
    assert seen.get().object_id == str(item.public_id)
    assert seen.get().actor_id == cast.staff()[role].pk


def test_it_hides_a_request_from_another_clinics_staff_with_404_audited(client, cast):
    item = make_request(cast.clinic)
    sign_in(client, cast.outsider)
    before = last_event_id()
    assert client.get(detail(item)).status_code == 404
    assert (
        client.post(
            dismiss_url(item), {"dismiss-version": 1, "dismiss-reason": "duplicate"}
        ).status_code
        == 404
    )
    assert client.post(book_url(item), booking(item)).status_code == 404
    denied = events_since(before, action=Action.DENIED, object_type="appointment_request")
    # Each refusal in the outsider's clinic's log and in the request's clinic's (its lead's).
    assert sorted(denied.values_list("clinic_id", flat=True)) == sorted(
        [cast.clinic.pk, cast.other_clinic.pk] * 3
    )
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.OPEN and item.version == 1
    assert not Patient.objects.filter(mrn="R0001").exists()
    # Nor does it list them, count them or show them on the day list.
    page = client.get(reverse("public:request_list")).content.decode()
    assert "Núñez" not in page


def test_it_sends_anonymous_visitors_to_login(client, cast):
    item = make_request(cast.clinic)
    for url in (detail(item), reverse("public:request_list"), reverse("public:day_list_section")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(
            reverse("accounts:login")
        )
    assert client.post(book_url(item), booking(item)).status_code == 302
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.OPEN


def test_it_lists_open_requests_oldest_first_in_the_list_the_nav_and_the_day_list(client, cast):
    now = timezone.now()
    make_request(cast.clinic, now=now - timedelta(hours=1), given_name="Older", family_name="Aaa")
    make_request(cast.clinic, now=now, given_name="Newer", family_name="Bbb")
    sign_in(client, cast.front_desk)
    before = last_event_id()
    page = client.get(reverse("public:request_list")).content.decode()
    assert page.index("Aaa, Older") < page.index("Bbb, Newer")
    assert 'Requests <span class="count">2</span>' in page
    listed = events_since(before, action=Action.VIEW, object_type="appointment_requests")
    assert listed.get().details["requests"] == 2
    day = client.get(reverse("visits:day_list")).content.decode()
    assert reverse("public:day_list_section") in day
    section = client.get(reverse("public:day_list_section"), headers={"HX-Request": "true"})
    assert "Requests to call back" in section.content.decode()
    assert "Aaa, Older" in section.content.decode()


def test_it_shows_an_empty_state_when_nothing_waits(client, cast):
    sign_in(client, cast.front_desk)
    assert "No requests waiting" in client.get(reverse("public:request_list")).content.decode()


def test_it_matches_a_patient_by_folded_name_and_date_of_birth_only(cast):
    same = make_patient(cast.clinic, cast.front_desk, mrn="M1", given_name="JOSE",
                        family_name="nunez", date_of_birth=date(1975, 2, 14))  # fmt: skip
    make_patient(cast.clinic, cast.front_desk, mrn="M2", given_name="José",
                 family_name="Núñez", date_of_birth=date(1975, 2, 15))  # fmt: skip
    make_patient(cast.other_clinic, cast.outsider, mrn="M3", given_name="José",
                 family_name="Núñez", date_of_birth=date(1975, 2, 14))  # fmt: skip
    item = make_request(cast.clinic)
    assert possible_matches(item) == [same]


def test_it_registers_a_new_patient_and_books_the_visit_without_retyping(client, cast):
    item = make_request(cast.clinic)
    sign_in(client, cast.front_desk)
    before = last_event_id()
    response = client.post(book_url(item), booking(item, clinician=str(cast.clinician.pk)))
    assert response.status_code == 302, response.context["book"].errors
    patient = Patient.objects.get(mrn="R0001")
    assert (patient.given_name, patient.family_name) == ("José", "Núñez")
    assert patient.date_of_birth == date(1975, 2, 14)
    assert (patient.phone, patient.email) == ("555 010 4242", "jose.nunez@example.org")
    assert patient.preferred_language == "es" and patient.clinic == cast.clinic
    visit = Visit.objects.get(patient=patient)
    assert visit.clinician == cast.clinician and visit.kind == Visit.Kind.NEW_ASSESSMENT
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.BOOKED
    assert (item.patient, item.visit, item.version) == (patient, visit, 2)
    assert item.handled_by == cast.front_desk
    booked = events_since(before, action=Action.UPDATE, object_type="appointment_request").get()
    assert booked.details == {"change": "booked", "patient": "registered", "version": 2}
    assert booked.patient_id == patient.public_id
    assert events_since(before, action=Action.CREATE, object_type="patient").count() == 1
    assert events_since(before, action=Action.CREATE, object_type="visit").count() == 1
    # Handled: off the list.
    assert "Núñez" not in client.get(reverse("public:request_list")).content.decode()


def test_it_books_for_the_patient_staff_choose_and_merges_nothing_into_them(client, cast):
    existing = make_patient(cast.clinic, cast.front_desk, mrn="E1", given_name="Jose",
                            family_name="NUNEZ", date_of_birth=date(1975, 2, 14),
                            phone="555 999 0000", email="old@example.org")  # fmt: skip
    item = make_request(cast.clinic)
    sign_in(client, cast.front_desk)
    page = client.get(detail(item)).content.decode()
    assert "The same person as NUNEZ, Jose" in page and "Register as a new patient" in page
    response = client.post(book_url(item), booking(item, patient=str(existing.public_id), mrn=""))
    assert response.status_code == 302
    assert Patient.objects.filter(clinic=cast.clinic).count() == 2  # the cast's and this one
    existing.refresh_from_db()
    assert (existing.phone, existing.email, existing.version) == (
        "555 999 0000",
        "old@example.org",
        1,
    )
    assert Visit.objects.get(patient=existing)
    item.refresh_from_db()
    assert item.patient == existing and item.status == AppointmentRequest.Status.BOOKED
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="appointment_request")
    assert event.details["patient"] == "chosen"


def test_it_refuses_to_attach_a_patient_who_is_not_a_possible_match(client, cast):
    item = make_request(cast.clinic)
    sign_in(client, cast.front_desk)
    response = client.post(book_url(item), booking(item, patient=str(cast.patient.public_id)))
    assert response.status_code == 400
    assert not Visit.objects.exists()
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.OPEN and item.version == 1


def test_it_rolls_everything_back_when_the_booking_fails(client, cast):
    """A taken MRN refuses the new patient after the request was claimed and before the
    visit: the claim is undone too."""
    item = make_request(cast.clinic)
    sign_in(client, cast.front_desk)
    response = client.post(book_url(item), booking(item, mrn=cast.patient.mrn))
    assert response.status_code == 400
    assert "already belongs to another patient" in response.content.decode()
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.OPEN and item.version == 1
    assert item.patient is None and item.visit is None
    assert not Visit.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.UPDATE, object_type="appointment_request")


def test_it_rolls_back_the_new_patient_when_the_visit_is_refused(client, cast):
    item = make_request(cast.clinic)
    other = make_request(cast.clinic, given_name="Ana", family_name="Quiroga", address="192.0.2.11")
    sign_in(client, cast.front_desk)
    when = slot()
    first = booking(other, mrn="R0002", clinician=str(cast.clinician.pk), scheduled_for=when)
    assert client.post(book_url(other), first).status_code == 302
    clash = booking(item, clinician=str(cast.clinician.pk), scheduled_for=when)
    response = client.post(book_url(item), clash)
    assert response.status_code == 400
    assert "already has a visit" in response.content.decode()
    assert not Patient.objects.filter(mrn="R0001").exists()
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.OPEN


def test_it_refuses_a_second_person_acting_on_a_stale_version_with_a_conflict(client, cast):
    item = make_request(cast.clinic)
    sign_in(client, cast.nurse)
    assert (
        client.post(
            dismiss_url(item), {"dismiss-version": 1, "dismiss-reason": "duplicate"}
        ).status_code
        == 302
    )
    sign_in(client, cast.front_desk)
    response = client.post(book_url(item), booking(item))
    assert response.status_code == 409
    assert "nurse changed dismissed" in response.content.decode()
    assert not Patient.objects.filter(mrn="R0001").exists()
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.DISMISSED and item.version == 2


def test_it_dismisses_with_a_reason_and_refuses_one_without(client, cast):
    item = make_request(cast.clinic)
    sign_in(client, cast.front_desk)
    assert (
        client.post(dismiss_url(item), {"dismiss-version": 1, "dismiss-reason": ""}).status_code
        == 400
    )
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.OPEN
    before = last_event_id()
    assert (
        client.post(
            dismiss_url(item), {"dismiss-version": 1, "dismiss-reason": "unreachable"}
        ).status_code
        == 302
    )
    item.refresh_from_db()
    assert item.status == AppointmentRequest.Status.DISMISSED
    assert item.dismiss_reason == "unreachable"
    event = events_since(before, action=Action.UPDATE, object_type="appointment_request").get()
    assert event.details == {"change": "dismissed", "reason": "unreachable", "version": 2}


def test_it_keeps_request_data_out_of_every_email_to_the_clinic(client, cast):
    cast.clinic.email = "desk@clinic.example"
    cast.clinic.save(update_fields=["email"])
    item = make_request(cast.clinic)
    send_notice(request_id=item.pk, now=item.created_at)
    sign_in(client, cast.front_desk)
    client.post(book_url(item), booking(item))
    for reminder in Reminder.objects.all():
        sending.send_reminder(reminder_id=reminder.pk, now=reminder.send_after)
    to_clinic = [m for m in mail.outbox if m.to == ["desk@clinic.example"]]
    assert len(to_clinic) == 1
    typed = ["José", "Jose", "Núñez", "Nunez", "555 010 4242", "jose.nunez", "1975", "14 Feb"]
    for message in to_clinic:
        for text in typed:
            assert text not in message.body and text not in message.subject
        assert str(item.public_id) not in message.body


def test_it_hides_an_expired_request_from_the_list_and_its_page(client, cast):
    expired = make_request(cast.clinic, now=timezone.now() - timedelta(days=15))
    sign_in(client, cast.front_desk)
    assert "Núñez" not in client.get(reverse("public:request_list")).content.decode()
    assert client.get(detail(expired)).status_code == 404


def test_it_shows_staff_the_attached_self_check_in_plain_english(client, cast):
    answers = {
        "regions": ["low_back"],
        "duration": "over_3_months",
        "tried": ["massage"],
        "red_flags": {q.id: q.id == "back.trauma" for q in patient_education.SELFCHECK_RED_FLAGS},
    }
    item = make_request(cast.clinic, answers=answers)
    sign_in(client, cast.front_desk)
    page = client.get(detail(item)).content.decode()
    for line in patient_education.selfcheck_summary(answers):
        assert escape(line) in page
    assert "Self-check outcome: See a doctor soon" in page
    assert "Self-check attached" in client.get(reverse("public:request_list")).content.decode()
