"""OperationOutcome: how the FHIR API says what went wrong (or, in a Bulk Data error file,
what was left out), with an issue ``code`` from the R4 IssueType value set
(http://hl7.org/fhir/R4/valueset-issue-type.html: invalid, not-supported, forbidden,
not-found, login, exception, processing, informational…)."""

import unicodedata

from taut.fhir.mapping.base import Json


def operation_outcome(code: str, diagnostics: str, *, severity: str = "error") -> Json:
    """The one way Taut builds an OperationOutcome; ``diagnostics`` made a valid R4 string."""
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": fhir_string(diagnostics)}],
    }


def fhir_string(text: str) -> str:
    """``text`` as a valid R4 string (``[ \\r\\n\\t\\S]+``): a message may echo what the
    client sent, so other whitespace becomes a space and control characters U+FFFD."""
    return "".join(
        c if c in " \r\n\t" else " " if c.isspace() else
        "\ufffd" if unicodedata.category(c) in ("Cc", "Cs") else c
        for c in text
    )  # fmt: skip
