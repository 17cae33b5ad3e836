"""The checks every emitted FHIR resource must pass in tests (decision 0042):

- the official R4 JSON schema (``schema/fhir.schema.json.gz``), validated against the
  resource type's own definition so that errors name the element;
- a round trip through fhirclient's FHIR 4.0.1 models (strict: unknown elements, wrong
  types and missing required elements raise), written back unchanged.
"""

import functools
import gzip
import importlib
import json
import re
from pathlib import Path

from fhirclient.models.fhirabstractbase import FHIRValidationError
from jsonschema import Draft6Validator

SCHEMA = Path(__file__).parent / "schema" / "fhir.schema.json.gz"


@functools.cache
def _schema() -> dict:
    with gzip.open(SCHEMA, "rt") as f:
        return json.load(f)


@functools.cache
def _validator(resource_type: str) -> Draft6Validator:
    definitions = _schema()["definitions"]
    return Draft6Validator({"$ref": f"#/definitions/{resource_type}", "definitions": definitions})


def schema_errors(resource: dict) -> list[str]:
    """Each way ``resource`` breaks the R4 JSON schema, as ``path: message``."""
    kind = resource.get("resourceType")
    if kind not in _schema()["definitions"]:
        return [f"resourceType: unknown type {kind!r}"]
    return [
        f"{'/'.join(str(p) for p in e.absolute_path) or '(root)'}: {e.message}"
        for e in _validator(kind).iter_errors(resource)
    ]


def _model(resource_type: str):
    module = re.sub(r"(?<!^)(?=[A-Z])", "", resource_type).lower()
    return getattr(importlib.import_module(f"fhirclient.models.{module}"), resource_type)


def round_trip(resource: dict) -> dict:
    """``resource`` loaded into fhirclient's model and written back (raises on a resource
    the 4.0.1 models reject)."""
    return _model(resource["resourceType"])(json.loads(json.dumps(resource))).as_json()


def problems(resource: dict) -> list[str]:
    """Everything wrong with ``resource``: schema errors, a rejected or changed round trip,
    and empty values (FHIR forbids "", [] and {})."""
    found = schema_errors(resource)
    try:
        back = round_trip(resource)
    except FHIRValidationError as error:
        found.append(f"fhirclient: {error}")
    else:
        if back != resource:
            found.append(f"fhirclient changed it: {_difference(resource, back)}")
    found += [f"{path}: empty" for path in _empties(resource, "")]
    return found


def assert_valid(resource: dict) -> None:
    found = problems(resource)
    assert not found, f"{resource.get('resourceType')}/{resource.get('id')}:\n" + "\n".join(found)


def _empties(value, path):
    if value in ("", [], {}, None):
        yield path or "(root)"
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _empties(item, f"{path}.{key}" if path else key)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _empties(item, f"{path}[{i}]")


def _difference(a, b) -> str:
    keys = sorted(set(a) | set(b)) if isinstance(a, dict) and isinstance(b, dict) else []
    for key in keys:
        if a.get(key) != b.get(key):
            return f"{key}: {a.get(key)!r} became {b.get(key)!r}"
    return f"{a!r} became {b!r}"
