"""A MedicationAdministration's dose when Taut records none (R4 invariant mad-1: a dosage has
a dose or a rate), found by the npm validator on the demo's prolotherapy sessions."""

import uuid
from datetime import UTC, datetime
from decimal import Decimal
from types import SimpleNamespace

from taut.fhir.mapping import sessions
from taut.fhir.tests.checks import assert_valid
from taut.visits.models import InjectionSite

WHEN = datetime(2026, 7, 10, 11, 0, tzinfo=UTC)


def prolotherapy_site() -> InjectionSite:
    return InjectionSite(
        public_id=uuid.uuid4(),
        muscle="posterior_sacroiliac_ligaments",
        side="left",
        kind=InjectionSite.Kind.ANAESTHETIC,
        agent="lidocaine",
        percent=Decimal("1"),
        volume_ml=Decimal("2"),
        sclerosant=InjectionSite.Sclerosant.DEXTROSE,
        recorded_at=WHEN,
    )


def test_it_marks_a_dose_not_recorded_as_absent_rather_than_leaving_it_out():
    """The sclerosant's own dose is not recorded: its dosage says so with R4's
    data-absent-reason (unknown) and stays valid; the anaesthetic keeps its dose."""
    visit = SimpleNamespace(public_id=uuid.uuid4())
    site = prolotherapy_site()
    given = sessions.administrations(visit, None, [site], patient_id=uuid.uuid4())
    by_part = {r["id"].removeprefix(str(site.public_id)): r for r in given}
    assert by_part["-sclerosant"]["dosage"]["dose"] == sessions.DOSE_NOT_RECORDED
    assert "value" in by_part[""]["dosage"]["dose"]
    for resource in given:
        assert_valid(resource)
