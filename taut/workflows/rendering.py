"""What each stored PDF is made of, and rendering it: the worker's half of printing.

A ``Printable`` names one document (the signed note, a session's aftercare handout, the
patient's outcomes summary) and digests the facts it is made of into a fingerprint, with a
few small queries and no rendering, so a download can ask for "the PDF of these facts"
(``taut.workflows.printing``). ``render_document`` is what ``taut worker`` runs: it renders
the document as the facts stand (WeasyPrint, about 0.6 s of CPU) and stores it under their
fingerprint (docs/decisions/0019-pdfs-rendered-once.md). The aftercare handout is in the
patient's language (docs/decisions/0026-patient-pages-in-english-and-spanish.md).
"""

import hashlib
import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from taut.accounts.actors import Actor
from taut.aftercare import queries as aftercare
from taut.lib.languages import patient_language
from taut.outcomes import pdf as outcomes_pdf
from taut.outcomes import queries as outcomes
from taut.patients.models import Patient
from taut.patients.printing import pdf_bytes
from taut.visits import queries as visits
from taut.visits.models import PrintedDocument, Visit
from taut.visits.services import printing as documents

Kind = PrintedDocument.Kind
ACTOR = "taut worker"


@dataclass(frozen=True)
class Printable:
    """One document as the facts stand now, named by their ``fingerprint``."""

    kind: str
    patient: Patient
    visit: Visit | None
    fingerprint: str
    addenda: int = 0  # the note's version: how many addenda it has

    @property
    def subject(self) -> uuid.UUID:
        return self.visit.public_id if self.visit is not None else self.patient.public_id


def _digest(*facts: Any) -> str:
    return hashlib.sha256(json.dumps(facts, default=str).encode()).hexdigest()


def _printed_for(patient: Patient) -> list[Any]:
    """What every printout's header shows: the patient's and the clinic's details."""
    return [patient.version, patient.clinic.version]


def note_printable(visit: Visit, patient: Patient) -> Printable:
    """The signed note of ``visit`` (a patient's, from the gate) with its addenda and the
    outcomes appendix: a new addendum, a check-in answered or a later session signed makes a
    new document."""
    note = visit.note
    addenda = list(note.addenda.values_list("sha256", flat=True))
    fingerprint = _digest(
        Kind.NOTE,
        note.sha256,
        visits.note_is_intact(note),
        addenda,
        outcomes.outcome_facts(patient),
        _printed_for(patient),
    )
    return Printable(Kind.NOTE, patient, visit, fingerprint, addenda=len(addenda))


def handout_language(patient: Patient) -> str:
    """The language of the patient's handout: their preferred language when Taut has it
    (English or Spanish), else English (``taut.lib.languages``)."""
    return patient_language(patient.preferred_language)


def handout_printable(visit: Visit, patient: Patient) -> Printable:
    """The aftercare handout of a session: its instructions as the rules give them, in the
    patient's language (part of the fingerprint: a change of language is a new PDF)."""
    handout = aftercare.handout_for(visit)
    fingerprint = _digest(
        Kind.AFTERCARE,
        repr(handout),
        visit.version,
        visit.scheduled_for,
        _printed_for(patient),
        handout_language(patient),
    )
    return Printable(Kind.AFTERCARE, patient, visit, fingerprint)


def summary_printable(patient: Patient, *, today: date) -> Printable:
    """The outcomes summary: its advice is as of ``today``, so it is made again each day
    it is asked for, and whenever a session is signed or a check-in answered."""
    fingerprint = _digest(
        Kind.OUTCOMES, outcomes.outcome_facts(patient), today, _printed_for(patient)
    )
    return Printable(Kind.OUTCOMES, patient, None, fingerprint)


def note_appendices(visit: Visit, *, now: datetime) -> list[str]:
    """What is printed after a signed note and its addenda, not part of the signed text:
    the outcomes chart and response table as of ``now``."""
    return [outcomes_pdf.note_section(visit=visit, printed_at=now)]


def _html(printable: Printable, *, now: datetime) -> str:
    patient, visit = printable.patient, printable.visit
    if printable.kind == Kind.OUTCOMES:
        return outcomes_pdf.summary_html(patient, printed_at=now)
    assert visit is not None
    if printable.kind == Kind.AFTERCARE:
        context = {
            "patient": patient,
            "visit": visit,
            "clinic": patient.clinic,
            "handout": aftercare.handout_for(visit),
        }
        with translation.override(handout_language(patient)):
            return render_to_string("aftercare/instructions_pdf.html", context)
    note = visit.note
    context = {
        "note": note,
        "clinic": patient.clinic,
        "patient": patient,
        "visit": visit,
        "addenda": note.addenda.select_related("signed_by"),
        "intact": visits.note_is_intact(note),
        "printed_at": now,
        # Printed after the note and its addenda; not part of the signed, hashed text.
        "appendices": note_appendices(visit, now=now),
    }
    return render_to_string("visits/note_pdf.html", context)


def printable_for(kind: str, subject: str, *, now: datetime) -> Printable | None:
    """The document ``kind`` of ``subject`` (a visit's or the patient's public id) as the
    facts stand at ``now``; None when there is nothing to print (no such record, or the
    note is not signed)."""
    if kind == Kind.OUTCOMES:
        patient = Patient.objects.select_related("clinic").filter(public_id=subject).first()
        if patient is None:
            return None
        return summary_printable(patient, today=now.astimezone(patient.clinic.zone()).date())
    visit = (
        Visit.objects.select_related("patient__clinic", "note").filter(public_id=subject).first()
    )
    if visit is None:
        return None
    if kind == Kind.AFTERCARE:
        return handout_printable(visit, visit.patient)
    if getattr(visit, "note", None) is None:
        return None
    return note_printable(visit, visit.patient)


def render_document(*, kind: str, subject: str, now: datetime) -> str:
    """Render and store the document unless a PDF of the same facts is stored already (the
    task may be queued twice: at signing and by someone waiting). Says what it did."""
    printable = printable_for(kind, subject, now=now)
    if printable is None:
        return "nothing to print"
    stored = visits.printed_document(
        kind=kind, subject=printable.subject, fingerprint=printable.fingerprint
    )
    if stored is not None and stored.ready:
        return "already stored"
    content = pdf_bytes(_html(printable, now=now), base_url="/")
    documents.store_document(
        kind=kind,
        patient=printable.patient,
        visit=printable.visit,
        fingerprint=printable.fingerprint,
        addenda=printable.addenda,
        content=content,
        actor=Actor.system(ACTOR, now=now, clinic=printable.patient.clinic),
    )
    return "rendered"
