"""The Bulk Data paths of the OpenAPI description (``taut.fhir.openapi``; decision 0045 for
the export itself): the three ``$export`` kick-offs, the status URL (poll, cancel), the file
download and the clinic's ``Group``. Pure apart from reading the registry."""

from typing import Any

from taut.fhir.bulk.kickoff import FORMATS

Json = dict[str, Any]

FHIR_JSON = "application/fhir+json"
NDJSON = "application/fhir+ndjson"
UUID = {"type": "string", "format": "uuid", "pattern": r"^[0-9a-fA-F\-]{36}$"}
MANIFEST: Json = {
    "description": "The Complete Status body (Bulk Data IG 2.0).",
    "type": "object",
    "required": ["transactionTime", "request", "requiresAccessToken", "output", "error"],
    "properties": {
        "transactionTime": {"$ref": "#/components/schemas/instant"},
        "request": {"type": "string"},
        "requiresAccessToken": {"type": "boolean"},
        "output": {"type": "array", "items": {"$ref": "#/components/schemas/BulkFile"}},
        "error": {"type": "array", "items": {"$ref": "#/components/schemas/BulkFile"}},
    },
}
BULK_FILE: Json = {
    "type": "object",
    "required": ["type", "url"],
    "properties": {
        "type": {"type": "string", "pattern": "^[A-Z][A-Za-z]+$"},
        "url": {"type": "string"},
        "count": {"type": "integer", "minimum": 0},
    },
}
SCHEMAS = {"BulkManifest": MANIFEST, "BulkFile": BULK_FILE}
TYPES_ALWAYS = ("Group",)


def _ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def _errors(*statuses: int) -> Json:
    return {str(s): {"$ref": f"#/components/responses/{s}"} for s in statuses}


def _path_uuid(name: str, text: str) -> Json:
    return {"name": name, "in": "path", "required": True, "description": text, "schema": UUID}


def _accepted(text: str, **headers: Json) -> Json:
    return {
        "description": text,
        "headers": headers,
        "content": {FHIR_JSON: {"schema": _ref("OperationOutcome")}},
    }


def _kickoff(operation_id: str, summary: str, names: list[str], *path: Json) -> Json:
    types = "|".join(names)
    return {
        "operationId": operation_id,
        "summary": summary,
        "description": "Starts an asynchronous export (Bulk Data IG 2.0): send Accept: "
        "application/fhir+json and Prefer: respond-async, then poll the Content-Location. "
        "Needs a role that may export the clinic's data (a clinic lead).",
        "tags": ["Bulk Data"],
        "parameters": [
            *path,
            {
                "name": "Prefer",
                "in": "header",
                "required": True,
                "description": "respond-async (and optionally handling=lenient).",
                "schema": {"enum": ["respond-async", "respond-async, handling=lenient"]},
            },
            {
                "name": "_type",
                "in": "query",
                "description": "Only these resource types (comma-separated).",
                "schema": {"type": "string", "pattern": f"^({types})(,({types}))*$"},
            },
            {
                "name": "_since",
                "in": "query",
                "description": "Only resources changed after this instant.",
                "schema": {"type": "string", "format": "date-time"},
            },
            {
                "name": "_outputFormat",
                "in": "query",
                "description": "NDJSON only.",
                "schema": {"enum": sorted(FORMATS)},
            },
        ],
        "responses": {
            "202": _accepted(
                "Queued; poll the status URL.",
                **{
                    "Content-Location": {
                        "description": "The status URL.",
                        "required": True,
                        "schema": {"type": "string"},
                    }
                },
            ),
            **_errors(400, 401, 403, 404),
        },
    }


def paths(names: list[str]) -> Json:
    """The Bulk Data paths, for the served type ``names``."""
    job = _path_uuid("job", "The export's id (from the kick-off's Content-Location).")
    group_id = _path_uuid("id", "The clinic's Group id (its public id).")
    return {
        "/$export": {"get": _kickoff("exportSystem", "Export everything (system level)", names)},
        "/Patient/$export": {
            "get": _kickoff("exportPatients", "Export every patient's compartment", names)
        },
        "/Group/{id}/$export": {
            "get": _kickoff("exportGroup", "Export the Group's patients", names, group_id)
        },
        "/Group/{id}": {
            "get": {
                "operationId": "readGroup",
                "summary": "The clinic's patients as a Group",
                "tags": ["Bulk Data"],
                "parameters": [group_id],
                "responses": {
                    "200": {
                        "description": "The Group.",
                        "content": {FHIR_JSON: {"schema": _ref("Group")}},
                    },
                    **_errors(401, 403, 404),
                },
            }
        },
        "/bulk/{job}": {
            "get": {
                "operationId": "exportStatus",
                "summary": "An export's status: in progress (202) or its manifest (200)",
                "tags": ["Bulk Data"],
                "parameters": [job],
                "responses": {
                    "200": {
                        "description": "Complete: the files to download.",
                        "headers": {"Expires": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": _ref("BulkManifest")}},
                    },
                    "202": {
                        "description": "Still running.",
                        "headers": {
                            "X-Progress": {"schema": {"type": "string"}},
                            "Retry-After": {"schema": {"type": "string"}},
                        },
                    },
                    **_errors(401, 403, 404),
                    "500": {
                        "description": "The export failed.",
                        "content": {FHIR_JSON: {"schema": _ref("OperationOutcome")}},
                    },
                },
            },
            "delete": {
                "operationId": "exportCancel",
                "summary": "Cancel an export and delete its files",
                "tags": ["Bulk Data"],
                "parameters": [job],
                "responses": {"202": _accepted("Cancelled."), **_errors(401, 403, 404)},
            },
        },
        "/bulk/{job}/{file}": {
            "get": {
                "operationId": "exportFile",
                "summary": "One NDJSON file of an export",
                "tags": ["Bulk Data"],
                "parameters": [job, _path_uuid("file", "The file's id (from the manifest).")],
                "responses": {
                    "200": {
                        "description": "One resource per line.",
                        "content": {NDJSON: {"schema": {"type": "string"}}},
                    },
                    **_errors(401, 403, 404),
                },
            }
        },
    }
