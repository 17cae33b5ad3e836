"""The server's CapabilityStatement (``/fhir/metadata``), built from the registry."""

from collections.abc import Iterable
from datetime import datetime

from taut.fhir.mapping.base import Json, instant
from taut.fhir.queries import REVINCLUDES, includes
from taut.fhir.registry import Kind

SEARCH_TYPES = {
    "_id": "token", "_lastUpdated": "date", "patient": "reference", "date": "date",
    "code": "token", "category": "token", "status": "token", "clinical-status": "token",
    "lifecycle-status": "token", "identifier": "token",
    "name": "string", "family": "string", "given": "string", "birthdate": "date",
    "gender": "token",
}  # fmt: skip
US_CORE_SERVER = "http://hl7.org/fhir/us/core/CapabilityStatement/us-core-server"
BULK = "http://hl7.org/fhir/uv/bulkdata/"
#: Bulk Data 2.0 (taut.fhir.bulk): the system, Group and Patient exports.
EXPORTS = [
    {"name": "export", "definition": BULK + "OperationDefinition/export"},
]


def capability_statement(
    kinds: Iterable[Kind], *, base: str, software_version: str, now: datetime,
    smart: bool, extra_operations: Iterable[Json] = (),
) -> Json:  # fmt: skip
    resources = []
    for kind in kinds:
        entry: Json = {
            "type": kind.name,
            "interaction": [{"code": "read"}, {"code": "search-type"}],
            "searchParam": [{"name": name, "type": SEARCH_TYPES[name]} for name in kind.search],
        }
        if kind.profiles:
            entry["supportedProfile"] = list(kind.profiles)
        revincludes = [name for name in REVINCLUDES if kind.name == "Procedure"]
        if revincludes:
            entry["searchRevInclude"] = revincludes
        served = list(includes(kind))
        if served:
            entry["searchInclude"] = served
        if kind.name == "Patient":
            entry["operation"] = [
                {"name": "everything",
                 "definition": "http://hl7.org/fhir/OperationDefinition/Patient-everything"},
                {"name": "export", "definition": BULK + "OperationDefinition/patient-export"},
            ]  # fmt: skip
        resources.append(entry)
    security: Json = {"cors": False}
    if smart:
        security["service"] = [
            {
                "coding": [
                    {"system": "http://terminology.hl7.org/CodeSystem/restful-security-service",
                     "code": "SMART-on-FHIR"}
                ]
            }
        ]  # fmt: skip
    resources.append(
        {
            "type": "Group",
            "interaction": [{"code": "read"}],
            "operation": [
                {"name": "export", "definition": BULK + "OperationDefinition/group-export"}
            ],
        }
    )
    rest: Json = {"mode": "server", "security": security, "resource": resources}
    operations = EXPORTS + list(extra_operations)
    if operations:
        rest["operation"] = operations
    return {
        "resourceType": "CapabilityStatement",
        "status": "active",
        "date": instant(now),
        "publisher": "Taut",
        "kind": "instance",
        "instantiates": [US_CORE_SERVER, BULK + "CapabilityStatement/bulk-data"],
        "software": {"name": "Taut", "version": software_version},
        "implementation": {"description": "Taut FHIR R4 API (read-only)", "url": base},
        "fhirVersion": "4.0.1",
        "format": ["json"],
        "rest": [rest],
    }
