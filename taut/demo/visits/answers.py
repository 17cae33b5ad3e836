"""A demo visit's intake answers: where it hurts most, what happened since the last
session's check-ins, and the intake form's data, from the patient's chart and story."""

from taut.aftercare.models import CheckIn
from taut.clinical import atlas, screening
from taut.demo.visits.plan import (
    INDICATION_OF_CONDITION,
    MAX_DRIFT,
    REASON_OF_GROUP,
    REGIONAL_INDICATIONS,
    WEAR_OFF_DAYS,
)
from taut.visits import queries


def _index(marks) -> tuple[str, str, str]:
    """The main pain of a drawing: (region, side or "" for middle/both, region group)."""
    top = max(marks, key=lambda mark: mark[2])
    sides = {side for region, side, _ in marks if region == top[0]}
    region = atlas.REGIONS[top[0]]
    side = "" if region.midline or len(sides) > 1 else top[1]
    return top[0], side, region.group


def _since_last_checkin(rng, patient, course, day) -> dict | None:
    """A returning patient's pain for the intake on ``day``: where their last answered
    check-in left it, drifting back toward their pain before the first session as relief
    wears off (at most 1.5 points, over about two months), with a little noise; and the
    best relief they reported after their last session. None: no answered check-in."""
    if course.untreated is None:
        return None
    done = list(
        CheckIn.objects.filter(
            patient=patient, completed_at__isnull=False, nrs__isnull=False, due_on__lt=day
        )
        .select_related("visit__intake")
        .order_by("due_on", "offset_days")
    )
    if not done:
        return None
    last = done[-1]
    wear = min(1.0, (day - last.due_on).days / WEAR_OFF_DAYS)

    def back(value, untreated):
        drift = min(MAX_DRIFT, max(0, untreated - value) * wear)
        return max(0, min(10, round(value + drift + rng.uniform(-0.5, 0.5))))

    average = max(1, back(last.nrs, course.untreated[0]))
    now = max(1, min(10, average + rng.randint(-1, 1)))
    session = max((c.visit for c in done), key=lambda v: v.scheduled_for)
    baseline = session.intake.nrs_average
    reported = [
        (baseline - c.nrs) / baseline for c in done if c.visit_id == session.pk and baseline
    ]
    return {
        "nrs_now": now,
        "nrs_average": average,
        "nrs_worst": min(10, max(now, average) + rng.randint(1, 2)),
        "peg_enjoyment": back(last.peg_enjoyment, course.untreated[1]),
        "peg_activity": back(last.peg_activity, course.untreated[2]),
        "relief": max(0, min(100, 10 * round(10 * max(reported, default=0)))),
    }


def _intake_data(rng, chart, marks, course, day, *, top, red_flag=None, since=None) -> dict:
    """The intake's answers: pain near ``top`` (the worst drawn) at a first visit, from
    ``since`` (the last check-ins, see ``_since_last_checkin``) at a repeat one."""
    region, side, group = _index(marks)
    now = max(3, min(10, top + rng.randint(-1, 1)))
    average = max(3, min(10, top + rng.randint(-2, 0)))
    worst = min(10, max(now, average) + rng.randint(0, 2))
    enjoyment = max(0, min(10, average + rng.randint(-2, 1)))
    activity = max(0, min(10, average + rng.randint(-2, 1)))
    if since:
        now, average, worst = since["nrs_now"], since["nrs_average"], since["nrs_worst"]
        enjoyment, activity = since["peg_enjoyment"], since["peg_activity"]
    previous = course.previous[-1] if course.previous else None
    since_first = (day - course.previous[0][0]).days if previous else 0
    if previous:
        muscles = ", ".join(sorted({queries.muscle_name(m).lower() for m in previous[1]}))
        if since:
            relief = since["relief"]  # the best the patient reported at the check-ins
        else:  # no call answered: a little less than straight after the shots
            before, after = previous[2], previous[3]
            relief = max(0, round(100 * (before - after) / before) - 10) if before else 0
        history = (True, f"Here on {previous[0]:%-d %b %Y} ({muscles})", relief)
    elif rng.random() < 0.15:
        history = (True, "Elsewhere, about two years ago (neck)", rng.choice([20, 30, 50]))
    else:
        history = (False, "", None)
    red_flags = {q.id: False for q in screening.NECK_RED_FLAGS + screening.BACK_RED_FLAGS}
    if red_flag:
        red_flags[red_flag[0]] = True
    known = [
        INDICATION_OF_CONDITION[name]
        for name in dict.fromkeys(chart.conditions)
        if name in INDICATION_OF_CONDITION
    ]
    # A regional indication counts where this visit's main pain is.
    here = [i for i in known if group in REGIONAL_INDICATIONS.get(i, {group})]
    indications = [str(i) for i in here or known]
    return {
        "reason": ("Follow-up: " if previous else "") + REASON_OF_GROUP[group],
        "index_region": region,
        "index_side": side,
        "pain_months": min(1200, course.first_months + since_first // 30),
        "nrs_now": now,
        "nrs_average": average,
        "nrs_worst": worst,
        "peg_pain": average,
        "peg_enjoyment": enjoyment,
        "peg_activity": activity,
        "red_flags": red_flags,
        "site_infection_or_broken_skin": False,
        "acute_muscle_trauma_at_site": False,
        "pregnant": False,
        "bleeding_disorder": False,
        "anticoagulant_or_antiplatelet": bool(chart.antithrombotics),
        "anaesthetic_allergies": sorted(set(chart.anaesthetic_allergies)),
        "needle_phobia": False,
        "steroid_planned": False,
        "diabetes": chart.diabetes,
        "diabetes_poorly_controlled": False if chart.diabetes else None,
        "conservative_care": course.care,
        "conservative_care_weeks": course.care_weeks + since_first // 7,
        "previous_tpi": history[0],
        "previous_tpi_details": history[1],
        "previous_tpi_relief": history[2],
        "indications": indications,
    }
