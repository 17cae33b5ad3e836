"""The clinic's own results on its public page (issue 17): per person from their first
session in the year, shown once 30 people have a 2-week score, in English and Spanish, with
what the figure does not mean; hidden when the clinic lead turns it off."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from taut.accounts.models import Clinic
from taut.outcomes.models import SessionOutcome
from taut.patients.models import Patient
from taut.public.tests.test_page import url
from taut.visits.models import Visit

TODAY = date(2026, 6, 1)
NOW = datetime(2026, 6, 1, 15, 0, tzinfo=UTC)


def treat(clinic, clinician, *, people, responders, second_session_for=0, first=0):
    """``people`` synthetic patients, each with a session 30 days before ``TODAY`` and a
    2-week score (``responders`` of them with ≥ 50 % relief); some with a later session
    that responded (it must not count: each person counts from their first session)."""
    patients = Patient.objects.bulk_create(
        Patient(
            clinic=clinic, mrn=f"F{first + n:04d}", given_name="Figure", family_name=f"P{n}",
            date_of_birth=date(1970, 1, 1), sex="female",
        )
        for n in range(people)
    )  # fmt: skip
    rows = []
    for n, patient in enumerate(patients):
        for number in (1, 2) if n < second_session_for else (1,):
            day = TODAY - timedelta(days=30 if number == 1 else 25)
            at = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=15)
            visit = Visit.objects.create(
                patient=patient, recorded_at=at, scheduled_for=at, clinician=clinician,
                state=Visit.State.SIGNED, updated_at=at,
            )  # fmt: skip
            responded = n < responders if number == 1 else True
            rows.append(
                SessionOutcome(
                    visit=visit,
                    patient=patient,
                    clinic=clinic,
                    day=day,
                    clinician=clinician,
                    session_number=number,
                    baseline=8,
                    nrs_2w=3 if responded else 7,
                    resp30_2w=True,
                    resp50_2w=responded,
                    guidance="landmark",
                    method="injection",
                    rule_version="test",
                    computed_at=at,
                )
            )
    SessionOutcome.objects.bulk_create(rows)


@pytest.fixture
def treated(cast):
    treat(cast.clinic, cast.clinician, people=40, responders=24, second_session_for=10)
    return cast.clinic


@time_machine.travel(NOW, tick=False)
def test_it_gives_the_clinics_numbers_in_words_with_their_range(client, treated):
    """40 people, each counted once from their first session (the ten second sessions, all
    responders, do not count): 24 of 40 is about 6 in 10, Wilson 0.45–0.74 → 4 to 8 in 10."""
    page = client.get(url()).content.decode()
    assert "Our own results" in page
    assert (
        "Of 40 people treated here in the last year, 40 told us how they were two weeks later."
        in page
    )
    assert (
        "For about 6 in 10 of them, at least half their pain was gone (likely between 4 and 8 in 10)."
        in page
    )
    assert "Six weeks later" not in page  # nobody's 6-week window has closed with a score
    assert "they are not a promise for you" in page
    spanish = client.get(url(lang="es")).content.decode()
    assert "Nuestros propios resultados" in spanish and "unas 6 de cada 10" in spanish


@time_machine.travel(NOW, tick=False)
def test_it_waits_for_thirty_people_and_the_lead_can_hide_it(client, cast):
    treat(cast.clinic, cast.clinician, people=29, responders=20)
    assert "Our own results" not in client.get(url()).content.decode()
    treat(cast.clinic, cast.clinician, people=1, responders=1, first=29)
    assert "Of 30 people treated here" in client.get(url()).content.decode()
    Clinic.objects.filter(pk=cast.clinic.pk).update(public_figures_on=False)
    assert "Our own results" not in client.get(url()).content.decode()
