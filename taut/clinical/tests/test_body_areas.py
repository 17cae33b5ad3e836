"""The body map's places in plain words for patients."""

from taut.clinical import atlas
from taut.clinical.aftercare import reading_grade
from taut.clinical.body_areas import PATIENT_AREA_LABELS
from taut.clinical.tests.test_patient_questions import MAX_GRADE

# The atlas's clinical words a patient should not have to know.
JARGON = ("suboccipital", "scapula", "lumbar", "gluteal", "malleolus", "popliteal", "occiput",
          "epicondyle", "olecranon", "thenar", "pectoral", "inguinal", "perineum", "SCM",
          "anterior", "posterior", "lateral", "medial", "dorsal", "volar", "PSIS")  # fmt: skip


def test_it_names_every_atlas_region_in_plain_words():
    assert set(PATIENT_AREA_LABELS) == set(atlas.REGIONS)
    for region, label in PATIENT_AREA_LABELS.items():
        assert not any(word.lower() in label.lower() for word in JARGON), (region, label)
    assert PATIENT_AREA_LABELS["neck_posterior_upper"].startswith("Back of the neck")


def test_it_reads_at_about_a_12_year_olds_level():
    """A label is a phrase, not a sentence: they are graded together, one per sentence."""
    text = " ".join(f"{label}." for label in PATIENT_AREA_LABELS.values())
    assert reading_grade(text) <= MAX_GRADE
