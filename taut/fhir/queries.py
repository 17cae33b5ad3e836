"""Reading FHIR resources for a request: a read by id, a search page, ``$everything``."""

import itertools
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.apps import apps
from django.db.models import Model

from taut.fhir.mapping import search
from taut.fhir.mapping.base import Json, record_id
from taut.fhir.registry import KINDS, Kind
from taut.fhir.scope import Scope
from taut.patients.models import Patient

DEFAULT_COUNT = 50
MAX_COUNT = 500
#: ``_revinclude`` values served: the resources that point at a Procedure (issue 18: a
#: session with its agents and its observations in one search).
REVINCLUDES = {
    "MedicationAdministration:part-of": ("MedicationAdministration", "partOf"),
    "Observation:part-of": ("Observation", "partOf"),
}
#: ``_include`` values served beyond ``<Type>:patient``: the Procedure an agent or an
#: observation was part of (the other direction of ``REVINCLUDES``).
PART_OF_INCLUDES = {
    "MedicationAdministration:part-of": ("MedicationAdministration", "Procedure", "partOf"),
    "Observation:part-of": ("Observation", "Procedure", "partOf"),
}


def includes(kind: Kind) -> dict[str, tuple[str, str]]:
    """The ``_include`` values a search of ``kind`` serves: name → (target type, element)."""
    found = {}
    if kind.compartment and kind.name != "Patient":
        found[f"{kind.name}:patient"] = ("Patient", "")
    for name, (source, target, element) in PART_OF_INCLUDES.items():
        if source == kind.name:
            found[name] = (target, element)
    return found


@dataclass(frozen=True)
class Page:
    matches: list[tuple[Patient | None, Json]]
    included: list[tuple[Patient | None, Json]]
    more: bool  # another page follows


def _patient_records() -> list[type[Model]]:
    """Every model whose rows belong to a patient and carry a public id."""
    found = []
    for model in apps.get_models():
        path = getattr(model, "PATIENT_PATH", None)
        names = {f.name for f in model._meta.get_fields()}
        if path is not None and "public_id" in names:
            found.append(model)
    return found


def owner(resource_id: str) -> uuid.UUID | None:
    """The public id of the patient whose record ``resource_id`` names, in any clinic (the
    caller then goes through the patient gate, which refuses another clinic's)."""
    public_id = record_id(resource_id)
    if public_id is None:
        return None
    for model in _patient_records():
        path = model.PATIENT_PATH  # type: ignore[attr-defined]
        lookup = f"{path}__public_id" if path else "public_id"
        found = (
            model._default_manager.filter(public_id=public_id)
            .values_list(lookup, flat=True)
            .first()
        )
        if found is not None:
            return uuid.UUID(str(found))
    return None


def read(kind: Kind, scope: Scope, resource_id: str) -> tuple[Patient | None, Json] | None:
    """The resource of ``kind`` with ``resource_id`` in ``scope`` (for a type in the patient
    compartment, a scope of the one patient who owns it), or None."""
    wanted = Scope(clinic=scope.clinic, base=scope.base, patient_ids=scope.patient_ids,
                   ids=frozenset({resource_id}))  # fmt: skip
    return next((pair for pair in kind.load(wanted) if pair[1]["id"] == resource_id), None)


def page(
    kind: Kind, scope: Scope, criteria: list[search.Criterion], *, offset: int, count: int,
    revinclude: Iterable[str] = (), include: Iterable[str] = (),
) -> Page:  # fmt: skip
    """One page of a search: ``count`` matches after the first ``offset``, and the
    resources ``_revinclude``/``_include`` ask for beside them."""
    zone = scope.clinic.zone()
    found = (pair for pair in kind.load(scope) if search.matches(pair[1], criteria, zone=zone))
    window = list(itertools.islice(found, offset, offset + count + 1))
    matches, more = window[:count], len(window) > count
    included: list[tuple[Patient | None, Json]] = []
    patients = {p.pk: p for p, _ in matches if p is not None}
    for name in revinclude:
        other, element = REVINCLUDES[name]
        targets = {f"{kind.name}/{r['id']}" for _, r in matches}
        near = Scope(clinic=scope.clinic, base=scope.base, patient_ids=tuple(patients))
        for patient, resource in KINDS[other].load(near) if patients else ():
            refs = resource.get(element, [])
            if any(r.get("reference") in targets for r in refs):
                included.append((patient, resource))
    near = Scope(clinic=scope.clinic, base=scope.base, patient_ids=tuple(patients))
    served = includes(kind)
    for name in dict.fromkeys(include):
        target, element = served[name]
        if not patients:
            break
        if target == "Patient":
            included += list(KINDS["Patient"].load(near))
            continue
        wanted = {
            r["reference"] for _, m in matches for r in m.get(element, [])
            if r.get("reference", "").startswith(f"{target}/")
        }  # fmt: skip
        included += [
            pair for pair in KINDS[target].load(near) if f"{target}/{pair[1]['id']}" in wanted
        ]
    return Page(matches=matches, included=included, more=more)


def everything(
    scope: Scope, *, types: Iterable[str] | None = None
) -> Iterator[tuple[Patient | None, Json]]:
    """Every resource of the scope's patients (``Patient/$everything``), and the clinic and
    staff they refer to."""
    for kind in KINDS.values():
        if types is None or kind.name in types:
            yield from kind.load(scope)


def patient_named(value: str) -> uuid.UUID | None:
    """The public id a ``patient=`` value names (``<uuid>`` or ``Patient/<uuid>``)."""
    try:
        return uuid.UUID(value.removeprefix("Patient/"))
    except ValueError:
        return None
