"""The watch after the needle: discharge before signing, the LAST checklist and its steps on
the note, the lipid-emulsion dose on the procedure page, and consent for a planned steroid.

Sources: clinical.md §4: LAST onset 30 s to 60 min [S29b] (the watch length is clinic
policy, R8); ASRA checklist [S32c], [S32d], [S32e]."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from taut.clinical import consent
from taut.tests.cast import acting
from taut.visits.models import Procedure
from taut.visits.services import observation as watch
from taut.visits.services import procedure
from taut.visits.services.common import Blocked, VisitInvalid
from taut.visits.tests import flow
from taut.workflows import notes


def url(name, visit):
    return reverse(
        name, kwargs={"patient_id": visit.patient.public_id, "visit_id": visit.public_id}
    )


def injected(cast, *, weight="70"):
    """A session with one site and the pain scores recorded, not yet discharged."""
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse)
    v = flow.consented(flow.examined(v, cast.clinician), cast.nurse, weight=weight)
    v = flow.with_sites(v, cast.clinician, [flow.site()])
    procedure.record_immediate(
        visit=v,
        version=v.version,
        nrs_before=6,
        nrs_after=2,
        complications=["none"],
        action="",
        actor=acting(cast.nurse),
    )
    v.refresh_from_db()
    return v


def sign(v, cast):
    return notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))


def test_it_copies_the_clinics_watch_when_the_procedure_starts(cast):
    cast.clinic.observation_minutes = 45
    cast.clinic.save(update_fields=["observation_minutes"])
    v = injected(cast)
    assert v.procedure.observation_minutes == 45


def test_it_refuses_to_sign_before_the_discharge_is_recorded(cast):
    v = injected(cast)
    with pytest.raises(Blocked, match="the discharge after the watch"):
        sign(v, cast)


def test_it_signs_after_a_full_watch_and_puts_the_discharge_on_the_note(cast):
    v = flow.discharged(injected(cast), cast.nurse, after_minutes=31)
    note = sign(v, cast)
    assert "Watched for 30 minutes by clinic policy" in note.body_html
    assert "heart rate 72 beats/min" in note.body_html
    assert "early signs of LAST at discharge: none" in note.body_html


def test_it_refuses_an_early_discharge_without_the_reason(cast):
    v = injected(cast)
    with pytest.raises(Blocked, match="watched 10 of the clinic's 30 minutes"):
        flow.discharged(v, cast.nurse, after_minutes=10)
    v.refresh_from_db()
    assert v.procedure.discharged_at is None


def test_it_allows_signing_when_the_watch_was_cut_short_with_a_reason(cast):
    v = flow.discharged(
        injected(cast), cast.nurse, after_minutes=10, cut_short="Left against advice"
    )
    note = sign(v, cast)
    assert "The watch was cut short: Left against advice" in note.body_html


def test_it_accepts_a_cut_short_reason_without_a_discharge_time(cast):
    v = injected(cast)
    watch.record_discharge(
        visit=v,
        version=v.version,
        discharged_at=None,
        vitals=None,
        symptoms=[],
        cut_short="Walked out before vital signs were taken",
        actor=acting(cast.nurse),
    )
    v.refresh_from_db()
    assert sign(v, cast).cpt_code


def test_it_needs_vital_signs_with_a_discharge_time(cast):
    v = injected(cast)
    at = timezone.now() + timedelta(minutes=31)
    with pytest.raises(VisitInvalid) as refused:
        watch.record_discharge(
            visit=v,
            version=v.version,
            discharged_at=at,
            vitals={},
            symptoms=[],
            cut_short="",
            actor=acting(cast.nurse, now=at),
        )
    assert "heart_rate" in refused.value.errors


def test_it_will_not_discharge_with_early_signs_of_last_until_last_is_recorded(cast):
    v = injected(cast)
    at = timezone.now() + timedelta(minutes=40)
    with pytest.raises(Blocked, match="Early signs of LAST"):
        watch.record_discharge(
            visit=v,
            version=v.version,
            discharged_at=at,
            vitals=flow.VITALS,
            symptoms=["metallic_taste"],
            cut_short="",
            actor=acting(cast.nurse, now=at),
        )


def test_it_puts_a_suspected_last_and_the_steps_taken_on_the_signed_note(cast):
    v = injected(cast)
    procedure.record_immediate(
        visit=v,
        version=v.version,
        nrs_before=6,
        nrs_after=2,
        complications=[Procedure.Complication.LAST],
        action="Perioral numbness 4 min after the last site; treated per the ASRA checklist",
        actor=acting(cast.nurse),
    )
    v.refresh_from_db()
    v = flow.discharged(v, cast.nurse, after_minutes=180)
    with pytest.raises(Blocked, match="what was done for suspected LAST"):
        sign(v, cast)
    watch.record_last_steps(
        visit=v,
        version=v.version,
        steps=["stop", "help", "airway", "lipid"],
        actor=acting(cast.nurse),
    )
    v.refresh_from_db()
    note = sign(v, cast)
    assert "Suspected local anaesthetic systemic toxicity (LAST)" in note.body_html
    assert "stop injecting, call for help, airway, lipid emulsion 20 %" in note.body_html


def test_it_records_last_steps_only_for_a_suspected_last(cast):
    v = injected(cast)
    with pytest.raises(Blocked, match="Suspected LAST"):
        watch.record_last_steps(
            visit=v, version=v.version, steps=["stop"], actor=acting(cast.nurse)
        )


def test_it_shows_the_checklist_and_the_lipid_dose_for_the_weight(client, cast, signed_in):
    v = injected(cast, weight="50")
    signed_in(cast.nurse)
    page = client.get(url("visits:procedure", v)).content.decode()
    # 50 kg: 1.5 mL/kg = 75 mL bolus, 0.25 mL/kg/min = 12.5 mL/min, limit 600 mL [S32].
    assert "75.0 mL over 2–3 minutes" in page
    assert "12.5 mL per minute" in page
    assert "600 mL" in page
    assert "Stop injecting" in page and "Seizures" in page
    assert "30 seconds to 60 minutes" in page and "clinic policy" in page
    assert "Before signing, record the discharge" in page


def test_it_records_the_discharge_through_the_page(client, cast, signed_in):
    v = injected(cast)
    signed_in(cast.nurse)
    form = {
        "version": v.version,
        "discharged_at": "",
        "cut_short": "Collected by family after 15 minutes; no symptoms",
    }
    response = client.post(url("visits:discharge", v), form)
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.procedure.observation_cut_short.startswith("Collected by family")


def test_it_shows_the_refusal_and_saves_nothing_for_an_early_discharge(client, cast, signed_in):
    v = injected(cast)
    signed_in(cast.nurse)
    # Ten minutes after the last injection, on the clinic's clock (the form's time zone).
    ten_minutes_on = (timezone.now() + timedelta(minutes=10)).astimezone(cast.clinic.zone())
    form = {
        "version": v.version,
        "discharged_at": ten_minutes_on.strftime("%Y-%m-%dT%H:%M"),
        "heart_rate": "70",
        "systolic": "120",
        "diastolic": "80",
        "spo2": "98",
    }
    with time_machine.travel(timezone.now() + timedelta(minutes=11), tick=False):
        response = client.post(url("visits:discharge", v), form)
    assert response.status_code == 400
    assert "give the reason the watch was cut short" in response.content.decode()
    v.refresh_from_db()
    assert v.procedure.discharged_at is None


def test_it_asks_consent_for_steroid_effects_when_a_steroid_is_planned(cast):
    v = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician), cast.nurse, steroid_planned=True
    )
    v = flow.examined(v, cast.clinician)
    without = [str(r) for r in consent.GENERAL_RISKS] + ["pneumothorax"]
    with pytest.raises(Blocked, match="Steroid side effects"):
        procedure.record_consent(
            visit=v,
            version=v.version,
            consented_by="The patient",
            consented_at=timezone.now(),
            risks=without,
            actor=acting(cast.nurse),
        )
    procedure.record_consent(
        visit=v,
        version=v.version,
        consented_by="The patient",
        consented_at=timezone.now(),
        risks=[*without, "steroid"],
        actor=acting(cast.nurse),
    )


def test_it_shows_the_recorded_discharge_on_the_page(client, cast, signed_in):
    v = flow.discharged(injected(cast), cast.nurse, after_minutes=35)
    signed_in(cast.clinician)
    response = client.get(url("visits:procedure", v))
    page = response.content.decode()
    assert "✓ Went home at" in page and "heart rate 72 beats/min" in page
    assert "Before signing, record the discharge" not in page
    recorded = v.procedure.discharged_at.astimezone(cast.clinic.zone())
    form = response.context["discharge_form"]
    assert form.initial["discharged_at"] == recorded.strftime("%Y-%m-%dT%H:%M")
