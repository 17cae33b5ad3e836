"""What one FHIR request or export may read: a clinic, optionally some of its patients."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime

from taut.accounts.models import Clinic
from taut.patients.models import Patient

CHUNK = 200  # patients read at a time: memory stays flat however many the clinic has


@dataclass(frozen=True)
class Scope:
    """``patient_ids`` None: every patient of ``clinic``. ``ids``: only resources with these
    ids are wanted (a read or ``_id`` search); loaders may use it to read less, and the
    caller filters again. ``since``: only resources changed after it (Bulk ``_since``);
    loaders may skip what cannot have changed. ``base``: the absolute FHIR base URL."""

    clinic: Clinic
    base: str
    patient_ids: tuple[int, ...] | None = None
    ids: frozenset[str] | None = None
    since: datetime | None = None
    labels: dict[str, str] = field(default_factory=dict, compare=False)

    def patients(self) -> Iterator[list[Patient]]:
        """The scope's patients in chunks of ``CHUNK``, in a stable order (by key)."""
        rows = Patient.objects.filter(clinic=self.clinic).order_by("pk")
        if self.patient_ids is not None:
            rows = rows.filter(pk__in=self.patient_ids)
        last = 0
        while True:
            chunk = list(rows.filter(pk__gt=last)[:CHUNK])
            if not chunk:
                return
            yield chunk
            last = chunk[-1].pk
