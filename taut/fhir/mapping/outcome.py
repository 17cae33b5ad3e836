"""OperationOutcome: how the FHIR API says what went wrong (or, in a Bulk Data error file,
what was left out), with an issue ``code`` from the R4 IssueType value set
(http://hl7.org/fhir/R4/valueset-issue-type.html: invalid, not-supported, forbidden,
not-found, login, exception, processing, informational…)."""

from taut.fhir.mapping.base import Json


def operation_outcome(code: str, diagnostics: str, *, severity: str = "error") -> Json:
    return {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": severity, "code": code, "diagnostics": diagnostics}],
    }
