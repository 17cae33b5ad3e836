"""The patient list and the chart run the same number of queries however many patients,
allergies, medications, conditions and weights there are."""

from datetime import date, timedelta
from decimal import Decimal

from django.urls import reverse

from taut.patients import services
from taut.patients.models import Allergy, Condition, Measurement, Medication
from taut.tests.cast import acting, make_patient
from taut.tests.query_counts import queries_to_get, queries_to_post

LIST = reverse("patients:list")


def more_patients(cast, count, *, start=2):
    for number in range(start, start + count):
        make_patient(cast.clinic, cast.front_desk, mrn=f"T{number:04d}", given_name=f"P{number}")


def more_entries(cast, count):
    for number in range(count):
        for entry in (
            Allergy(agent=f"Agent {number}", reaction="Hives"),
            Medication(name=f"Drug {number}", antithrombotic=number % 2 == 0),
            Condition(name=f"Condition {number}", icd10="M79.1"),
            Measurement(
                weight_kg=Decimal("70"), measured_on=date(2025, 1, 1) + timedelta(days=number)
            ),
        ):
            services.add_chart_entry(patient=cast.patient, entry=entry, actor=acting(cast.nurse))


def test_it_lists_patients_in_the_same_number_of_queries_however_many(client, cast, signed_in):
    signed_in(cast.front_desk)
    few = queries_to_get(client, LIST)
    more_patients(cast, 8)
    assert len(queries_to_get(client, LIST)) == len(few)


def test_it_searches_in_the_same_number_of_queries_however_many_match(client, cast, signed_in):
    signed_in(cast.front_desk)
    search = {"q": "Quillbrook"}
    few = queries_to_post(client, LIST, data=search)
    more_patients(cast, 8)
    assert len(queries_to_post(client, LIST, data=search)) == len(few)
    # The htmx answer is the results alone: no top bar, so no count of appointment requests.
    assert len(queries_to_post(client, LIST, data=search, htmx=True)) == len(few) - 1


def test_it_shows_the_chart_in_the_same_number_of_queries_however_many_entries(
    client, cast, signed_in
):
    url = reverse("patients:chart", args=[cast.patient.public_id])
    signed_in(cast.nurse)
    more_entries(cast, 1)
    few = queries_to_get(client, url)
    more_entries(cast, 6)
    assert len(queries_to_get(client, url)) == len(few)


def test_it_reads_each_chart_list_once(client, cast, signed_in):
    """The session, the member with their clinic, the patient, then allergies (the chart and
    the unmapped allergies share one read), medicines, weights and conditions, the top
    bar's count of appointment requests to call back, and the audit event: nine statements."""
    url = reverse("patients:chart", args=[cast.patient.public_id])
    signed_in(cast.clinician)
    more_entries(cast, 2)
    ran = queries_to_get(client, url)
    assert len(ran) == 9, ran
    assert sum('FROM "patients_allergy"' in q for q in ran) == 1, ran
