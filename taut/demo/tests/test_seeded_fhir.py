"""Issue 18's proof on the demo clinic: every resource the FHIR API can emit for every demo
patient passes the R4 JSON schema and the fhirclient round trip, with no id twice."""

import pytest

from taut.fhir import registry
from taut.fhir.scope import Scope
from taut.fhir.tests.checks import problems

pytestmark = pytest.mark.django_db


def test_it_emits_only_valid_resources_for_every_demo_patient(seeded):
    """Every type has resources, each valid, each id once per type."""
    clinic, _, _ = seeded
    scope = Scope(clinic=clinic, base="http://testserver/fhir")
    for name, kind in registry.KINDS.items():
        seen: set[str] = set()
        for _, resource in kind.load(scope):
            assert resource["id"] not in seen, (name, resource["id"])
            seen.add(resource["id"])
            found = problems(resource)
            assert not found, f"{name}/{resource['id']}: {found[:3]}"
        assert seen, name
