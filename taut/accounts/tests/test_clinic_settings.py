"""The clinic settings page: a clinic lead edits contact details, the follow-up plan and
the clinic's policies; others are refused; bad input and stale forms save nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from taut.accounts import services
from taut.accounts.models import Clinic
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import acting, sign_in, system

URL = "/clinic/"


def form_data(clinic, **changes):
    """The POST a lead sends when saving ``clinic`` as it is now, with ``changes``."""
    clinic.refresh_from_db()
    data = {
        "version": clinic.version,
        "name": clinic.name,
        "phone": clinic.phone,
        "email": clinic.email,
        "address": clinic.address,
        "time_zone": clinic.time_zone,
        "followup_days": ", ".join(str(p.offset_days) for p in clinic.plan().checkpoints),
        "reconsider_after": clinic.reconsider_after,
        "payer_policy": clinic.payer_policy,
        "weight_window_days": clinic.weight_window_days,
        "function_percent": clinic.function_percent,
        "function_min_points": clinic.function_min_points,
        "emergency_number": clinic.emergency_number,
        "observation_minutes": clinic.observation_minutes,
        "steroid_limit_mg": clinic.steroid_limit_mg,
        "opens_at": clinic.opens_at.strftime("%H:%M"),
        "closes_at": clinic.closes_at.strftime("%H:%M"),
        "slot_minutes": clinic.slot_minutes,
        "structure_sites_per_session": clinic.structure_sites_per_session,
    }
    if clinic.portal_passwords:
        data["portal_passwords"] = "on"
    if clinic.public_page_on:
        data["public_page_on"] = "on"
    if clinic.public_figures_on:
        data["public_figures_on"] = "on"
    data["public_note_en"] = clinic.public_note_en
    data["public_note_es"] = clinic.public_note_es
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def snapshot(clinic):
    return Clinic.objects.filter(pk=clinic.pk).values().get()


def test_it_lives_at_clinic_for_the_lead_with_the_current_settings(client, cast, signed_in):
    """The lead sees every setting, Taut's default plan and what each check-in asks."""
    assert reverse("accounts:clinic_settings") == URL
    signed_in(cast.lead)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="1, 3, 7, 14, 42, 84"' in page
    assert "The clinic's plan now (Taut's default)" in page
    assert "Week 12" in page and "goals (GAS)" in page
    assert "could not be verified" in page  # reconsider_after is clinic policy
    assert "Medicare LCD L34211" in page and "BCBSA 2.01.103" in page
    assert "only a Taut administrator can change it" in page  # the dosing table
    assert 'for="id_time_zone"' in page and 'list="time-zones"' in page
    assert 'name="reconsider_after" value="2" min="1" max="20"' in page
    assert 'href="/clinic/"' in page  # linked from the top bar


@pytest.mark.parametrize("role", ["clinician", "nurse", "front_desk"])
def test_it_refuses_other_roles_and_saves_nothing(client, cast, signed_in, role):
    """Only a clinic lead (MANAGE_STAFF) may see or change the settings; refusals are audited."""
    user = cast.staff()[role]
    signed_in(user)
    before = snapshot(cast.clinic)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(cast.clinic, name="Renamed")).status_code == 403
    assert snapshot(cast.clinic) == before
    assert AuditEvent.objects.filter(action=Action.DENIED, actor_id=user.pk).count() == 2
    assert b'href="/clinic/"' not in client.get("/patients/").content


def test_it_sends_anonymous_visitors_to_login(client, cast):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_shows_an_outsider_lead_their_own_clinic_only(client, cast, signed_in):
    """A lead of another clinic edits that clinic; this clinic is untouched."""
    outsider_lead = services.add_staff(
        clinic=cast.other_clinic, username="olead", first_name="Ola", last_name="Lead",
        email="olead@example.org", role="clinic_lead", password="x" * 12, actor=system(),
    )  # fmt: skip
    signed_in(outsider_lead)
    before = snapshot(cast.clinic)
    response = client.post(URL, form_data(cast.other_clinic, name="Other Clinic Renamed"))
    assert response.status_code == 302
    assert snapshot(cast.clinic) == before
    cast.other_clinic.refresh_from_db()
    assert cast.other_clinic.name == "Other Clinic Renamed"


