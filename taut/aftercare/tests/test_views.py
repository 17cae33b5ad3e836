"""The aftercare pages over HTTP: chart section, phone check-in, worklist, instructions."""

import pytest
from django.urls import reverse

from taut.aftercare import services, views
from taut.aftercare.models import Alert
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import acting, sign_in
from taut.tests.once import built_once_per_module
from taut.tests.renders import run_renders
from taut.visits.models import InjectionSite, PrintedDocument
from taut.visits.tests import flow as visit_flow


def checkin_url(checkin):
    return reverse("aftercare:checkin", args=[checkin.patient.public_id, checkin.public_id])


def signed_session(cast):
    return flow.signed(cast.patient, cast.clinician)


# Every test has the signed session, so the module signs it once (taut/tests/once.py).
visit, _visit_once = built_once_per_module(signed_session, name="visit")


def test_it_lists_checkins_by_session_on_the_chart(client, cast, visit):
    sign_in(client, cast.lead)
    response = client.get(reverse("aftercare:chart_section", args=[cast.patient.public_id]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Week 12" in body and "Upcoming" in body
    assert "Record by phone" not in body  # a lead reads, does not record


def test_it_records_a_phone_checkin_from_the_form(client, cast, visit):
    checkin = visit.checkins.get(checkpoint="week_2")
    sign_in(client, cast.nurse)
    page = client.get(checkin_url(checkin))
    assert page.status_code == 200
    assert "How bad is the pain we are treating, right now?" in page.content.decode()
    assert "site-reminder" not in page.content.decode()  # muscles only: no site box
    assert "tendon_rupture" not in page.context["form"].fields
    response = client.post(checkin_url(checkin), flow.form_data(checkin, nrs=4))
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.nrs == 4 and checkin.source == "staff_phone"


def test_it_records_goal_attainment_at_week_6(client, cast, visit):
    checkin = visit.checkins.get(checkpoint="week_6")
    sign_in(client, cast.clinician)
    assert "Sleep through the night" in client.get(checkin_url(checkin)).content.decode()
    response = client.post(checkin_url(checkin), {**flow.form_data(checkin), "gas_1": "1"})
    assert response.status_code == 302
    checkin.refresh_from_db()
    assert checkin.answers["gas"] == {str(visit.goals.get().pk): 1}


def test_it_rerenders_bad_input_and_saves_nothing(client, cast, visit):
    checkin = visit.checkins.get(checkpoint="day_1")
    sign_in(client, cast.nurse)
    response = client.post(checkin_url(checkin), flow.form_data(checkin, nrs=11))
    assert response.status_code == 400
    assert response.context["form"].errors["nrs"]
    checkin.refresh_from_db()
    assert checkin.completed_at is None


def test_it_refuses_a_completed_checkin(client, cast, visit):
    checkin = visit.checkins.get(checkpoint="day_1")
    sign_in(client, cast.nurse)
    client.post(checkin_url(checkin), flow.form_data(checkin, nrs=5))
    response = client.post(checkin_url(checkin), flow.form_data(checkin, nrs=9), follow=True)
    assert "already completed" in response.content.decode()
    checkin.refresh_from_db()
    assert checkin.nrs == 5


def test_it_shows_a_reported_warning_sign_on_the_worklist_at_once(client, cast, visit):
    checkin = visit.checkins.get(checkpoint="day_1")
    sign_in(client, cast.nurse)
    client.post(checkin_url(checkin), flow.form_data(checkin, chest_pain="yes"))
    response = client.get(reverse("aftercare:worklist"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chest pain after injection" in body and "Urgent" in body


def test_it_names_a_steroid_tendon_and_alerts_on_a_rupture_answer(client, cast, visit):
    """Issue 15: a steroid at a tendon site shows its plain name and the handout's advice,
    asks about a rupture, and a "yes" goes on the worklist (same day: "soon")."""
    first = InjectionSite.objects.filter(procedure__visit=visit).order_by("id").first()
    first.muscle, first.steroid, first.steroid_mg = "common_extensor_origin", "triamcinolone", 40
    first.save(update_fields=["muscle", "steroid", "steroid_mg"])
    checkin = visit.checkins.get(checkpoint="day_1")
    sign_in(client, cast.nurse)
    body = client.get(checkin_url(checkin)).content.decode()
    box = body[body.index("site-reminder") :]
    assert "the tendon on the outer side of your elbow" in box
    assert "go easy on it for about two weeks" in box
    assert "did you feel a snap or a sudden sharp pain" in body
    client.post(checkin_url(checkin), flow.form_data(checkin, tendon_rupture="yes"))
    alert = Alert.objects.get(checkin=checkin)
    assert (alert.code, alert.severity) == ("tendon_rupture", "soon")
    body = client.get(reverse("aftercare:worklist")).content.decode()
    assert "possible tendon rupture" in body and "Common extensor tendon origin" in body


def test_it_puts_urgent_alerts_first(client, cast, visit):
    services.record_checkin(
        checkin=visit.checkins.get(checkpoint="day_3"),
        answers=flow.answers(visit.checkins.get(checkpoint="day_3"), infection="yes"),
        actor=acting(cast.nurse),
    )  # fmt: skip
    day_1 = visit.checkins.get(checkpoint="day_1")
    services.record_checkin(
        checkin=day_1, answers=flow.answers(day_1, breathing="yes"), actor=acting(cast.nurse),
    )  # fmt: skip
    sign_in(client, cast.clinician)
    alerts = [a for a, _ in client.get(reverse("aftercare:worklist")).context["alerts"]]
    assert [a.severity for a in alerts] == ["urgent", "soon"]


def test_it_acknowledges_an_alert_only_with_a_note(client, cast, visit):
    checkin = visit.checkins.get(checkpoint="day_1")
    services.record_checkin(
        checkin=checkin, answers=flow.answers(checkin, infection="yes"), actor=acting(cast.nurse),
    )  # fmt: skip
    alert = Alert.objects.get()
    url = reverse("aftercare:acknowledge", args=[cast.patient.public_id, alert.public_id])
    prefix = str(alert.public_id)
    sign_in(client, cast.nurse)
    response = client.post(url, {f"{prefix}-note": ""})
    assert response.status_code == 400
    alert.refresh_from_db()
    assert alert.open
    response = client.post(url, {f"{prefix}-note": "Called; advised GP visit today."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert not alert.open and alert.note == "Called; advised GP visit today."
    assert "advised GP" not in client.get(reverse("aftercare:worklist")).content.decode()


def test_it_lists_overdue_checkins_on_the_worklist(client, cast, visit):
    checkin = visit.checkins.get(checkpoint="day_1")
    checkin.due_on = checkin.due_on.replace(year=checkin.due_on.year - 1)
    checkin.save(update_fields=["due_on"])
    sign_in(client, cast.nurse)
    chase = client.get(reverse("aftercare:worklist")).context["chase"]
    assert list(chase["overdue"]) == [checkin]


def test_it_refuses_front_desk_the_checkin_form_and_worklist(client, cast, visit):
    sign_in(client, cast.front_desk)
    assert client.get(checkin_url(visit.checkins.first())).status_code == 403
    assert client.get(reverse("aftercare:worklist")).status_code == 403
    assert "Worklist" not in client.get(reverse("patients:list")).content.decode()


@pytest.mark.usefixtures("visit")
def test_it_shows_the_worklist_link_to_clinical_roles(client, cast):
    sign_in(client, cast.nurse)
    assert "Worklist" in client.get(reverse("patients:list")).content.decode()


@pytest.mark.usefixtures("visit")
def test_it_hides_other_clinics_checkins_and_alerts(client, cast):
    other = flow.signed(cast.other_patient, cast.outsider)
    checkin = other.checkins.get(checkpoint="day_1")
    services.record_checkin(
        checkin=checkin, answers=flow.answers(checkin, infection="yes"), actor=acting(cast.outsider),
    )  # fmt: skip
    sign_in(client, cast.nurse)
    assert client.get(checkin_url(other.checkins.get(checkpoint="day_3"))).status_code == 404
    assert client.get(reverse("aftercare:worklist")).context["alerts"] == []


def test_it_refuses_a_checkin_of_another_patient_under_this_patients_url(client, cast, visit):
    from taut.tests.cast import make_patient

    second = make_patient(cast.clinic, cast.front_desk, mrn="T0002")
    url = reverse("aftercare:checkin", args=[second.public_id, visit.checkins.first().public_id])
    sign_in(client, cast.nurse)
    assert client.get(url).status_code == 404


@pytest.mark.usefixtures("visit")
def test_it_sends_anonymous_visitors_to_login(client, cast):
    response = client.get(reverse("aftercare:worklist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


WARNING = "One of your shots was close to a lung"


def test_it_warns_of_pneumothorax_after_a_neck_or_chest_site(client, cast, visit):
    sign_in(client, cast.nurse)
    url = reverse("aftercare:instructions", args=[cast.patient.public_id, visit.public_id])
    body = client.get(url).content.decode()
    assert WARNING in body and "Test Clinic" in body


@pytest.mark.usefixtures("visit")
def test_it_leaves_out_the_lung_warning_for_other_sites(client, cast):
    visit = flow.signed(cast.patient, cast.clinician, sites=[visit_flow.site("gluteus_medius")])
    sign_in(client, cast.nurse)
    url = reverse("aftercare:instructions", args=[cast.patient.public_id, visit.public_id])
    body = client.get(url).content.decode()
    assert "What to expect" in body and WARNING not in body


def test_it_prints_the_instructions_as_an_audited_pdf(client, cast, visit):
    sign_in(client, cast.clinician)
    url = reverse("aftercare:instructions_pdf", args=[cast.patient.public_id, visit.public_id])
    run_renders(PrintedDocument.Kind.AFTERCARE)  # the worker renders what signing queued
    response = client.get(url)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    printed = AuditEvent.objects.filter(action=Action.PRINT, object_id=str(visit.public_id))
    assert printed.get().patient_id == cast.patient.public_id


def test_it_folds_each_worklist_section_to_its_count_and_opens_the_most_urgent(client, cast, visit):
    """With no open alert, the overdue check-ins are the most urgent: that section alone is
    open; every section's summary shows how many wait."""
    overdue = list(visit.checkins.order_by("due_on")[:2])
    for checkin in overdue:
        checkin.due_on = checkin.due_on.replace(year=checkin.due_on.year - 1)
        checkin.save(update_fields=["due_on"])
    sign_in(client, cast.nurse)
    response = client.get(reverse("aftercare:worklist"))
    body = response.content.decode()
    assert response.context["open_section"] == "overdue"
    assert '<details class="card worklist-section" id="overdue" open>' in body
    assert '<details class="card worklist-section" id="alerts">' in body
    assert 'Overdue check-ins <span class="count">2</span>' in body
    assert 'Open alerts <span class="count">0</span>' in body
    # The later sections load closed: something above them waits.
    assert "next-step-due/?open=1" not in body


def test_it_pages_a_long_worklist_section(client, cast, visit, monkeypatch):
    checkins = list(visit.checkins.all())
    for checkin in checkins:
        checkin.due_on = checkin.due_on.replace(year=checkin.due_on.year - 1)
        checkin.save(update_fields=["due_on"])
    sign_in(client, cast.nurse)
    monkeypatch.setattr(views, "WORKLIST_PAGE_SIZE", 2)
    first = client.get(reverse("aftercare:worklist")).context["chase"]["overdue"]
    second = client.get(reverse("aftercare:worklist"), {"overdue": "2"})
    assert len(first.object_list) == 2 and first.paginator.count == len(checkins)
    assert second.context["open_section"] == "overdue"
    assert second.context["chase"]["overdue"].number == 2
    assert "?overdue=3#overdue" in second.content.decode() or len(checkins) <= 4
