import re

from django.urls import reverse

from taut.atlas.forms import MarkInput
from taut.audit.models import Action, AuditEvent
from taut.clinical import atlas
from taut.drawings.models import PainDrawing, PainMark
from taut.drawings.services import record_drawing
from taut.tests.cast import acting


def new_url(patient):
    return reverse("drawings:new", args=[patient.public_id])


def drawing_data(*marks, **extra):
    data = {"mark": [key for key, _, _ in marks]}
    for key, level, qualities in marks:
        data[f"intensity:{key}"] = str(level)
        data[f"quality:{key}"] = list(qualities)
    data.update(extra)
    return data


def test_it_records_a_drawing_with_intensities_and_qualities(client, cast, signed_in):
    signed_in(cast.nurse)
    data = drawing_data(
        ("head_temporal:left", 7, ["throbbing"]),
        ("sternum:mid", 3, []),
        examine=["temporalis:left"],
    )
    response = client.post(new_url(cast.patient), data)
    drawing = PainDrawing.objects.get(patient=cast.patient)
    assert response["Location"] == reverse(
        "drawings:detail", args=[cast.patient.public_id, drawing.public_id]
    )
    marks = {(m.region, m.side): (m.intensity, m.qualities) for m in drawing.marks.all()}
    assert marks == {("head_temporal", "left"): (7, ["throbbing"]), ("sternum", ""): (3, [])}
    assert drawing.recorded_by == cast.nurse
    assert drawing.atlas_version == atlas.VERSION
    assert drawing.examine_first == [["temporalis", "left"]]
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="pain_drawing")
    assert event.patient_id == cast.patient.public_id
    assert event.details == {"marks": 2, "source": "staff"}


def test_it_records_no_pain(client, cast, signed_in):
    signed_in(cast.nurse)
    client.post(new_url(cast.patient), {"no_pain": "on"})
    drawing = PainDrawing.objects.get()
    assert drawing.no_pain and not drawing.marks.exists()


def test_it_never_overwrites_a_drawing(client, cast, signed_in):
    signed_in(cast.nurse)
    client.post(new_url(cast.patient), drawing_data(("heel:left", 6, [])))
    client.post(new_url(cast.patient), drawing_data(("heel:right", 2, [])))
    first, second = PainDrawing.objects.order_by("recorded_at", "pk")
    assert [m.side for m in first.marks.all()] == ["left"]
    assert [m.side for m in second.marks.all()] == ["right"]


def test_it_refuses_an_empty_drawing_and_saves_nothing(client, cast, signed_in):
    signed_in(cast.nurse)
    response = client.post(new_url(cast.patient), {})
    assert "Mark at least one region" in response.content.decode()
    assert not PainDrawing.objects.exists()


def test_it_keeps_the_marks_when_it_refuses_a_drawing(client, cast, signed_in):
    signed_in(cast.nurse)
    data = drawing_data(("heel:left", 6, []), ("knee_of_doom:left", 5, []))
    response = client.post(new_url(cast.patient), data)
    assert "Unknown body region" in response.content.decode()
    assert 'value="heel:left" checked' in response.content.decode()
    assert not PainDrawing.objects.exists() and not PainMark.objects.exists()


def test_it_refuses_bad_intensities_and_saves_nothing(client, cast, signed_in):
    signed_in(cast.nurse)
    client.post(new_url(cast.patient), drawing_data(("heel:left", 12, [])))
    client.post(new_url(cast.patient), drawing_data(("heel:left", -1, [])))
    assert not PainDrawing.objects.exists()


def record(patient, by, *marks):
    return record_drawing(
        patient=patient,
        marks=[MarkInput(r, s, i, ()) for r, s, i in marks],
        no_pain=False,
        actor=acting(by),
    )