def test_it_saves_contact_details_and_policies_with_an_audit_entry(client, cast, signed_in):
    """Saved values, a version bump, and one UPDATE event naming the fields; policy values
    old → new, contact details by name only."""
    signed_in(cast.lead)
    data = form_data(
        cast.clinic, name="Harbour TPI Clinic", email="alerts@example.org", phone="555-0100",
        time_zone="America/Chicago", reconsider_after=3, payer_policy="BCBSA-2.01.103",
        weight_window_days=14, portal_passwords="on",
    )  # fmt: skip
    response = client.post(URL, data, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert b"apply to sessions signed from now on" in response.content
    assert b"Harbour TPI Clinic" in response.content  # the top bar shows the new name
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert (clinic.name, clinic.email, clinic.phone, clinic.time_zone) == (
        "Harbour TPI Clinic", "alerts@example.org", "555-0100", "America/Chicago",
    )  # fmt: skip
    assert (clinic.reconsider_after, clinic.payer_policy, clinic.weight_window_days) == (
        3, "BCBSA-2.01.103", 14,
    )  # fmt: skip
    assert clinic.portal_passwords is True
    assert clinic.version == 2
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="clinic")
    assert event.object_id == str(clinic.public_id)
    assert event.actor_id == cast.lead.pk and event.clinic_id == clinic.pk
    assert set(event.details["fields"]) == {
        "name", "email", "phone", "time_zone", "reconsider_after", "payer_policy",
        "weight_window_days", "portal_passwords",
    }  # fmt: skip
    assert event.details["version"] == 2
    assert event.details["changes"]["reconsider_after"] == {"from": 2, "to": 3}
    # A clinic without its own time zone follows the deployment's (stored as "").
    assert event.details["changes"]["time_zone"] == {"from": "", "to": "America/Chicago"}
    assert "name" not in event.details["changes"] and "email" not in event.details["changes"]


def test_it_saves_a_custom_plan_and_audits_its_days(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.post(URL, form_data(cast.clinic, followup_days="2, 10, 30, 90"))
    assert response.status_code == 302
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert clinic.followup_plan == [
        {"key": "day_2", "offset_days": 2, "label": "Day 2"},
        {"key": "day_10", "offset_days": 10, "label": "Day 10"},
        {"key": "day_30", "offset_days": 30, "label": "Day 30"},
        {"key": "day_90", "offset_days": 90, "label": "Day 90"},
    ]
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="clinic")
    assert event.details["fields"] == ["followup_plan"]
    assert event.details["changes"]["followup_plan"] == {
        "from": [1, 3, 7, 14, 42, 84],
        "to": [2, 10, 30, 90],
    }
    page = client.get(URL).content.decode()
    assert 'value="2, 10, 30, 90"' in page and "Day 90" in page


def test_it_stores_the_default_days_as_taut_default_plan(client, cast, signed_in):
    """Entering the default days again stores an empty plan: the clinic follows Taut's."""
    signed_in(cast.lead)
    client.post(URL, form_data(cast.clinic, followup_days="2, 14, 42"))
    client.post(URL, form_data(cast.clinic, followup_days="1,3,7,14,42,84"))
    assert Clinic.objects.get(pk=cast.clinic.pk).followup_plan == []


def test_it_says_when_nothing_changed_and_writes_nothing(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.post(URL, form_data(cast.clinic), follow=True)
    assert b"Nothing to save" in response.content
    assert Clinic.objects.get(pk=cast.clinic.pk).version == 1
    assert not AuditEvent.objects.filter(object_type="clinic").exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("time_zone", "Mars/Base", "is not a known time zone"),
        ("followup_days", "1, 3, 3, 14", "Day 3 is listed twice"),
        ("followup_days", "14, 7, 42", "increasing order (day 7 after 14)"),
        ("followup_days", "0, 7, 14", "Day 0 is not after the session; check-ins start on day 1"),
        ("followup_days", "1, two, 14", "“two” is not a whole number of days"),
        ("followup_days", "", "This field is required"),
        ("followup_days", "1, 400", "more than 365 days"),
        ("reconsider_after", "0", "greater than or equal to 1"),
        ("weight_window_days", "0", "greater than or equal to 1"),
        ("structure_sites_per_session", "0", "greater than or equal to 1"),
        ("structure_sites_per_session", "two", "Enter a whole number"),
        ("payer_policy", "ACME-1", "Select a valid choice"),
        ("email", "not-an-email", "valid email"),
        ("name", "", "This field is required"),
    ],
)
def test_it_refuses_bad_input_with_a_clear_error_and_saves_nothing(
    client, cast, signed_in, field, value, message
):
    signed_in(cast.lead)
    before = snapshot(cast.clinic)
    data = form_data(cast.clinic, **{"phone": "555-0199", field: value})
    response = client.post(URL, data)
    assert response.status_code == 400
    assert message in response.content.decode().replace("&#x27;", "'")
    assert "Nothing was saved" in response.content.decode()
    assert snapshot(cast.clinic) == before
    assert not AuditEvent.objects.filter(object_type="clinic").exists()


