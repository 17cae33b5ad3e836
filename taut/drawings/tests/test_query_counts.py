"""The chart's drawing card, the comparison and a drawing's page run the same number of
queries however many drawings and marks the patient has."""

from django.urls import reverse

from taut.atlas.forms import MarkInput
from taut.drawings.services import record_drawing
from taut.tests.cast import acting
from taut.tests.query_counts import queries_to_get

PLACES = ("head_temporal", "shoulder_top", "neck_lateral", "scapula_infraspinous", "heel")


def drawn(cast, places, *, by=None):
    """A drawing by a nurse (or ``by``) with both sides of each of ``places`` marked."""
    marks = [MarkInput(p, side, 5, ("aching",)) for p in places for side in ("left", "right")]
    return record_drawing(
        patient=cast.patient, marks=marks, no_pain=False, actor=acting(by or cast.nurse)
    )


def more_drawings(cast):
    """Three more drawings, with more marks, by different staff."""
    for by in (cast.clinician, cast.nurse, cast.clinician):
        drawn(cast, PLACES, by=by)


def test_it_shows_the_drawing_card_in_the_same_number_of_queries_however_many(
    client, cast, signed_in
):
    url = reverse("drawings:chart_section", args=[cast.patient.public_id])
    drawn(cast, PLACES[:1])
    signed_in(cast.clinician)
    few = [len(queries_to_get(client, url, htmx=htmx)) for htmx in (True, False)]
    more_drawings(cast)
    assert [len(queries_to_get(client, url, htmx=htmx)) for htmx in (True, False)] == few


def test_it_compares_drawings_in_the_same_number_of_queries_however_many(client, cast, signed_in):
    url = reverse("drawings:compare", args=[cast.patient.public_id])
    first = drawn(cast, PLACES[:1])
    drawn(cast, PLACES[1:2])
    signed_in(cast.clinician)
    few = queries_to_get(client, url)
    more_drawings(cast)
    assert len(queries_to_get(client, url)) == len(few)
    chosen = {"before": first.public_id, "after": drawn(cast, PLACES).public_id}
    assert len(queries_to_get(client, url, data=chosen)) == len(few)


def test_it_shows_a_drawing_in_the_same_number_of_queries_however_many_marks(
    client, cast, signed_in
):
    def page(drawing):
        return reverse("drawings:detail", args=[cast.patient.public_id, drawing.public_id])

    signed_in(cast.clinician)
    few = queries_to_get(client, page(drawn(cast, PLACES[:1])))
    assert len(queries_to_get(client, page(drawn(cast, PLACES)))) == len(few)
