"""Building blocks shared by the mappers: references, codings, quantities, instants."""

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from taut.fhir.mapping import codes

Json = dict[str, Any]


def derived_id(public_id: uuid.UUID | str, part: str) -> str:
    """The id of the ``part`` of a record that is a second resource of one type (a site's
    steroid): the record's public id and the part's name (``<uuid>-steroid``), so the id
    still names its record (``owner``) and stays within FHIR's 64 characters."""
    return f"{public_id}-{part}"


def record_id(resource_id: str) -> uuid.UUID | None:
    """The public id of the Taut record a resource id names (``derived_id`` undone)."""
    try:
        return uuid.UUID(resource_id[:36])
    except ValueError:
        return None


def ref(resource_type: str, public_id: object, display: str = "") -> Json:
    reference: Json = {"reference": f"{resource_type}/{public_id}"}
    if display:
        reference["display"] = display
    return reference


def instant(moment: datetime) -> str:
    """An aware datetime as a FHIR instant/dateTime in UTC (``2026-12-07T09:30:00Z``)."""
    if moment.tzinfo is None:
        raise ValueError("FHIR instants need an aware datetime")
    utc = moment.astimezone(UTC).replace(microsecond=0)
    return utc.isoformat().replace("+00:00", "Z")


def day(value: date) -> str:
    return value.isoformat()


def coding(system: str, code: str, display: str = "") -> Json:
    result = {"system": system, "code": code}
    if display:
        result["display"] = display
    return result


def concept(*codings: Json | None, text: str = "") -> Json:
    """A CodeableConcept of the codings given (``None`` skipped) and ``text``."""
    result: Json = {}
    listed = [c for c in codings if c]
    if listed:
        result["coding"] = listed
    if text:
        result["text"] = text
    return result


def taut_coding(system_id: str, code: str, display: str = "") -> Json:
    """A coding in one of Taut's own code systems (``codes.taut_system``)."""
    return coding(codes.taut_system(system_id), code, display)


def quantity(value: Decimal | int | float, unit: str, code: str | None = None) -> Json:
    """A UCUM quantity; ``unit`` is what a person reads, ``code`` the UCUM code."""
    number = Decimal(str(value)).normalize()
    return {
        "value": int(number) if number == number.to_integral_value() else float(number),
        "unit": unit,
        "system": codes.UCUM,
        "code": code or unit,
    }


def meta(*, last_updated: datetime | None, profiles: tuple[str, ...] = ()) -> Json:
    result: Json = {}
    if profiles:
        result["profile"] = list(profiles)
    if last_updated is not None:
        result["lastUpdated"] = instant(last_updated)
    return result


def resource(
    resource_type: str,
    resource_id: uuid.UUID | str,
    *,
    last_updated: datetime | None,
    profiles: tuple[str, ...] = (),
    **body: Any,
) -> Json:
    """A resource with its id and meta, and ``body``'s elements that have a value (FHIR
    forbids empty strings, lists and objects)."""
    result: Json = {"resourceType": resource_type, "id": str(resource_id)}
    described = meta(last_updated=last_updated, profiles=profiles)
    if described:
        result["meta"] = described
    result.update(pruned(body))
    return result


def pruned(value: Any) -> Any:
    """``value`` without empty strings, lists, dicts or ``None`` at any depth."""
    if isinstance(value, dict):
        kept = {k: pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        items = [pruned(v) for v in value]
        return [v for v in items if v not in (None, "", [], {})]
    return value


def narrative(text: str) -> Json:
    """A generated narrative: ``text`` escaped into the required xhtml ``div``."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return {
        "status": "generated",
        "div": f'<div xmlns="http://www.w3.org/1999/xhtml">{escaped}</div>',
    }
