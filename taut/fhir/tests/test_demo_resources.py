"""Issue 18, Proof: every resource Taut can emit, for every patient of a seeded demo
clinic, passes the checks of ``checks`` (the R4 JSON schema, a fhirclient 4.0.1 round trip,
no empty values). The types are whatever the registry holds, so a type added there is
checked here without a change. The profiles are checked by the Node validator that
`.ci/run` runs on `taut fhir-dump`'s output (decision 0046)."""

import re
from collections import Counter

import pytest

from taut.fhir.registry import KINDS
from taut.fhir.scope import Scope
from taut.fhir.tests.checks import problems

pytestmark = pytest.mark.django_db  # the tests only read what the fixture seeded

BASE = "http://testserver/fhir"

#: Types the demo clinic has no data for, with why (each must then emit nothing; remove a
#: type from here when the demo starts to record its data).
NOT_IN_DEMO: dict[str, str] = {}

REFERENCE = re.compile(r"^([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})$")


@pytest.fixture(scope="module")
def emitted(demo):
    """Every type's resources for the seeded demo clinic, loaded once for the module."""
    scope = Scope(clinic=demo, base=BASE)
    return {name: [resource for _, resource in kind.load(scope)] for name, kind in KINDS.items()}


def test_it_emits_only_valid_resources_of_every_type_for_every_demo_patient(emitted):
    """Each resource of each type passes the R4 JSON schema and the fhirclient round trip;
    the first twenty problems are reported together, not one at a time."""
    found = [
        f"{name}/{resource.get('id')}: {problem}"
        for name, resources in emitted.items()
        for resource in resources
        for problem in problems(resource)
    ]
    assert not found, f"{len(found)} problems:\n" + "\n".join(found[:20])


def test_it_emits_every_type_the_demo_has_data_for(emitted):
    """A type the registry serves and the demo records emits at least one resource; a type
    listed as absent from the demo emits none (so the list stays true)."""
    counts = {name: len(resources) for name, resources in emitted.items()}
    assert {n for n, c in counts.items() if c == 0} == set(NOT_IN_DEMO) & set(KINDS), counts


def test_it_gives_each_resource_its_type_and_a_unique_id(emitted):
    """Every resource is of its registry type, has an id, and no two of a type share one."""
    for name, resources in emitted.items():
        assert {r["resourceType"] for r in resources} <= {name}
        repeated = [i for i, n in Counter(r.get("id") for r in resources).items() if n > 1]
        assert not repeated, f"{name}: ids emitted more than once: {repeated[:5]}"


def test_it_refers_only_to_resources_it_emits(emitted):
    """A reference to a type the registry serves names a resource of that type that the
    clinic's export holds (a client following it finds it)."""
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
