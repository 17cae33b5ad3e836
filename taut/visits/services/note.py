"""The procedure note: drafted from the visit's records, signed once, corrected by addenda.

What else signing does (scheduling check-ins, queueing their reminders) is composed in
``taut.workflows.signing``; ``sign_note`` writes the note alone.
"""

import hashlib
from collections.abc import Iterable, Sequence

from django.db import transaction
from django.template.loader import render_to_string

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import payer
from taut.visits import queries
from taut.visits.models import Addendum, Note, Visit
from taut.visits.services.allergies import check_recorded_sites, require_mapped_allergies
from taut.visits.services.common import Blocked, require, touch_visit

State = Visit.State


def sign_note(
    *,
    visit: Visit,
    version: int | str | None,
    icd_codes: Iterable[str],
    history: Sequence[payer.SessionRecord],
    actor: Actor,
) -> Note:
    """Sign the note: render it, store the snapshot and its SHA-256, and close the visit.

    ``history`` is the patient's earlier sessions for the payer checks the note states (read
    by the caller: ``taut.workflows.notes.payer_history``). The note is signed at
    ``actor.now``; the payer checks count from the day of the session.
    """
    require(actor, Need.SIGN, "Only a clinician signs notes.", visit=visit)
    day = queries.session_date(visit)
    if day > actor.today:
        # A note documents what was done: a visit on a later day has not happened yet.
        raise Blocked(f"This visit is on {day:%-d %b %Y}: its note can be signed from that day.")
    require_mapped_allergies(visit)
    check_recorded_sites(visit)
    missing = queries.missing_before_signing(visit)
    if missing:
        raise Blocked("Before signing, record " + ", ".join(missing) + ".")
    icd_codes = list(icd_codes)
    context = queries.note_context(
        visit, history=history, today=queries.session_date(visit), icd_confirmed=icd_codes
    )
    cpt, dry = context["cpt"], context["coding"].dry_needling
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, actor=actor, change="note signed", state=State.SIGNED
        )
        context["signed_by"], context["signed_at"] = actor.user, actor.now
        body = render_to_string("visits/note_body.html", context)
        note = Note.objects.create(
            signed_at=actor.now,
            visit=visit,
            body_html=body,
            sha256=hashlib.sha256(body.encode()).hexdigest(),
            cpt_code=cpt.code or "",
            dry_needling_code=dry.code or "",
            muscle_count=cpt.muscle_count,
            codes=context["codes"],
            icd_codes=icd_codes,
            signed_by=actor.user,
        )
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=visit,
            object_type="note",
            details={
                "cpt": cpt.code,
                "dry_needling": dry.code,
                "codes": [line["code"] for line in context["codes"]],
                "icd": icd_codes,
            },
        )
    return note


def add_addendum(*, note: Note, text: str, actor: Actor) -> Addendum:
    require(actor, Need.SIGN, "Only a clinician adds an addendum.", visit=note.visit)
    text = text.strip()
    if len(text) < 5:
        raise Blocked("Write the addendum (at least 5 characters).")
    if len(text) > 4000:
        raise Blocked("An addendum is at most 4000 characters.")
    stamp = actor.now.isoformat()
    digest = hashlib.sha256(f"{note.sha256}|{stamp}|{actor.user_id}|{text}".encode()).hexdigest()
    with transaction.atomic():
        addendum = Addendum.objects.create(
            note=note, text=text, sha256=digest, signed_by=actor.user, signed_at=actor.now
        )
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=note.visit.patient,
            obj=addendum,
            object_type="addendum",
        )
    return addendum
