from typing import Any

from django.db.models import F

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.queries import changes_since
from taut.audit.services import record_event
from taut.lib.bounds import VERSION_MESSAGE, parse_version
from taut.lib.refusals import Conflict, Invalid, NotAllowed, Refused
from taut.visits.models import Visit


class VisitError(Refused):
    """A write that cannot be made; the message says why, in plain words."""


class VisitConflict(Conflict, VisitError):
    pass


class VisitLocked(VisitError):
    pass


class VisitInvalid(Invalid, VisitError):
    """Bad input; ``errors`` maps each field to its message."""


class VisitNotAllowed(NotAllowed, VisitError):
    """The actor's role does not permit this change to the visit."""


class Blocked(VisitError):
    """A safety or workflow precondition is not met (e.g. no consent before sites)."""


def require(actor: Actor, need: Need, why: str, *, visit: Visit) -> None:
    """Refuse unless ``actor``'s role grants ``need`` on this clinic's ``visit``: every write
    checks this itself, whatever the view checked."""
    if not actor.may(need):
        raise VisitNotAllowed(why)
    if actor.clinic_id != visit.patient.clinic_id:
        raise VisitNotAllowed("This visit belongs to another clinic.")


def touch_visit(
    *,
    visit: Visit,
    version: int | str | None,
    actor: Actor,
    change: str,
    state: str | None = None,
) -> Visit:
    """Claim the visit for one change: refuse if closed or changed since ``version``.

    Call inside the change's transaction. Bumps the version, moves the state if given,
    and writes the audit event describing the change (what part, never the content).
    """
    if visit.locked:
        raise VisitLocked(
            "This visit is closed (signed or ended): corrections go in an addendum to the note."
        )
    if version is None or version == "":
        raise VisitConflict("This form is missing its version: reload the page and try again.")
    version = parse_version(version)
    if version is None:
        raise VisitInvalid({"version": VERSION_MESSAGE})
    updates: dict[str, Any] = {
        "version": F("version") + 1,
        "updated_by": actor.user,
        "updated_at": actor.now,
    }
    if state is not None:
        updates["state"] = state
    rows = Visit.objects.filter(pk=visit.pk, version=version).update(**updates)
    if rows == 0:
        raise VisitConflict(
            changes_since(object_type="visit", object_id=str(visit.public_id), version=version)
        )
    visit.refresh_from_db(fields=["version", "state", "updated_at", "updated_by"])
    record_event(
        actor=actor,
        action=Action.UPDATE,
        patient=visit.patient,
        obj=visit,
        details={"version": visit.version, "change": change, "state": visit.state},
    )
    return visit


def advance(visit: Visit, *, to: str, unless_past: tuple[str, ...] = ()) -> str | None:
    """The state to move to: ``to`` unless the visit is already at one of ``unless_past``."""
    return None if visit.state in unless_past else to


__all__ = [
    "Blocked",
    "VisitConflict",
    "VisitError",
    "VisitInvalid",
    "VisitLocked",
    "VisitNotAllowed",
    "require",
    "touch_visit",
]
