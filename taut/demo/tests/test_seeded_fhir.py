"""Issue 18's proof on the demo clinic: every resource the FHIR API can emit for every demo
patient passes the R4 JSON schema and the fhirclient round trip, with no id twice, and
every reference to a served type names a resource the clinic emits. The types are whatever
the registry holds; the profiles and invariants are checked by the npm validator that
`.ci/run` runs on `taut fhir-dump`'s output of the whole demo (decision 0046)."""

import re

import pytest

from taut.fhir import registry
from taut.fhir.scope import Scope
from taut.fhir.tests.checks import problems

pytestmark = pytest.mark.django_db

REFERENCE = re.compile(r"^([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})$")


@pytest.fixture(scope="module")
def emitted(seeded):
    """Every type's resources for the seeded demo clinic, loaded once for the module."""
    clinic, _, _ = seeded
    scope = Scope(clinic=clinic, base="http://testserver/fhir")
    return {n: [r for _, r in kind.load(scope)] for n, kind in registry.KINDS.items()}


def test_it_emits_only_valid_resources_for_every_demo_patient(emitted):
    """Every type has resources, each valid, each id once per type."""
    for name, resources in emitted.items():
        seen: set[str] = set()
        for resource in resources:
            assert resource["resourceType"] == name
            assert resource["id"] not in seen, (name, resource["id"])
            seen.add(resource["id"])
            found = problems(resource)
            assert not found, f"{name}/{resource['id']}: {found[:3]}"
        assert seen, name


def test_it_refers_only_to_resources_it_emits(emitted):
    """A reference to a type the registry serves names a resource of that type that the
    clinic emits (a client following it finds it)."""
    ids = {name: {r["id"] for r in resources} for name, resources in emitted.items()}
    dangling = [
        f"{r['resourceType']}/{r['id']} → {ref}"
        for resources in emitted.values()
        for r in resources
        for ref in references(r)
        if (m := REFERENCE.match(ref)) and m[1] in ids and m[2] not in ids[m[1]]
    ]
    assert not dangling, f"{len(dangling)} dangling references:\n" + "\n".join(dangling[:20])


def references(value):
    """Every ``reference`` string inside ``value``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "reference" and isinstance(item, str):
                yield item
            else:
                yield from references(item)
    elif isinstance(value, list):
        for item in value:
            yield from references(item)
