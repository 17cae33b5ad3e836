"""Every sentence a patient reads on the pre-visit intake form is at reading grade 7 or
lower (issue 11: the safety and red-flag questions were at grade 8–11), in one US voice.

Left out, each for its reason: the PEG's own words (a validated instrument [S36]), the
lists to choose from (body regions, numbing drugs: names, not prose), and a medicine's name
(graded as "pill", as in ``taut/clinical/tests/test_patient_questions.py``)."""

import html
import re
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from taut import links
from taut.clinical import checkins
from taut.clinical.aftercare import reading_grade
from taut.clinical.tests.test_patient_questions import MEDICINE_NAMES
from taut.clinical.tests.test_patient_voice import NOT_US
from taut.visits.tests import flow

PEG_WORDS = {q.prompt for q in checkins.PEG} | {
    f"0 = {q.low}. 10 = {q.high}." for q in checkins.PEG
}


def sentences(body):
    main = body[body.index("<main") : body.index("</main>")]
    main = re.sub(r"<select.*?</select>", " ", main, flags=re.S)
    main = re.sub(r'<div class="[^"]*choices[^"]*".*?</div>', " ", main, flags=re.S)
    found = re.findall(r"<(p|li|h1|h2|h3|label|legend|span)\b[^>]*>(.*?)</\1>", main, flags=re.S)
    for _, inner in found:
        text = html.unescape(" ".join(re.sub(r"<[^>]+>", " ", inner).split())).rstrip(" *")
        if len(text.split()) > 3 and re.search("[A-Za-z]", text) and text not in PEG_WORDS:
            yield text


def test_it_writes_the_intake_form_at_a_reading_age_of_about_12(client, cast):
    visit = flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=3))
    url = reverse("portal:intake", kwargs={"token": links.intake_token(visit)})
    texts = list(sentences(client.get(url).content.decode()))
    assert "Is any skin numb between your legs or around your bottom?" in texts
    too_hard = [t for t in texts if reading_grade(MEDICINE_NAMES.sub("pill", t)) > 7]
    assert too_hard == []
    assert [t for t in texts if NOT_US.search(t)] == []
