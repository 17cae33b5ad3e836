"""One line of what a patient reads, with its source and status for the clinician.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from dataclasses import dataclass

VERSION = "2026.1"
POLICY = "clinic policy (not in clinical.md)"


@dataclass(frozen=True)
class Line:
    """One bullet of the handout: the patient's words, and for the clinician its source."""

    text: str
    source: str
    status: str
