"""FHIR search on mapped resources: the parameters Taut serves (issue 18: ``_id``,
``patient``, ``date``, ``code``, ``category``, ``status``, ``_lastUpdated``), matched on the
resources' JSON as FHIR R4 defines them (https://hl7.org/fhir/R4/search.html: token
``[system]|[code]``, date prefixes ``eq ne gt lt ge le sa eb``, precision ranges, ``,`` as
OR, a repeated parameter as AND). Pure: the views and the bulk export share it."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any

Json = dict[str, Any]


class SearchError(ValueError):
    """A parameter or value this server cannot honour: the client gets a 400 with it."""


#: Per resource type, where each searchable date lives (the first element present).
DATE_PATHS: Mapping[str, tuple[str, ...]] = {
    "Encounter": ("period.start",),
    "Procedure": ("performedDateTime", "performedPeriod.start"),
    "Observation": ("effectiveDateTime", "effectivePeriod.start", "effectiveInstant"),
    "MedicationAdministration": ("effectiveDateTime", "effectivePeriod.start"),
    "MedicationStatement": ("effectiveDateTime", "effectivePeriod.start", "dateAsserted"),
    "DocumentReference": ("date",),
    "Condition": ("recordedDate", "onsetDateTime"),
    "AllergyIntolerance": ("recordedDate",),
    "QuestionnaireResponse": ("authored",),
    "Goal": ("startDate",),
    "CarePlan": ("period.start", "created"),
    "Provenance": ("recorded",),
    "Questionnaire": ("date",),
}
#: Where each type's ``code``, ``category`` and ``status`` live.
CODE_PATHS: Mapping[str, str] = {
    "Observation": "code",
    "Condition": "code",
    "Procedure": "code",
    "AllergyIntolerance": "code",
    "MedicationStatement": "medicationCodeableConcept",
    "DocumentReference": "type",
    "Questionnaire": "code",
}
CATEGORY_PATHS: Mapping[str, str] = {
    "Observation": "category",
    "Condition": "category",
    "DocumentReference": "category",
    "CarePlan": "category",
    "Goal": "category",
    "MedicationAdministration": "category",
    "MedicationStatement": "category",
    "AllergyIntolerance": "category",
    "Procedure": "category",
}
STATUS_PATHS: Mapping[str, str] = {
    "Goal": "lifecycleStatus",
    "Condition": "clinicalStatus",
    "AllergyIntolerance": "clinicalStatus",
}
#: R4's own name for the status parameter where it is not ``status``; ``status`` is served
#: there too, as the same search.
STATUS_NAMES: Mapping[str, str] = {
    "Goal": "lifecycle-status",
    "Condition": "clinical-status",
    "AllergyIntolerance": "clinical-status",
}
#: Types with no status element to search.
NO_STATUS = ("Patient", "Organization", "Practitioner", "PractitionerRole", "Provenance")
#: The reference to the patient, per type (``patient``/``subject`` search parameters).
PATIENT_PATHS: Mapping[str, str] = {
    "Patient": "id",
    "AllergyIntolerance": "patient",
    "Provenance": "target",
}
DEFAULT_PATIENT_PATH = "subject"
PREFIXES = ("eq", "ne", "gt", "lt", "ge", "le", "sa", "eb")
CONTROL = (
    "_count",
    "_include",
    "_revinclude",
    "_format",
    "_page",
    "_summary",
    "_elements",
    "_total",
)


def supported(resource_type: str) -> tuple[str, ...]:
    """The search parameters ``resource_type`` supports here (besides ``_count``, paging
    and ``_include``)."""
    params = ["_id", "_lastUpdated"]
    if resource_type not in ("Organization", "Practitioner", "PractitionerRole", "Questionnaire"):
        params.append("patient")
    if resource_type in DATE_PATHS:
        params.append("date")
    if resource_type in CODE_PATHS:
        params.append("code")
    if resource_type in CATEGORY_PATHS:
        params.append("category")
    if resource_type in STATUS_NAMES:
        params.append(STATUS_NAMES[resource_type])
    if resource_type not in NO_STATUS:
        params.append("status")  # also where R4 names it otherwise: issue 18 asks for it
    if resource_type == "Patient":
        params += ["identifier", "name", "family", "given", "birthdate", "gender"]
    return tuple(params)


@dataclass(frozen=True)
class Criterion:
    name: str
    values: tuple[str, ...]  # OR'ed


def parse(resource_type: str, query: Iterable[tuple[str, str]]) -> list[Criterion]:
    """The criteria of a query string's (name, value) pairs. Unknown parameters are an
    error, not silently ignored: a client filtering by one would get everything."""
    allowed = supported(resource_type)
    criteria = []
    for raw_name, value in query:
        name = raw_name.split(":")[0]
        if name in CONTROL:
            continue
        if name == "subject":
            name = "patient"
        if name == STATUS_NAMES.get(resource_type):
            name = "status"
        if name not in allowed:
            raise SearchError(f"{resource_type} has no search parameter '{raw_name}' here; "
                              f"supported: {', '.join(allowed)}")  # fmt: skip
        if ":" in raw_name:
            raise SearchError(f"Modifier '{raw_name}' is not supported.")
        values = tuple(v for v in value.split(",") if v)
        if not values:
            raise SearchError(f"'{raw_name}' needs a value.")
        if name in ("date", "_lastUpdated", "birthdate"):
            for v in values:
                date_range(v)  # raises on a bad value
        criteria.append(Criterion(name, values))
    return criteria


def matches(resource: Json, criteria: Iterable[Criterion], *, zone: tzinfo = UTC) -> bool:
    """Whether ``resource`` meets every criterion. ``zone``: the clinic's time zone, in which
    a date without one is read (R4 search: the server's local time)."""
    return all(_matches(resource, c, zone) for c in criteria)


def _matches(resource: Json, criterion: Criterion, zone: tzinfo) -> bool:
    kind, name = resource["resourceType"], criterion.name
    if name == "_id":
        return resource["id"] in criterion.values
    if name == "patient":
        return any(_refers_to_patient(resource, v) for v in criterion.values)
    if name == "_lastUpdated":
        stamp = resource.get("meta", {}).get("lastUpdated")
        return stamp is not None and any(_date_matches(stamp, v, zone) for v in criterion.values)
    if name == "date":
        stamp = next((s for p in DATE_PATHS[kind] if (s := _get(resource, p))), None)
        return stamp is not None and any(_date_matches(stamp, v, zone) for v in criterion.values)
    if name == "code":
        return _token_matches(_get(resource, CODE_PATHS[kind]), criterion.values)
    if name == "category":
        return _token_matches(_get(resource, CATEGORY_PATHS[kind]), criterion.values)
    if name == "status":
        path = STATUS_PATHS.get(kind, "status")
        found = _get(resource, path)
        if isinstance(found, dict):
            return _token_matches(found, criterion.values)
        return found in criterion.values
    if name == "identifier":
        return _identifier_matches(resource.get("identifier", []), criterion.values)
    if name in ("name", "family", "given"):
        return any(_name_matches(resource.get("name", []), name, v) for v in criterion.values)
    if name == "birthdate":
        stamp = resource.get("birthDate")
        return stamp is not None and any(_date_matches(stamp, v, zone) for v in criterion.values)
    if name == "gender":
        return resource.get("gender") in criterion.values
    raise SearchError(name)  # parse() let through a name this function does not know


def _identifier_matches(identifiers: list[Json], values: Iterable[str]) -> bool:
    for value in values:
        system, bar, code = value.rpartition("|")
        for identifier in identifiers:
            if identifier.get("value") == code and (not bar or identifier.get("system") == system):
                return True
    return False


def _name_matches(names: list[Json], part: str, value: str) -> bool:
    """FHIR string search: case-insensitive, matching the start of a name part."""
    wanted = value.casefold()
    for name in names:
        parts = []
        if part in ("name", "family"):
            parts.append(name.get("family", ""))
        if part in ("name", "given"):
            parts += name.get("given", [])
        if part == "name":
            parts.append(name.get("text", ""))
        if any(p.casefold().startswith(wanted) for p in parts if p):
            return True
    return False


def _refers_to_patient(resource: Json, value: str) -> bool:
    wanted = value.removeprefix("Patient/")
    path = PATIENT_PATHS.get(resource["resourceType"], DEFAULT_PATIENT_PATH)
    found = _get(resource, path)
    if path == "id":
        return found == wanted
    refs = found if isinstance(found, list) else [found]
    return any(isinstance(r, dict) and r.get("reference") == f"Patient/{wanted}" for r in refs)


def _get(resource: Json, path: str) -> Any:
    value: Any = resource
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def _token_matches(concepts: Any, values: Iterable[str]) -> bool:
    listed = concepts if isinstance(concepts, list) else [concepts]
    codings = [c for concept in listed if isinstance(concept, dict)
               for c in concept.get("coding", [])]  # fmt: skip
    # A ``code`` element (AllergyIntolerance.category): its system is implicit.
    codings += [{"code": code} for code in listed if isinstance(code, str)]
    for value in values:
        system, bar, code = value.rpartition("|")
        for c in codings:
            if not bar and c.get("code") == code:
                return True
            # "|code" is a code with no system (R4 search 3.1.1.4.8), not any system's.
            if bar and c.get("system") == (system or None) and (
                not code or c.get("code") == code
            ):  # fmt: skip
                return True
    return False


def date_range(value: str, zone: tzinfo = UTC) -> tuple[str, datetime, datetime]:
    """A date parameter's prefix and the range its precision covers: ``2026-12`` is the
    whole month; ``2026-12-07T09:30:00Z`` one second. A date or time without a zone is
    read in ``zone``."""
    prefix = value[:2] if value[:2] in PREFIXES else "eq"
    text = value[2:] if value[:2] in PREFIXES else value
    try:
        if len(text) == 4:
            start = datetime(int(text), 1, 1, tzinfo=zone)
            end = datetime(int(text) + 1, 1, 1, tzinfo=zone)
        elif len(text) == 7:
            year, month = int(text[:4]), int(text[5:7])
            start = datetime(year, month, 1, tzinfo=zone)
            end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone)
        elif len(text) == 10:
            start = datetime.combine(date.fromisoformat(text), time(), tzinfo=zone)
            end = start + timedelta(days=1)
        else:
            start = datetime.fromisoformat(text.replace("Z", "+00:00"))
            if start.tzinfo is None:
                start = start.replace(tzinfo=zone)
            end = start + timedelta(seconds=1)
    except ValueError:
        raise SearchError(
            f"'{value}' is not a FHIR date (YYYY, YYYY-MM, YYYY-MM-DD or a dateTime), "
            f"optionally after a prefix ({', '.join(PREFIXES)})."
        ) from None
    return prefix, start, end


def _date_matches(stamp: str, value: str, zone: tzinfo) -> bool:
    prefix, low, high = date_range(value, zone)
    _, start, end = date_range(stamp, zone)
    return {
        "eq": low <= start and end <= high,
        "ne": not (low <= start and end <= high),
        "gt": end > high,
        "lt": start < low,
        "ge": end > low,
        "le": start < high,
        "sa": start >= high,
        "eb": end <= low,
    }[prefix]
