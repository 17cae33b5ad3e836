"""The OpenAPI 3.1 description of the FHIR API (``/fhir/openapi.json``), built from the
registry: for each served type its read and its search with the parameters it supports, then
``metadata``, ``Patient/$everything``, ``Binary``, ``CodeSystem`` and the Bulk Data export
(``openapi_bulk``).

Bodies are the official R4 JSON schema's definitions (``schema/fhir.schema.json.gz``),
shipped in the document as ``components.schemas`` (references rewritten from
``#/definitions/X`` to ``#/components/schemas/X``): only those the served types reach, with
two narrowings so the document stays small and its checks precise (decision 0046):

- ``ResourceList`` (what ``contained`` holds) is "any resource, by its ``resourceType``"
  instead of a ``oneOf`` over R4's 146 types (which would bring in the whole 3 MB schema);
  contained resources are validated in depth by the tests' checks and the CI validator.
- ``Bundle_Entry.resource`` is ``ServedResource``: one of the types this server serves (or an
  OperationOutcome), chosen by ``resourceType`` with ``if``/``then``, so a wrong entry is
  reported against its own type.

Pure apart from reading the registry and the vendored schema (once per process)."""

import copy
import functools
import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from taut.fhir import openapi_bulk
from taut.fhir.capability import SEARCH_TYPES
from taut.fhir.queries import DEFAULT_COUNT, MAX_COUNT, REVINCLUDES, includes
from taut.fhir.registry import KINDS, Kind
from taut.fhir.terminology import ids as code_system_ids

Json = dict[str, Any]

SCHEMA = Path(__file__).parent / "schema" / "fhir.schema.json.gz"
FHIR_JSON = "application/fhir+json"
#: Definitions every description needs besides the served types'.
ALWAYS = ("Bundle", "OperationOutcome", "CapabilityStatement", "CodeSystem", "Binary", "Group",
          "instant")  # fmt: skip
#: A resource id as R4 defines it (and as the read URLs accept it).
ID_PATTERN = r"^[A-Za-z0-9\-\.]{1,64}$"
#: A date search value: an optional prefix, then a year, month, day or dateTime (R4 search).
DATE_PATTERN = (
    r"^(eq|ne|gt|lt|ge|le|sa|eb)?[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01])"
    r"(T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\.[0-9]{1,6})?)?"
    r"(Z|[+-]((0[0-9]|1[0-3]):[0-5][0-9]|14:00))?)?)?)?$"
)
ANY_RESOURCE: Json = {
    "description": "Any FHIR R4 resource, named by its resourceType (Taut narrows R4's "
    "ResourceList here; contained resources are validated in depth elsewhere).",
    "type": "object",
    "required": ["resourceType"],
    "properties": {"resourceType": {"type": "string", "pattern": "^[A-Z][A-Za-z]+$"}},
}
PARAMETER_SCHEMAS: dict[str, Json] = {
    "token": {"type": "string", "minLength": 1},
    "reference": {"type": "string", "minLength": 1},
    "string": {"type": "string", "minLength": 1},
    "date": {"type": "string", "pattern": DATE_PATTERN},
}
PARAMETER_TEXT = {
    "token": "A token: [system]|[code], |[code], [system]| or [code]; ',' separates alternatives.",
    "reference": "A patient: its id or Patient/<id>.",
    "string": "Matches the start of the value, ignoring case and accents.",
    "date": "A date, optionally after a prefix (eq, ne, gt, lt, ge, le, sa, eb); its precision "
    "gives the range.",
}


@functools.cache
def r4_definitions() -> dict[str, Json]:
    """The official R4 JSON schema's ``definitions``, read once."""
    with gzip.open(SCHEMA, "rt", encoding="utf-8") as f:
        return json.load(f)["definitions"]


