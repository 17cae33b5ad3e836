"""Every route declares who may use it, and the patient gate enforces it.

The route-policy test walks the URL resolver: a new route without a declared
access policy fails the build. test_route_matrix.py checks each role against each
patient-scoped route, for a patient of their own clinic and of another.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taut.accounts.access import AccessPolicy
from taut.patients import services
from taut.patients.models import Allergy
from taut.tests.cast import acting, make_patient, sign_in


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry


def all_routes():
    return list(walk(get_resolver().url_patterns))


def test_it_declares_an_access_policy_on_every_route():
    missing = [
        f"{route} ({pattern.callback.__module__}.{pattern.callback.__name__})"
        for namespace, route, pattern in all_routes()
        if namespace != "admin" and not isinstance(
            getattr(pattern.callback, "access_policy", None), AccessPolicy
        )
    ]  # fmt: skip
    assert missing == [], f"Routes without an access policy: {missing}"


def test_it_finds_the_routes_it_checks():
    names = {f"{ns}:{p.name}" for ns, _, p in all_routes() if p.name}
    assert {"patients:chart", "accounts:login", "audit:log"} <= names


def test_it_refuses_a_record_of_another_patient_under_this_patients_url(client, cast):
    second = make_patient(cast.clinic, cast.front_desk, mrn="T0002")
    entry = services.add_chart_entry(
        patient=second,
        entry=Allergy(agent="Penicillin", reaction="Rash"),
        actor=acting(cast.clinician),
    )
    sign_in(client, cast.nurse)
    url = reverse(
        "patients:entry_retire",
        kwargs={"patient_id": cast.patient.public_id, "kind": "allergies",
                "entry_id": entry.public_id},
    )  # fmt: skip
    assert client.post(url).status_code == 404
    entry.refresh_from_db()
    assert entry.active


@pytest.mark.parametrize(
    "url",
    [
        "/patients/not-a-uuid/",
        "/patients/00000000-0000-0000-0000-000000000000/",
        "/patients/00000000-0000-0000-0000-000000000000/allergies/add/",
        "/clinic/staff/00000000-0000-0000-0000-000000000000/",
    ],
)
def test_it_answers_unknown_or_malformed_ids_with_404(client, cast, url):
    sign_in(client, cast.lead)
    assert client.get(url).status_code == 404


def test_it_answers_an_unknown_chart_section_with_404(client, cast):
    sign_in(client, cast.nurse)
    url = reverse("patients:entry_add", args=[cast.patient.public_id, "tattoos"])
    assert client.get(url).status_code == 404


def test_it_keeps_clinic_staff_out_of_the_django_admin(client, cast):
    sign_in(client, cast.lead)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
