"""Demo history for the clinician's reviews: readings of function and next-step decisions.

After a session's week-6 follow-up the treating clinician reads function on the PEG interference
items, as the evidence suggests (``taut.clinical.outcomes.function_evidence``), so a
responder's repeat can be judged under the default payer policy. Then, for a few patients,
the next-step decision is recorded as a clinician would: stop and refer after repeated
non-response, a review date where data is short, a repeat where the policy allows it. The
rest stay on the worklist's "Next step due", as in a real clinic.
"""

import random
from datetime import datetime, time, timedelta

from taut.accounts.actors import Actor
from taut.accounts.roles import Role
from taut.clinical.outcomes import FunctionSuggestion
from taut.outcomes import queries
from taut.outcomes.models import FunctionReading
from taut.outcomes.services import record_decision, record_function_reading
from taut.patients.models import Patient

READ_AFTER_DAYS = 42  # the week-6 follow-up
LATER = "Read at the week-6 review, from the follow-ups up to then."
NOTES = {
    "stop": "No lasting relief after repeated sessions. Referred to physiotherapy-led "
    "rehabilitation and pain psychology; no further injections planned.",
    "review": "Too little follow-up to judge yet. Review after the next check-ins.",
    "repeat": "",
}


def agrees(suggestion: FunctionSuggestion, *, improved: bool) -> bool | None:
    """Whether a reading agrees with what the figures suggest now (None: they suggest nothing)."""
    if suggestion == FunctionSuggestion.UNKNOWN:
        return None
    return improved == (suggestion == FunctionSuggestion.IMPROVED)


def seed_reviews(*, clinic, staff, seed: int, now: datetime) -> None:
    """Readings of function for sessions past week 6 (each read on its week-6 day), then a
    few decisions, made now."""
    if FunctionReading.objects.filter(patient__clinic=clinic).exists():
        return
    clinician = Actor.staff(staff[Role.CLINICIAN], now=now)
    today = clinician.today
    rng = random.Random(f"{seed}-reviews")
    patients = Patient.objects.filter(clinic=clinic).order_by("mrn")
    wanted = {"stop": 2, "review": 1, "repeat": 1}
    for patient in patients:
        sessions = queries.sessions_for_patient(patient)
        for session in sessions:
            # Read on the week-6 day from what was known then: the follow-ups up to week 6
            # (the session's suggestion today may read a later check-in, e.g. week 12).
            known = [p for p in session.function.followups if p.day <= READ_AFTER_DAYS]
            old_enough = (today - session.day).days >= READ_AFTER_DAYS
            if old_enough and known:
                improved = known[-1].meaningful
                suggestion = session.function.suggestion
                day = session.day + timedelta(days=READ_AFTER_DAYS)
                read = datetime.combine(day, time(16, 30), tzinfo=clinician.zone)
                record_function_reading(
                    visit=session.visit,
                    improved=improved,
                    scale=FunctionReading.Scale.PEG,
                    # The service compares with what the figures suggest now: a reading made
                    # at week 6 that a later check-in contradicts says so.
                    note=LATER if agrees(suggestion, improved=improved) is False else "",
                    actor=_treating(session, clinician).at(min(read, now)),
                )
        if not sessions:
            continue
        sessions = queries.sessions_for_patient(patient)
        advice = queries.next_step_for(patient, sessions, today=today)
        choice = {"reconsider": "stop", "needs_data": "review", "repeat": "repeat"}.get(
            str(advice.action) if advice else ""
        )
        if advice is None or choice is None or wanted[choice] == 0 or rng.random() < 0.3:
            continue
        wanted[choice] -= 1
        record_decision(
            patient=patient,
            visit=sessions[-1].visit,
            decision=choice,
            note=NOTES[choice],
            review_on=today + timedelta(days=28) if choice == "review" else None,
            advice_seen=queries.advice_fingerprint(advice, sessions),
            decision_seen=None,
            actor=_treating(sessions[-1], clinician),
        )


def _treating(session, clinician: Actor) -> Actor:
    """The clinician who treated the session (``clinician`` if none is named), at the same
    moment: each clinician reads and decides for their own patients."""
    if session.visit.clinician is None:
        return clinician
    return Actor.staff(session.visit.clinician, now=clinician.now)
