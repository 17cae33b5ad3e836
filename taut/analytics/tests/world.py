"""A small clinic of stored session outcomes for the analytics tests, built directly: the
outcomes are derived rows, so the tests of the figures set them as they please, on real
patients and visits made through the services.

``TODAY`` is the day the figures count to (never the real date). Eleven patients each had
a first session 60 days before it (both windows closed) on the upper trapezius: six
responders at two weeks (≥ 50 %), two more at ≥ 30 % only, one with no relief and two
with no two-week score (relief at six weeks). Ten of them had a second session 30 days before (the two-week window
closed, the six-week one open) on the levator scapulae: five responders, five not. One
had a third session 5 days before (no window closed). A haematoma after one session of
each muscle. The other clinic has one session on the upper trapezius, with a haematoma.
"""

from datetime import datetime, time, timedelta

from django.utils import timezone

from taut.outcomes import daycounts
from taut.outcomes.models import SessionFacet, SessionOutcome
from taut.tests.cast import acting, make_patient
from taut.workflows import booking

TODAY = datetime(2026, 6, 30).date()
# Noon on TODAY on the test clinic's clock (the deployment's time zone: CI runs the suite in
# UTC+14 and UTC-11 too, where noon UTC is another day).
COMPUTED = datetime.combine(TODAY, time(12), tzinfo=timezone.get_default_timezone())
TRAPEZIUS, LEVATOR = "trapezius_upper", "levator_scapulae"
D = SessionFacet.Dimension
RESPONSES = ("resp30_2w", "resp50_2w", "resp30_6w", "resp50_6w", "relief_days", "relief_ended")


def outcome(patient, by, *, days_ago, number, muscle, complication="", **responses):
    """One stored session outcome of ``patient`` (on a visit booked through the service),
    with its muscle facet, and a complication facet when one is named."""
    visit = booking.book_visit(
        patient=patient,
        actor=acting(by),
        scheduled_for=COMPUTED - timedelta(days=days_ago),
    )
    row = SessionOutcome.objects.create(
        visit=visit,
        patient=patient,
        clinic=patient.clinic,
        day=TODAY - timedelta(days=days_ago),
        session_number=number,
        days_since_previous=None,
        baseline=6,
        guidance=SessionOutcome.Guidance.LANDMARK,
        method=SessionOutcome.Method.INJECTION,
        complications=1 if complication else 0,
        rule_version="test",
        computed_at=COMPUTED,
        **responses,
    )
    copied = {name: getattr(row, name) for name in RESPONSES}
    facets = [(D.MUSCLE, muscle)] + ([(D.COMPLICATION, complication)] if complication else [])
    SessionFacet.objects.bulk_create(
        SessionFacet(
            outcome=row,
            clinic=patient.clinic,
            patient=patient,
            day=row.day,
            dimension=dimension,
            value=value,
            **copied,
        )
        for dimension, value in facets
    )
    return row


# The first sessions' responses at two and six weeks (≥ 30 %, ≥ 50 %) and relief (days,
# ended).
FIRST = [
    (True, True, True, True, 42, False),
    (True, True, True, True, 42, False),
    (True, True, True, True, 42, False),
    (True, True, False, False, 28, True),
    (True, True, False, False, 28, True),
    (True, True, False, False, 28, True),
    (True, False, True, False, 14, True),
    (True, False, True, False, 14, True),
    (False, False, False, False, 14, True),
    (None, None, True, True, 42, False),  # no two-week score, relief at six weeks
    (None, None, True, True, 42, False),
]


def build(cast):
    patients = [
        make_patient(cast.clinic, cast.front_desk, mrn=f"A{n:04d}", given_name=f"Anna{n}")
        for n in range(len(FIRST))
    ]
    rows = []
    for n, (patient, (r30, r50, r30_6w, r50_6w, days, ended)) in enumerate(
        zip(patients, FIRST, strict=True)
    ):
        rows.append(
            outcome(
                patient,
                cast.clinician,
                days_ago=60,
                number=1,
                muscle=TRAPEZIUS,
                complication="haematoma" if n == 0 else "",
                resp30_2w=r30,
                resp50_2w=r50,
                resp30_6w=r30_6w,
                resp50_6w=r50_6w,
                relief_days=days,
                relief_ended=ended,
            )
        )
    for n, patient in enumerate(patients[:10]):
        responded = n < 5
        rows.append(
            outcome(
                patient,
                cast.clinician,
                days_ago=30,
                number=2,
                muscle=LEVATOR,
                complication="haematoma" if n == 9 else "",
                resp30_2w=responded,
                resp50_2w=responded,
                relief_days=21 if responded else 14,
                relief_ended=not responded,
            )
        )
    rows.append(outcome(patients[10], cast.clinician, days_ago=5, number=3, muscle=TRAPEZIUS))
    other = outcome(
        cast.other_patient,
        cast.outsider,
        days_ago=60,
        number=1,
        muscle=TRAPEZIUS,
        complication="haematoma",
        resp30_2w=True,
        resp50_2w=True,
        relief_days=42,
        relief_ended=True,
    )
    for clinic in (cast.clinic, cast.other_clinic):
        daycounts.rebuild(clinic.pk)  # the rows were made here, not stored by the service
    return patients, rows, other