def test_it_shows_the_latest_drawing_on_the_chart(client, cast, signed_in):
    record(cast.patient, cast.nurse, ("heel", "left", 3))
    record(cast.patient, cast.nurse, ("head_temporal", "right", 9))
    signed_in(cast.clinician)
    url = reverse("drawings:chart_section", args=[cast.patient.public_id])
    fragment = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<section class="card chart-drawings"')
    assert 'region marked i9" d=' in fragment
    assert 'data-key="head_temporal:right"' in fragment
    assert "Compare drawings" in fragment
    page = client.get(url).content.decode()
    assert "<html" in page and "Pain drawings" in page


def test_it_loads_the_drawing_card_into_the_chart(client, cast, signed_in):
    signed_in(cast.clinician)
    chart = client.get(reverse("patients:chart", args=[cast.patient.public_id])).content.decode()
    section = reverse("drawings:chart_section", args=[cast.patient.public_id])
    assert f'hx-get="{section}"' in chart and f'href="{section}"' in chart


def test_it_shows_an_empty_state_without_drawings(client, cast, signed_in):
    signed_in(cast.clinician)
    url = reverse("drawings:chart_section", args=[cast.patient.public_id])
    assert b"No pain drawings yet" in client.get(url).content


def test_it_compares_two_drawings(client, cast, signed_in):
    before = record(cast.patient, cast.nurse, ("heel", "left", 6), ("calf", "left", 5))
    after = record(cast.patient, cast.nurse, ("heel", "left", 2), ("head_temporal", "left", 4))
    signed_in(cast.clinician)
    url = reverse("drawings:compare", args=[cast.patient.public_id])
    response = client.get(url, {"before": before.public_id, "after": after.public_id})
    assert response.context["added"] == ["Patient's left: Temple / side of head"]
    assert response.context["resolved"] == ["Patient's left: Calf (back of lower leg)"]
    assert response.context["jaccard_percent"] == 33
    assert b"2 \xe2\x86\x92 2 regions" in response.content


def test_it_explains_that_comparison_needs_two_drawings(client, cast, signed_in):
    record(cast.patient, cast.nurse, ("heel", "left", 6))
    signed_in(cast.clinician)
    url = reverse("drawings:compare", args=[cast.patient.public_id])
    assert b"comparison needs two" in client.get(url).content


def test_it_shows_a_drawing_with_its_suggestions(client, cast, signed_in):
    drawing = record(cast.patient, cast.nurse, ("heel", "left", 6))
    signed_in(cast.clinician)
    url = reverse("drawings:detail", args=[cast.patient.public_id, drawing.public_id])
    response = client.get(url)
    assert "soleus" in [s.muscle.id for s in response.context["suggestions"]]
    assert b"Patient&#x27;s left: Heel" in response.content


def test_it_prints_no_template_comments_into_pages(client, cast, signed_in):
    record(cast.patient, cast.nurse, ("heel", "left", 3))
    signed_in(cast.clinician)
    url = reverse("drawings:chart_section", args=[cast.patient.public_id])
    assert "{#" not in client.get(url).content.decode()
    assert "{#" not in client.get("/atlas/").content.decode()


def test_it_makes_the_map_one_tab_stop_with_arrow_moves_and_skip_links(client, cast, signed_in):
    """Keyboard users reach the map from the page's skip links, move with arrow keys (each
    region names its neighbours) and skip on to Save or to the list of every region."""
    signed_in(cast.nurse)
    page = client.get(new_url(cast.patient)).content.decode()
    assert page.count('tabindex="0" role="checkbox"') == 1
    assert 'href="#bodymap" data-skip-map>Skip to the body map' in page
    assert 'href="#drawing-save" data-skip-save>Skip to “Save drawing”' in page
    assert 'id="drawing-save"' in page and 'id="list-view"' in page
    entry = re.search(r'<path class="region[^>]*tabindex="0"[^>]*>', page).group(0)
    assert 'id="bodymap-front-head_vertex-right"' in entry
    assert 'data-down="bodymap-front-head_frontal-right"' in entry
    targets = set(re.findall(r'data-(?:up|down|left|right)="([^"]+)"', page))
    assert targets <= set(re.findall(r'id="(bodymap-[^"]+)"', page))
