"""The demo clinic's patients are found as staff type them: the start of a name, in any case,
with or without its accents (docs/decisions/0018). The seeder registers them through the
services, which store the folded names that search reads."""

import unicodedata
from datetime import UTC, datetime

from taut.demo.seed import seed_demo
from taut.patients import queries
from taut.patients.models import Patient

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
# Its first five patients include Hương (Vietnamese) and 秀兰 (Chinese).
SEED = 32


def unaccented(text: str) -> str:
    """``text`` as typed on a keyboard without accents."""
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def test_it_finds_each_seeded_patient_by_the_start_of_their_names_typed_any_way(db):
    seeded = seed_demo(seed=SEED, patients_wanted=5, now=NOW, with_visits=False)
    patients = Patient.objects.filter(clinic=seeded.clinic)
    assert patients.count() == 5
    accented = [p for p in patients if unaccented(p.given_name) != p.given_name]
    assert accented, f"seed {SEED} no longer gives a name with accents: pick another"
    for patient in patients:
        given, family = patient.given_name, patient.family_name
        for text in (
            family[:4].upper(),
            family.lower(),
            unaccented(given).lower(),
            given.upper(),
            f"{unaccented(given)[:3]} {family[:3]}".upper(),
            f"{family}, {given}",
        ):
            assert patient in queries.search(patients, text), (text, str(patient))
