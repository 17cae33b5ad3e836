"""Who asks for an export: built once by the view's gate (``taut.fhir.bulk_views.exporter_for``)
from the caller (a signed-in member of staff, or a SMART token acting as its user) and handed
to the services.
"""

from dataclasses import dataclass

from taut.accounts.models import Clinic, User


@dataclass(frozen=True)
class Exporter:
    """``user``: the member of staff asking, or on whose behalf an app asks (None for a
    backend service acting for the clinic). ``client_id``: the app, blank for a browser
    session. ``readable``: the resource types it may read. A job is its requester's: the same
    clinic, user and app, or nobody's (``taut.fhir.bulk.queries.job_for``)."""

    clinic: Clinic
    user: User | None
    client_id: str
    readable: frozenset[str]