def description(kinds: Iterable[Kind] = (), *, version: str) -> Json:
    """The OpenAPI 3.1 document for ``kinds`` (default: every type of the registry)."""
    kinds = list(kinds) or list(KINDS.values())
    names = [k.name for k in kinds]
    paths: Json = {"/metadata": {"get": _metadata()}}
    for kind in kinds:
        paths[f"/{kind.name}"] = {"get": _search(kind)}
        paths[f"/{kind.name}/{{id}}"] = {"get": _read(kind)}
    if "Patient" in names:
        paths["/Patient/{id}/$everything"] = {"get": _everything(names)}
    paths["/Binary/{id}"] = {"get": _binary()}
    paths["/CodeSystem/{id}"] = {"get": _code_system()}
    paths.update(openapi_bulk.paths(names))
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Taut FHIR R4 API",
            "version": version,
            "summary": "Read-only FHIR R4 (4.0.1) for a clinic's records, JSON only.",
            "description": "Resources are FHIR R4 JSON; their schemas are the official R4 JSON "
            "schema's definitions (http://hl7.org/fhir/R4/fhir.schema.json.zip), narrowed as "
            "described on ResourceList and ServedResource. Profiles (US Core) are declared in "
            "meta.profile and listed in the CapabilityStatement at /metadata. Callers sign in "
            "to Taut (its session cookie) or send a SMART on FHIR access token.",
            "license": {"name": "AGPL-3.0-or-later", "identifier": "AGPL-3.0-or-later"},
        },
        "servers": [{"url": "/fhir"}],
        "security": [{"session": []}, {"smart": []}],
        "paths": paths,
        "components": {
            "schemas": schemas(names) | openapi_bulk.SCHEMAS,
            "securitySchemes": {
                "session": {
                    "type": "apiKey",
                    "in": "cookie",
                    "name": "sessionid",
                    "description": "Taut's signed-in session (the browser's).",
                },
                "smart": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A SMART App Launch 2.0 access token; see "
                    "/.well-known/smart-configuration.",
                },
            },
            "responses": _error_responses(),
        },
    }


def schemas(served: Iterable[str]) -> dict[str, Json]:
    """The R4 definitions that ``served`` types and ``ALWAYS`` reach, as OpenAPI components
    (with ``ResourceList`` and ``Bundle_Entry.resource`` narrowed), plus ``ServedResource``."""
    served = list(served)
    definitions = r4_definitions()
    found: dict[str, Json] = {}
    waiting = [*served, *ALWAYS]
    while waiting:
        name = waiting.pop()
        if name in found:
            continue
        if name == "ResourceList":
            found[name] = ANY_RESOURCE
            continue
        # The vendored schema names two definitions it never defines (integer64, Resource).
        definition = definitions.get(name, {"description": f"{name}: not defined in R4."})
        if name == "Bundle_Entry":
            definition = copy.deepcopy(definition)
            definition["properties"]["resource"] = {
                "description": "The entry's resource: a type this server serves.",
                "$ref": "#/definitions/ServedResource",
            }
        found[name] = _components(definition)
        waiting.extend(_references(definition))
    found["ServedResource"] = served_resource([*served, "OperationOutcome"])
    return dict(sorted(found.items()))


def served_resource(types: Iterable[str]) -> Json:
    """One of ``types``, validated against its own definition (picked by ``resourceType``)."""
    types = sorted(set(types))
    return {
        "description": "A resource of a type this server serves.",
        "type": "object",
        "required": ["resourceType"],
        "properties": {"resourceType": {"enum": types}},
        "allOf": [
            {
                "if": {"properties": {"resourceType": {"const": name}}},
                "then": {"$ref": f"#/components/schemas/{name}"},
            }
            for name in types
        ],
    }


def _references(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "$ref" and isinstance(item, str):
                yield item.rsplit("/", 1)[-1]
            else:
                yield from _references(item)
    elif isinstance(value, list):
        for item in value:
            yield from _references(item)


def _components(value: Any) -> Any:
    """``value`` with its ``#/definitions/`` references pointing at the components."""
    if isinstance(value, dict):
        return {
            key: item.replace("#/definitions/", "#/components/schemas/")
            if key == "$ref" and isinstance(item, str)
            else _components(item)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_components(item) for item in value]
    return value


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _ok(name: str, text: str) -> Json:
    return {"description": text, "content": {FHIR_JSON: {"schema": _ref(name)}}}


def _errors(*statuses: int) -> Json:
    return {str(s): {"$ref": f"#/components/responses/{s}"} for s in statuses}


def _error_responses() -> Json:
    texts = {
        400: "A parameter this server cannot honour (unknown, malformed or unsupported).",
        401: "Neither a signed-in session nor a valid SMART access token.",
        403: "The caller's role or the token's scopes do not cover this type.",
        404: "No such resource here (another clinic's records are not found either).",
    }
    responses = {}
    for status, text in texts.items():
        responses[str(status)] = _ok("OperationOutcome", text)
    responses["401"]["headers"] = {
        "WWW-Authenticate": {"description": "Bearer challenge.", "schema": {"type": "string"}}
    }
    return responses


def _id_parameter(pattern: str = ID_PATTERN, **schema: Any) -> Json:
    return {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "The resource's id (Taut's public id of the record).",
        "schema": {"type": "string", "pattern": pattern, **schema},
    }


def _query(name: str, schema: Json, text: str, **extra: Any) -> Json:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": text,
        "schema": schema,
        **extra,
    }


