"""Signing a note and its addenda, and the parts of the note page that later apps provide.

Signing writes the note (``visits``), schedules the clinic's follow-up check-ins
(``aftercare``), queues a reminder email for each (``reminders``), stores the day the
next-step decision falls due (``outcomes``) and queues the renders of the note's and the
aftercare handout's PDFs (``printing``), in one transaction:
if any part fails, nothing is signed. An addendum queues the note's PDF again. The payer checks the note states read the patient's
earlier sessions with their follow-up scores and function readings (``outcomes``), the same
history as the next-step panel.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction

from taut.accounts.actors import Actor
from taut.aftercare import services as aftercare
from taut.clinical import payer
from taut.outcomes import queries as outcomes
from taut.outcomes import services as next_steps
from taut.reminders import services as reminders
from taut.visits import queries as visits
from taut.visits.models import Addendum, Note, Visit
from taut.visits.services import note as notes
from taut.workflows import printing


def payer_history(visit: Visit) -> list[payer.SessionRecord]:
    """The patient's signed sessions before ``visit``, as the payer rules read them."""
    return outcomes.payer_sessions(visit.patient, before=visit)


def note_context(visit: Visit, *, today: date, icd_confirmed: Iterable[str] = ()) -> dict[str, Any]:
    """Everything the draft note states (``visits.queries.note_context``), its payer checks
    read from the patient's history."""
    return visits.note_context(
        visit, history=payer_history(visit), today=today, icd_confirmed=icd_confirmed
    )


def sign_note(
    *, visit: Visit, version: int | str | None, icd_codes: Iterable[str], actor: Actor
) -> Note:
    """Sign the note, schedule the session's check-ins and queue their reminders, store
    the day the next-step decision falls due after it, and queue the note's and the
    aftercare handout's PDFs."""
    with transaction.atomic():
        note = notes.sign_note(
            visit=visit,
            version=version,
            icd_codes=icd_codes,
            history=payer_history(visit),
            actor=actor,
        )
        checkins = aftercare.schedule_checkins(visit=visit, actor=actor)
        reminders.queue_checkin_reminders(checkins=checkins, now=actor.now)
        next_steps.refresh_next_step_due(patient=visit.patient, now=actor.now)
        printing.queue_signed(visit)
    return note


def add_addendum(*, note: Note, text: str, actor: Actor) -> Addendum:
    """Sign an addendum to the note and queue the note's PDF again: the one rendered before
    it is never served once the addendum exists."""
    with transaction.atomic():
        addendum = notes.add_addendum(note=note, text=text, actor=actor)
        printing.queue_signed(note.visit, handout=False)
    return addendum