def test_it_warns_but_saves_a_plan_that_cannot_measure_two_week_relief(client, cast, signed_in):
    """No check-in in days 10–21: saved, with the reason shown (warn, don't forbid)."""
    signed_in(cast.lead)
    response = client.post(URL, form_data(cast.clinic, followup_days="3, 7, 42"), follow=True)
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert [p["offset_days"] for p in clinic.followup_plan] == [3, 7, 42]
    page = response.content.decode()
    assert "You can save this plan, but:" in page
    assert "No check-in between day 10 and day 21" in page
    assert "relief at two weeks cannot be measured" in page


def test_it_previews_a_plan_without_saving(client, cast, signed_in):
    """The "Show the plan" button lists the entered check-ins, their labels and warnings; saves nothing."""
    signed_in(cast.lead)
    before = snapshot(cast.clinic)
    data = form_data(cast.clinic, followup_days="2, 21, 28", preview="1")
    response = client.post(URL, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "The plan as entered: not saved yet" in page
    assert "Week 3" in page and "Week 4" in page and "Day 2" in page
    assert "needs 50% relief lasting 42 days" in page  # the LCD's six weeks
    assert snapshot(cast.clinic) == before


def test_it_refuses_a_stale_form_with_a_conflict_and_keeps_the_first_save(cast):
    """Two leads open the form at version 1; the second save is refused, naming who
    changed what, and the first lead's plan stays."""
    lead_a = Client()
    sign_in(lead_a, cast.lead)
    other_lead = services.add_staff(
        clinic=cast.clinic, username="lead2", first_name="Lou", last_name="Lead",
        email="lead2@example.org", role="clinic_lead", password="x" * 12, actor=system(),
    )  # fmt: skip
    lead_b = sign_in(Client(), other_lead)
    opened = form_data(cast.clinic)
    assert lead_a.post(URL, {**opened, "followup_days": "2, 10, 30, 90"}).status_code == 302
    response = lead_b.post(URL, {**opened, "reconsider_after": "4", "followup_days": "1, 14"})
    assert response.status_code == 409
    page = response.content.decode()
    assert "lead changed followup plan" in page
    assert "Your changes were not saved" in page
    assert 'value="2, 10, 30, 90"' in page  # the form now shows what is saved
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert [p["offset_days"] for p in clinic.followup_plan] == [2, 10, 30, 90]
    assert (clinic.reconsider_after, clinic.version) == (2, 2)


def test_it_refuses_a_form_without_its_version(client, cast, signed_in):
    signed_in(cast.lead)
    data = form_data(cast.clinic, name="Renamed")
    del data["version"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert Clinic.objects.get(pk=cast.clinic.pk).name == "Test Clinic"


def test_the_service_refuses_bad_values_and_unknown_settings(cast):
    """The service checks again whatever the form let through."""
    with pytest.raises(services.ValidationError) as raised:
        services.update_clinic_settings(
            clinic=cast.clinic, version=1, data={"followup_days": [7, 7]}, actor=acting(cast.lead)
        )
    assert raised.value.message_dict == {"followup_days": ["Day 7 is listed twice."]}
    with pytest.raises(services.ValidationError, match="payer policies"):
        services.update_clinic_settings(
            clinic=cast.clinic, version=1, data={"payer_policy": "ACME"}, actor=acting(cast.lead)
        )
    with pytest.raises(services.ValidationError, match="reconsider_after"):
        services.update_clinic_settings(
            clinic=cast.clinic, version=1, data={"reconsider_after": 0}, actor=acting(cast.lead)
        )
    with pytest.raises(ValueError, match="dosing_table"):
        services.update_clinic_settings(
            clinic=cast.clinic, version=1, data={"dosing_table": {}}, actor=acting(cast.lead)
        )
    assert Clinic.objects.get(pk=cast.clinic.pk).version == 1


def test_it_saves_the_clinics_own_function_thresholds(client, cast, signed_in):
    """Taut's function thresholds are unverified, so the page says so and a lead may set
    the clinic's own; bad values save nothing."""
    signed_in(cast.lead)
    page = client.get(URL).content.decode()
    assert "defaults are 50 % and 1 point" in page and "Unverified" in page
    client.post(URL, form_data(cast.clinic, function_percent=30, function_min_points=2))
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert (clinic.function_percent, clinic.function_min_points) == (30, 2)
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="clinic")
    assert event.details["changes"]["function_percent"] == {"from": 50, "to": 30}
    response = client.post(URL, form_data(clinic, function_percent=0))
    assert response.status_code == 400 and Clinic.objects.get(pk=clinic.pk).function_percent == 30


def test_it_saves_the_safety_settings_and_refuses_a_watch_past_four_hours(client, cast, signed_in):
    """The watch after the last injection is clinic policy (LAST onset up to 60 min [S29b]),
    shown with the onset figures; the emergency number and steroid limit beside it."""
    signed_in(cast.lead)
    page = client.get(URL).content.decode()
    assert "30 seconds to 60 minutes" in page and "clinic policy" in page
    data = form_data(
        cast.clinic, emergency_number="112", observation_minutes=45, steroid_limit_mg=60
    )
    assert client.post(URL, data).status_code == 302
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert (clinic.emergency_number, clinic.observation_minutes, clinic.steroid_limit_mg) == (
        "112",
        45,
        60,
    )
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="clinic")
    assert event.details["changes"]["observation_minutes"] == {"from": 30, "to": 45}
    response = client.post(URL, form_data(clinic, observation_minutes=300))
    assert "less than or equal to 240" in response.content.decode()
    assert Clinic.objects.get(pk=clinic.pk).observation_minutes == 45