def _search_parameters(kind: Kind) -> list[Json]:
    parameters = []
    for name in kind.search:
        kind_of = SEARCH_TYPES.get(name, "string")
        parameters.append(_query(name, PARAMETER_SCHEMAS[kind_of], PARAMETER_TEXT[kind_of]))
    parameters.append(
        _query(
            "_count",
            {"type": "integer", "minimum": 0},
            f"Entries per page (default {DEFAULT_COUNT}; more than {MAX_COUNT} gives {MAX_COUNT}).",
            allowEmptyValue=True,
        )
    )
    parameters.append(
        _query(
            "_page",
            {"type": "string"},
            "Where the page starts: opaque, taken from a Bundle's next or previous link.",
            allowEmptyValue=True,
        )
    )
    if kind.name == "Procedure":
        parameters.append(
            _query(
                "_revinclude",
                {"type": "array", "items": {"enum": sorted(REVINCLUDES)}},
                "Adds the resources that point at each Procedure found (its agents, its "
                "observations).",
                style="form",
                explode=True,
            )
        )
    served = sorted(includes(kind))
    if served:
        parameters.append(
            _query(
                "_include",
                {"enum": served},
                "Adds the patient each resource found is about, or the Procedure it was part of.",
            )
        )
    return parameters


def _profiles(kind: Kind) -> str:
    if not kind.profiles:
        return "Base R4 (no US Core profile applies)."
    return "Declares " + ", ".join(kind.profiles) + " in meta.profile."


def _read(kind: Kind) -> Json:
    return {
        "operationId": f"read{kind.name}",
        "summary": f"Read a {kind.name}",
        "description": _profiles(kind),
        "tags": [kind.name],
        "parameters": [_id_parameter()],
        "responses": {"200": _ok(kind.name, f"The {kind.name}."), **_errors(400, 401, 403, 404)},
    }


def _search(kind: Kind) -> Json:
    return {
        "operationId": f"search{kind.name}",
        "summary": f"Search {kind.name} resources",
        "description": f"A searchset Bundle of the caller's clinic's {kind.name} resources, "
        f"paged with next/previous links. {_profiles(kind)}",
        "tags": [kind.name],
        "parameters": _search_parameters(kind),
        "responses": {"200": _ok("Bundle", "A searchset Bundle."), **_errors(400, 401, 403, 404)},
    }


def _everything(names: list[str]) -> Json:
    return {
        "operationId": "patientEverything",
        "summary": "Everything about one patient (Patient/$everything)",
        "tags": ["Patient"],
        "parameters": [
            _id_parameter(r"^[0-9a-fA-F\-]{36}$", format="uuid"),
            _query(
                "_type",
                {"type": "string", "pattern": f"^({'|'.join(names)})(,({'|'.join(names)}))*$"},
                "Only these types (comma-separated).",
            ),
            _query(
                "_since",
                {"type": "string", "format": "date-time"},
                "Only resources changed after this instant.",
            ),
        ],
        "responses": {"200": _ok("Bundle", "A searchset Bundle."), **_errors(400, 401, 403, 404)},
    }


def _metadata() -> Json:
    return {
        "operationId": "capabilities",
        "summary": "The server's CapabilityStatement",
        "tags": ["Server"],
        "security": [],
        "responses": {"200": _ok("CapabilityStatement", "What this server supports.")},
    }


def _binary() -> Json:
    return {
        "operationId": "readBinary",
        "summary": "A signed note's PDF (a DocumentReference's attachment)",
        "description": "The PDF itself, or with Accept: application/fhir+json a Binary resource "
        "holding it. 503 while the PDF is being rendered (ask again after Retry-After).",
        "tags": ["Binary"],
        "parameters": [_id_parameter()],
        "responses": {
            "200": {
                "description": "The note's PDF.",
                "content": {
                    "application/pdf": {"schema": {"type": "string", "format": "binary"}},
                    FHIR_JSON: {"schema": _ref("Binary")},
                },
            },
            **_errors(400, 401, 403, 404),
            "503": {
                **_ok("OperationOutcome", "The PDF is being prepared."),
                "headers": {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": "Seconds to wait.",
                    }
                },
            },
        },
    }


def _code_system() -> Json:
    return {
        "operationId": "readCodeSystem",
        "summary": "One of Taut's own CodeSystems",
        "tags": ["Server"],
        "security": [],
        "parameters": [_id_parameter(r"^[a-z\-]{1,64}$", enum=code_system_ids())],
        "responses": {"200": _ok("CodeSystem", "The CodeSystem."), **_errors(404)},
    }
