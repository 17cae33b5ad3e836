from datetime import date

import pytest
from django.urls import reverse

from taut.audit.models import Action, AuditEvent
from taut.patients import queries, services
from taut.patients.models import Patient
from taut.tests.cast import acting, make_patient


@pytest.fixture
def crowd(cast):
    for number in range(60):
        make_patient(
            cast.clinic,
            cast.front_desk,
            mrn=f"C{number:04d}",
            family_name="Thistlewick" if number % 2 else "Pebblebrook",
            given_name=f"Person{number}",
            date_of_birth=date(1960, 1, 1 + number % 28),
        )
    return cast


def search(client, q, page=None, **headers):
    data = {"q": q} | ({"page": page} if page else {})
    return client.post(reverse("patients:list"), data, headers=headers)


def names(response):
    return [p.family_name for p in response.context["page"]]


def test_it_lists_patients_a_page_at_a_time(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    response = client.get(reverse("patients:list"))
    assert response.context["page"].paginator.count == 61
    assert len(response.context["page"]) == 25
    assert client.get(reverse("patients:list"), {"page": 3}).context["page"].number == 3


def test_it_finds_patients_by_family_name_in_any_case(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    response = search(client, "thistle")
    assert response.context["page"].paginator.count == 30
    assert set(names(response)) == {"Thistlewick"}


def test_it_finds_by_given_and_family_name_together(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    response = search(client, "Person13 Thistlewick")
    assert [p.given_name for p in response.context["page"]] == ["Person13"]


def test_it_finds_by_mrn_prefix(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    assert search(client, "C005").context["page"].paginator.count == 10


@pytest.mark.parametrize("text", ["1960-01-05", "05/01/1960"])
def test_it_finds_by_date_of_birth(client, crowd, signed_in, text):
    signed_in(crowd.front_desk)
    found = list(search(client, text).context["page"])
    assert found and all(p.date_of_birth == date(1960, 1, 5) for p in found)


def test_it_pages_through_search_results(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    first, second = search(client, "Pebblebrook"), search(client, "Pebblebrook", page=2)
    assert first.context["page"].paginator.count == 30
    assert {p.pk for p in first.context["page"]}.isdisjoint(p.pk for p in second.context["page"])


def test_it_never_shows_another_clinics_patients(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    assert search(client, "O0001").context["page"].paginator.count == 0
    assert search(client, "Otis").context["page"].paginator.count == 0


def test_it_returns_only_the_results_fragment_to_htmx(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    response = search(client, "thistle", HX_Request="true")
    body = response.content.decode()
    assert body.lstrip().startswith('<section id="results"')
    assert "<html" not in body


def test_it_shows_a_helpful_empty_state(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    assert b"No patient matches" in search(client, "zzzz").content


def test_it_audits_searches_without_the_search_text(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    search(client, "Thistlewick")
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("id")
    assert event.details == {"searched": True, "page": 1, "results": 30}
    assert "Thistlewick" not in str(event.details)


def test_it_keeps_search_terms_out_of_urls(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    page = client.get(reverse("patients:list")).content.decode()
    assert 'method="post"' in page and "hx-post" in page


# Search that scales: folded names, prefix matches on indexes (docs/decisions/0018).


@pytest.fixture
def accented(cast):
    people = [
        ("M100", "José", "García-López", date(1981, 3, 4)),
        ("M101", "Zoë", "Öztürk", date(1975, 8, 9)),
        ("M102", "Björn", "Ødegaard", date(1990, 1, 2)),
        ("M103", "Josefa", "Martín", date(1966, 6, 6)),
        ("M104", "Anna", "Joseph", date(1950, 12, 1)),
    ]
    for mrn, given, family, born in people:
        make_patient(
            cast.clinic, cast.front_desk, mrn=mrn, given_name=given, family_name=family,
            date_of_birth=born,
        )  # fmt: skip
    return cast


def found(patients, text):
    return {f"{p.given_name} {p.family_name}" for p in queries.search(patients, text)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jose", {"José García-López", "Josefa Martín", "Anna Joseph"}),
        ("JOSÉ", {"José García-López", "Josefa Martín", "Anna Joseph"}),
        ("josé garcía", {"José García-López"}),
        ("garcia lopez", {"José García-López"}),
        ("García-López, José", {"José García-López"}),
        ("ÖZTÜRK", {"Zoë Öztürk"}),
        ("ozt", {"Zoë Öztürk"}),
        ("zoe", {"Zoë Öztürk"}),
        ("odeg", {"Björn Ødegaard"}),
        ("bjorn odegaard", {"Björn Ødegaard"}),
        ("marti", {"Josefa Martín"}),
        ("artin", set()),  # a prefix, not any part of the name
        ("lopez", set()),  # later words of a name narrow, they do not start a search
    ],
)
def test_it_matches_name_prefixes_without_accents_or_case(accented, text, expected):
    assert found(Patient.objects.filter(clinic=accented.clinic), text) == expected


def test_it_matches_mrn_prefixes_in_either_case(accented):
    patients = Patient.objects.filter(clinic=accented.clinic)
    assert found(patients, "m10") == found(patients, "M10")
    assert len(found(patients, "M10")) == 5
    assert found(patients, "M103") == {"Josefa Martín"}


def test_it_matches_a_date_of_birth_exactly(accented):
    patients = Patient.objects.filter(clinic=accented.clinic)
    assert found(patients, "09/08/1975") == {"Zoë Öztürk"}
    assert found(patients, "1975-08-10") == set()


def test_it_orders_results_by_folded_name(accented):
    patients = queries.search(Patient.objects.filter(clinic=accented.clinic), "M1")
    assert [p.family_name for p in patients] == [
        "García-López", "Joseph", "Martín", "Ødegaard", "Öztürk",
    ]  # fmt: skip


def test_it_stores_folded_names_when_registering(accented):
    patient = Patient.objects.get(mrn="M101")
    assert (patient.search_name, patient.search_given) == ("ozturk zoe", "zoe ozturk")


def test_it_refolds_the_names_when_they_are_edited(accented):
    patient = Patient.objects.get(mrn="M101")
    patients = Patient.objects.filter(clinic=accented.clinic)
    services.update_patient(
        patient=patient, version=patient.version, actor=acting(accented.front_desk),
        family_name="Çelik",
    )  # fmt: skip
    assert found(patients, "celik") == {"Zoë Çelik"}
    assert found(patients, "ozturk") == set()
    assert Patient.objects.get(mrn="M101").search_given == "zoe celik"


def test_it_refolds_when_only_the_given_name_changes(accented):
    patient = Patient.objects.get(mrn="M101")
    services.update_patient(
        patient=patient, version=patient.version, actor=acting(accented.front_desk),
        given_name="Élodie",
    )  # fmt: skip
    assert found(Patient.objects.filter(clinic=accented.clinic), "elo") == {"Élodie Öztürk"}


def test_the_booking_finder_searches_the_same_way(client, accented, signed_in):
    signed_in(accented.front_desk)
    response = client.post(reverse("visits:find_patient"), {"q": "ÖZTÜRK"})
    assert [p.family_name for p in response.context["patients"]] == ["Öztürk"]
