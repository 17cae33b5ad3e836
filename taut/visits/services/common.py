from django.db import transaction
from django.db.models import F
from django.utils import timezone

from taut.audit.models import Action
from taut.audit.queries import changes_since
from taut.audit.services import record_event
from taut.lib.refusals import Conflict, Refused
from taut.visits.models import Visit


class VisitError(Refused):
    """A write that cannot be made; the message says why, in plain words."""


class VisitConflict(Conflict, VisitError):
    pass


class VisitLocked(VisitError):
    pass


class Blocked(VisitError):
    """A safety or workflow precondition is not met (e.g. no consent before sites)."""


def touch_visit(
    *, visit: Visit, version, by, request=None, change: str, state=None, actor_username=""
) -> Visit:
    """Claim the visit for one change: refuse if closed or changed since ``version``.

    Call inside the change's transaction. Bumps the version, moves the state if given,
    and writes the audit event describing the change (what part, never the content).
    ``actor_username`` names an actor who is not a staff user (the patient, via the portal).
    """
    if visit.locked:
        raise VisitLocked(
            "This visit is closed (signed or ended): corrections go in an addendum to the note."
        )
    if version in (None, ""):
        raise VisitConflict("This form is missing its version: reload the page and try again.")
    version = int(version)
    updates = {"version": F("version") + 1, "updated_by": by, "updated_at": timezone.now()}
    if state is not None:
        updates["state"] = state
    rows = Visit.objects.filter(pk=visit.pk, version=version).update(**updates)
    if rows == 0:
        raise VisitConflict(
            changes_since(object_type="visit", object_id=visit.public_id, version=version)
        )
    visit.refresh_from_db(fields=["version", "state", "updated_at", "updated_by"])
    record_event(
        action=Action.UPDATE,
        request=request,
        actor=by,
        actor_username=actor_username,
        clinic_id=visit.patient.clinic_id,
        object_type="visit",
        object_id=str(visit.public_id),
        patient_id=visit.patient.public_id,
        details={"version": visit.version, "change": change, "state": visit.state},
    )
    return visit


def advance(visit: Visit, *, to: str, unless_past: tuple = ()) -> str | None:
    """The state to move to: ``to`` unless the visit is already at one of ``unless_past``."""
    return None if visit.state in unless_past else to


def audited(*, action, request, by, visit, record, object_type, details=None, actor_username=""):
    record_event(
        action=action,
        request=request,
        actor=by,
        actor_username=actor_username,
        clinic_id=visit.patient.clinic_id,
        object_type=object_type,
        object_id=str(getattr(record, "public_id", "") or record.pk),
        patient_id=visit.patient.public_id,
        details=details or {},
    )


__all__ = ["Blocked", "VisitConflict", "VisitError", "VisitLocked", "touch_visit", "transaction"]
