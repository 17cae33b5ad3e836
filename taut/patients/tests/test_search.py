from datetime import date

import pytest
from django.urls import reverse

from taut.audit.models import Action, AuditEvent
from taut.tests.cast import make_patient


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
    event = AuditEvent.objects.filter(action=Action.SEARCH).latest("seq")
    assert event.details == {"searched": True, "page": 1, "results": 30}
    assert "Thistlewick" not in str(event.details)


def test_it_keeps_search_terms_out_of_urls(client, crowd, signed_in):
    signed_in(crowd.front_desk)
    page = client.get(reverse("patients:list")).content.decode()
    assert 'method="post"' in page and "hx-post" in page
