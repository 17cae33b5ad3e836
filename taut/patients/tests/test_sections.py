"""The chart's sections: the card alone for htmx, a page of its own for a plain link."""

import pytest
from django.urls import reverse

from taut.workflows.pages import CHART_SECTIONS


@pytest.mark.parametrize("title, name", CHART_SECTIONS)
def test_it_serves_each_section_as_a_page_titled_as_on_the_chart(
    client, cast, signed_in, title, name
):
    signed_in(cast.clinician)
    url = reverse(name, kwargs={"patient_id": cast.patient.public_id})
    chart = reverse("patients:chart", args=[cast.patient.public_id])
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"<title>{title} · {cast.patient.display_name} · Taut</title>" in body
    assert f'<p class="crumbs"><a href="{chart}">← {cast.patient.display_name}</a></p>' in body
    assert '<section class="card' in body


@pytest.mark.parametrize("title, name", CHART_SECTIONS)
def test_it_serves_each_section_alone_to_htmx(client, cast, signed_in, title, name):
    signed_in(cast.clinician)
    url = reverse(name, kwargs={"patient_id": cast.patient.public_id})
    body = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert body.lstrip().startswith("<section")
    assert "<title>" not in body
    assert 'class="crumbs"' not in body