def test_it_saves_the_clinics_own_limit_on_ligament_and_tendon_sites(client, cast, signed_in):
    """The page says the limit is the clinic's own, not a Medicare rule; saved, audited old
    → new, and emptied again (no limit); the payer rules the clinic checks by carry it."""
    signed_in(cast.lead)
    page = client.get(URL).content.decode().replace("&#x27;", "'")
    assert "Ligament and tendon sites in one session, at most" in page
    assert "The clinic's own limit, not a Medicare rule" in page
    assert 'name="structure_sites_per_session" min="1" max="30"' in page
    assert (
        client.post(URL, form_data(cast.clinic, structure_sites_per_session=2)).status_code == 302
    )
    clinic = Clinic.objects.get(pk=cast.clinic.pk)
    assert clinic.structure_sites_per_session == 2
    assert clinic.payer_rules().structure_sites_per_session == 2
    assert clinic.payer_rules().id == clinic.payer_policy
    event = AuditEvent.objects.get(action=Action.UPDATE, object_type="clinic")
    assert event.details["changes"]["structure_sites_per_session"] == {"from": None, "to": 2}
    data = form_data(clinic)
    del data["structure_sites_per_session"]  # the field left empty: no limit
    assert client.post(URL, data).status_code == 302
    clinic.refresh_from_db()
    assert clinic.structure_sites_per_session is None
    assert clinic.payer_rules().structure_sites_per_session is None


@pytest.mark.parametrize("value", [0, 31, "2", True, 1.5])
def test_the_service_refuses_a_limit_on_ligament_and_tendon_sites_that_is_not_a_count(cast, value):
    """Whatever the form let through, the service takes None or a whole number 1-30 only,
    naming the field; nothing is saved."""
    with pytest.raises(services.ValidationError) as raised:
        services.update_clinic_settings(
            clinic=cast.clinic,
            version=1,
            data={"structure_sites_per_session": value},
            actor=acting(cast.lead),
        )
    message = raised.value.message_dict["structure_sites_per_session"][0]
    assert "whole number from 1 to 30, or empty for no limit" in message
    assert Clinic.objects.get(pk=cast.clinic.pk).structure_sites_per_session is None
