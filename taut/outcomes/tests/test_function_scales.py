"""Reading function on sessions of their own: one with no PEG figures yet (another scale,
named, is accepted) and the clinic's own thresholds."""

from taut.outcomes.models import FunctionReading
from taut.outcomes.tests.function import HTMX, answer, card, post, session
from taut.outcomes.tests.test_function_readings import reading
from taut.tests.cast import sign_in


def test_it_refuses_a_peg_reading_where_there_are_no_peg_figures(client, cast):
    """No follow-up yet: nothing to read on the PEG; another scale, named, is accepted."""
    visit = session(cast.patient, cast.clinician, days_ago=3)
    sign_in(client, cast.clinician)
    response = post(client, cast.patient, reading(client, cast, visit), **HTMX)
    assert response.status_code == 400
    assert "There are no PEG figures to read for this session" in response.content.decode()
    assert not FunctionReading.objects.exists()
    other = reading(
        client, cast, visit, scale="other", scale_name="Neck Disability Index",
        note="NDI 42 % at intake, 20 % today.",
    )  # fmt: skip
    assert post(client, cast.patient, other).status_code == 302
    assert FunctionReading.objects.get().scale_label == "Neck Disability Index"


def test_it_suggests_by_the_clinics_own_thresholds(client, cast):
    """A 45 % fall is "not improved" by Taut's default (50 %), "improved" for a clinic that
    set 30 %; the card shows the clinic's figures."""
    visit = session(cast.patient, cast.clinician, days_ago=50)
    answer(visit, cast.nurse, interference=3)  # 5.5 → 3: 2.5 points, 45 %
    sign_in(client, cast.clinician)
    assert "Suggests: not improved." in card(client, cast.patient).content.decode()
    cast.clinic.function_percent = 30
    cast.clinic.save()
    body = card(client, cast.patient).content.decode()
    assert "A fall of ≥ 1 point and ≥ 30 % suggests improved function." in body
    assert "Suggests: improved." in body
