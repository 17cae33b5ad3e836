"""Ending a visit without a procedure (booking is ``services.booking``; ``schedule_visit``
is re-exported here for the callers that book through this module)."""

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.visits.models import Visit
from taut.visits.services.booking import schedule_visit
from taut.visits.services.common import Blocked, require, touch_visit

State = Visit.State
__all__ = ["end_visit", "schedule_visit"]


def end_visit(*, visit: Visit, version: int | str | None, reason: str, actor: Actor) -> Visit:
    """End a visit without a procedure (it can't be ended once sites are documented)."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician ends a visit.", visit=visit)
    if reason not in Visit.EndReason.values:
        raise Blocked("Choose why the visit ends without a procedure.")
    if visit.state == State.PROCEDURE_DOCUMENTED:
        raise Blocked("Sites are documented: sign the note instead, or remove the sites first.")
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, actor=actor, change=f"ended ({reason})", state=State.ENDED
        )
        Visit.objects.filter(pk=visit.pk).update(end_reason=reason)
    visit.refresh_from_db()
    return visit
