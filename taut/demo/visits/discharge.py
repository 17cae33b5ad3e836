"""A demo session's end: the watch after the needle and the discharge."""

from datetime import datetime, timedelta

from taut.demo.visits.plan import PNEUMOTHORAX_TRANSFER
from taut.visits.services import observation

# Today's signed visits are written as the seed runs, minutes after their sites.
TODAY_CUT_SHORT = (
    "Went home early to collect a child; vital signs normal and no symptoms; told the early "
    "signs of LAST and to call 911 if they come."
)


def discharge(run, v, past) -> datetime:
    """The patient goes home after the clinic's watch, with ordinary vital signs (from the
    visit's id: no draw from the course's random stream). Today's visits are written as the
    seed runs, minutes after their sites, so their watch is recorded as cut short; so is a
    past one's where a suspected pneumothorax sent the patient to the emergency department."""
    injected = max(s.recorded_at for s in v.procedure.sites.all())
    minutes = v.procedure.observation_minutes or run.clinic.observation_minutes
    at = injected + timedelta(minutes=minutes + 2 + v.pk % 9) if past else run.now
    cut_short = "" if past else TODAY_CUT_SHORT
    if "pneumothorax" in v.procedure.complications:  # the ambulance came in the watch
        at, cut_short = injected + timedelta(minutes=25), PNEUMOTHORAX_TRANSFER
    vitals = {
        "heart_rate": 62 + v.pk % 19,
        "systolic": 110 + v.pk % 25,
        "diastolic": 68 + v.pk % 13,
        "spo2": 96 + v.pk % 4,
    }
    if cut_short == PNEUMOTHORAX_TRANSFER:
        vitals.update(heart_rate=104, spo2=94)  # on oxygen, handed to the ambulance crew
    observation.record_discharge(
        visit=v,
        version=v.version,
        discharged_at=at,
        vitals=vitals,
        symptoms=[],
        cut_short=cut_short,
        actor=run.act(run.nurse, at),
    )
    v.refresh_from_db()
    return at
