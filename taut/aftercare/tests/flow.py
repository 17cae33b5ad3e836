"""Set up signed sessions and check-in answers through the real services."""

from datetime import datetime, time

from taut.aftercare.queries import questions_for
from taut.clinical import checkins
from taut.tests.cast import acting
from taut.visits.tests import flow
from taut.workflows import notes


def signed(patient, clinician, sites=None):
    """A signed session (three upper-back sites unless ``sites`` are given)."""
    if sites is None:
        visit = flow.ready_to_sign(patient, clinician)
    else:
        visit = flow.scheduled(patient, clinician)
        visit = flow.with_intake(visit, clinician)
        visit = flow.examined(visit, clinician, [(s.muscle, s.side) for s in sites])
        visit = flow.consented(visit, clinician)
        visit = flow.finished(flow.with_sites(visit, clinician, sites), clinician)
    notes.sign_note(visit=visit, version=visit.version, icd_codes=[], actor=acting(clinician))
    visit.refresh_from_db()
    return visit


def answers(checkin, **overrides):
    """Plausible answers to every question the check-in asks: no warning signs."""
    asked, facts = questions_for(checkin)
    given = {}
    for question in asked:
        if question.scale is not None:
            given[question.id] = 3
        elif question.kind is checkins.Kind.WARNING:
            given[question.id] = "no"
        elif question.kind is checkins.Kind.PGIC:
            given[question.id] = "much_improved"
        elif question.kind is checkins.Kind.TREATMENTS:
            given[question.id] = ["stretching"]
        elif question.kind is checkins.Kind.GAS:
            given[question.id] = {str(g.pk): 0 for g in facts.goals}
    return {**given, **overrides}


def form_data(checkin, **overrides):
    """The check-in form's POST data for ``answers`` (GAS as one field per goal)."""
    data = {}
    for key, value in answers(checkin, **overrides).items():
        if key == "gas":
            data.update({f"gas_{n}": level for n, level in enumerate(value.values(), 1)})
        else:
            data[key] = value
    return data


def on_due_day(by, checkin):
    """``by`` acting at noon (the clinic's clock) on the check-in's due day: a score is dated
    the day it was answered, so a test that means "answered when due" says so."""
    zone = checkin.patient.clinic.zone()
    return acting(by, now=datetime.combine(checkin.due_on, time(12), tzinfo=zone))
