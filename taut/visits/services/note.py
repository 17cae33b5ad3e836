"""The procedure note: drafted from the visit's records, signed once, corrected by addenda."""

import hashlib

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.module_loading import import_string

from taut.audit.models import Action
from taut.clinical import coding, payer
from taut.visits import queries
from taut.visits.models import Addendum, InjectionSite, Note, Visit
from taut.visits.services.common import Blocked, audited, touch_visit

State = Visit.State


def coding_for(visit: Visit):
    """The CPT code (with the muscle count behind it) for the visit's sites."""
    sites = list(visit.procedure.sites.all()) if hasattr(visit, "procedure") else []
    dry = bool(sites) and all(s.kind == InjectionSite.Kind.DRY_NEEDLING for s in sites)
    return coding.cpt_coding([(s.muscle, s.side) for s in sites], dry_needling=dry)


def payer_decision(visit: Visit, *, today):
    """Repeat-session checks of the clinic's payer policy for this visit's sites."""
    sites = frozenset(s.muscle for s in visit.procedure.sites.all())
    history = payer.TreatmentHistory(
        sessions=tuple(import_string(settings.PAYER_HISTORY)(visit.patient, before=visit)),
        planned=payer.PlannedSession(
            sites=sites,
            conservative_programme_active=queries.conservative_programme(visit),
        ),
    )
    return payer.repeat_eligibility(history, on=today, policy=visit.patient.clinic.payer_policy)


def missing_before_signing(visit: Visit) -> list[str]:
    missing = []
    if visit.state != State.PROCEDURE_DOCUMENTED:
        missing.append("at least one injection site")
    if not hasattr(visit, "consent"):
        missing.append("consent")
    if not hasattr(visit, "time_out"):
        missing.append("the time-out")
    procedure = getattr(visit, "procedure", None)
    if procedure is None or procedure.nrs_before is None or procedure.nrs_after is None:
        missing.append("pain scores just before and after")
    if procedure is None or not procedure.complications:
        missing.append("complications (or “none”)")
    return missing


def session_date(visit: Visit):
    """The day the session took place: payer rules count from it, not from the signing."""
    return timezone.localdate(visit.scheduled_for)


def sign_note(*, visit: Visit, version, icd_codes, by, request=None, at=None) -> Note:
    """Sign the note: render it, store the snapshot and its SHA-256, and close the visit.

    ``at`` is the signing time: now, unless given (the demo's history signs in the past).
    """
    missing = missing_before_signing(visit)
    if missing:
        raise Blocked("Before signing, record " + ", ".join(missing) + ".")
    at = at or timezone.now()
    context = queries.note_context(visit, today=session_date(visit), icd_confirmed=icd_codes)
    cpt = context["cpt"]
    with transaction.atomic():
        touch_visit(
            visit=visit,
            version=version,
            by=by,
            request=request,
            change="note signed",
            state=State.SIGNED,
        )
        context["signed_by"], context["signed_at"] = by, at
        body = render_to_string("visits/note_body.html", context)
        note = Note.objects.create(
            signed_at=at,
            visit=visit,
            body_html=body,
            sha256=hashlib.sha256(body.encode()).hexdigest(),
            cpt_code=cpt.code or "",
            muscle_count=cpt.muscle_count,
            icd_codes=list(icd_codes),
            signed_by=by,
        )
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=visit,
            object_type="note",
            details={"cpt": cpt.code, "icd": list(icd_codes)},
        )
        # Later apps' work at signing (e.g. scheduling follow-up check-ins): it commits or
        # fails with the signature.
        for hook in settings.AFTER_SIGNING:
            import_string(hook)(visit=visit, by=by, request=request)
    return note


def add_addendum(*, note: Note, text: str, by, request=None, at=None) -> Addendum:
    text = text.strip()
    if len(text) < 5:
        raise Blocked("Write the addendum (at least 5 characters).")
    if len(text) > 4000:
        raise Blocked("An addendum is at most 4000 characters.")
    at = at or timezone.now()
    stamp = at.isoformat()
    digest = hashlib.sha256(f"{note.sha256}|{stamp}|{by.pk}|{text}".encode()).hexdigest()
    with transaction.atomic():
        addendum = Addendum.objects.create(
            note=note, text=text, sha256=digest, signed_by=by, signed_at=at
        )
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=note.visit,
            record=addendum,
            object_type="addendum",
        )
    return addendum


def note_is_intact(note: Note) -> bool:
    return hashlib.sha256(note.body_html.encode()).hexdigest() == note.sha256
