"""A ``$export`` kick-off request read and checked: headers, ``_type``, ``_since``,
``_outputFormat`` (Bulk Data IG 2.0, "Bulk Data Kick-off Request"). Pure: no Django."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

FHIR_JSON = "application/fhir+json"
# The NDJSON spellings the IG says a server SHALL accept; all mean application/fhir+ndjson.
FORMATS = frozenset({"application/fhir+ndjson", "application/ndjson", "ndjson"})
SUPPORTED = frozenset({"_type", "_since", "_outputFormat"})


class Invalid(Exception):
    """A kick-off refused with 400: ``code`` is the OperationOutcome issue type."""

    def __init__(self, message: str, *, code: str = "invalid"):
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Kickoff:
    types: tuple[str, ...] | None  # None: every type the level and the caller allow
    since: datetime | None
    ignored: tuple[str, ...]  # unsupported parameters ignored under handling=lenient


def _tokens(header: str) -> list[str]:
    """The comma-separated items of a header, lower case, without parameters after ';'."""
    return [part.split(";")[0].strip().lower() for part in header.split(",") if part.strip()]


def read_kickoff(
    *,
    params: Mapping[str, Sequence[str]],
    accept: str,
    prefer: str,
    exportable: Sequence[str],
    known: Sequence[str],
) -> Kickoff:
    """The kick-off's wishes, or ``Invalid``. ``exportable``: the types this level exports;
    ``known``: every type the server serves (a known type outside ``exportable`` is refused
    as outside the Patient compartment rather than as unknown)."""
    if FHIR_JSON not in _tokens(accept):
        raise Invalid(f"The Accept header must be {FHIR_JSON}.")
    preferences = [p.replace(" ", "") for p in _tokens(prefer)]
    if "respond-async" not in preferences:
        raise Invalid("An export runs asynchronously: send the header Prefer: respond-async.")
    lenient = "handling=lenient" in preferences
    unsupported = sorted(name for name in params if name not in SUPPORTED)
    if unsupported and not lenient:
        raise Invalid(
            f"Not supported: {', '.join(unsupported)} (send Prefer: handling=lenient to have "
            "them ignored).",
            code="not-supported",
        )
    for value in params.get("_outputFormat", []):
        if value.strip() not in FORMATS:
            raise Invalid(
                f"_outputFormat {value!r} is not supported: only application/fhir+ndjson.",
                code="not-supported",
            )
    return Kickoff(
        types=_types(params.get("_type", []), exportable=exportable, known=known),
        since=_since(params.get("_since", [])),
        ignored=tuple(unsupported),
    )


def _types(values: Sequence[str], *, exportable: Sequence[str], known: Sequence[str]):
    if not values:
        return None
    asked = [name.strip() for value in values for name in value.split(",") if name.strip()]
    if not asked:
        raise Invalid("_type names no resource type.")
    for name in asked:
        if name not in known:
            raise Invalid(f"_type {name!r}: Taut does not serve this resource type.",
                          code="not-supported")  # fmt: skip
        if name not in exportable:
            raise Invalid(f"_type {name!r} is outside the Patient compartment, which is what "
                          "this level exports (use the system-level $export).")  # fmt: skip
    return tuple(name for name in exportable if name in asked)  # the server's order, once each


def _since(values: Sequence[str]) -> datetime | None:
    if not values:
        return None
    if len(values) > 1:
        raise Invalid("_since is given more than once.")
    # A "+" not percent-encoded in a query string arrives as a space.
    text = values[0].strip().replace(" ", "+")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        moment = None
    if moment is None or "T" not in text or moment.tzinfo is None:
        raise Invalid(f"_since {values[0]!r} is not a FHIR instant (e.g. 2026-12-01T00:00:00Z).")
    return moment
