"""One demo visit, step by step, through the real visit services."""

from datetime import datetime, timedelta
from decimal import Decimal

from taut.clinical import atlas, consent, dosing, payer, site_checks
from taut.demo.visits import structures
from taut.demo.visits.answers import _index, _intake_data, _since_last_checkin
from taut.demo.visits.discharge import discharge
from taut.demo.visits.injectate import _needle, _plan, _weight
from taut.demo.visits.plan import (
    ADDENDA,
    AMIDES,
    BACK_GROUPS,
    COMPLICATIONS,
    FINDINGS,
    OVERRIDE_CEILING,
    OVERRIDE_REASON,
    PNEUMOTHORAX_ADDENDUM,
    RED_FLAG_REFERRALS,
    SAFE_FRACTION,
    STEROID,
    State,
    _marks,
    _nearest,
)
from taut.visits import queries
from taut.visits.models import InjectionSite, ScreeningDecision, TriggerPointFinding, Visit
from taut.visits.services import exam, intake, procedure, visit
from taut.workflows import booking, notes

# When each step of a past visit is written, in minutes after its start; today's visits are
# written as the seed runs.
BOOKED_DAYS_BEFORE = 14
STEP_MINUTES = {
    "intake": 5,
    "decision": 8,
    "exam": 12,
    "consent": 20,
    "weight": 22,
    "time_out": 24,
    "end": 25,
    "sites": 30,
    "immediate": 34,
}


def _at(run, when: datetime, step: str) -> datetime:
    """When ``step`` of the visit at ``when`` is written: on the visit's day for a past
    visit, now for today's."""
    if when.astimezone(run.clinic.zone()).date() < run.today:
        return when + timedelta(minutes=STEP_MINUTES[step])
    return run.now


DEMO_MINUTES = 30


def _visit(run, rng, patient, chart, drawings, course, when, *, end=None, stop=State.SIGNED):
    """Walk one visit from scheduling to ``stop`` (or to an ending), as a clinic would.

    Every write refreshes the visit it is given (``touch_visit``), so ``v`` carries the
    current version from one step to the next. A past visit was booked two weeks ahead,
    before the clinic emailed pre-visit links (the visit service alone); today's are booked
    as a clinic books them now (``taut.workflows.booking``, which emails the link for a
    visit still ahead).
    """
    past = when.astimezone(run.clinic.zone()).date() < run.today
    # The demo books on half-hour slots: a first visit or a repeat session, 30 minutes.
    kind = Visit.Kind.REPEAT_SESSION if course.previous else Visit.Kind.NEW_ASSESSMENT
    if past:
        booked = run.act(run.desk, when - timedelta(days=BOOKED_DAYS_BEFORE))
        v = visit.schedule_visit(
            patient=patient, scheduled_for=when, clinician=run.clinician, kind=kind,
            duration_minutes=DEMO_MINUTES, actor=booked,
        )  # fmt: skip
    else:
        v = booking.book_visit(
            patient=patient,
            scheduled_for=when,
            clinician=run.clinician,
            kind=kind,
            duration_minutes=DEMO_MINUTES,
            actor=run.act(run.desk, run.now),
        )
    if stop == State.SCHEDULED:
        return v
    drawing = _nearest(drawings, when.date())
    marks = _marks(drawing)
    where = "back" if _index(marks)[2] in BACK_GROUPS else "neck"
    red_flag = rng.choice(RED_FLAG_REFERRALS[where]) if end == "referred" else None
    since = _since_last_checkin(rng, patient, course, when.date())
    # Before any session, the pain is the worst the patient has drawn.
    worst_drawn = max(m.intensity for d in drawings for m in d.marks.all())
    data = _intake_data(
        rng, chart, marks, course, when.date(), red_flag=red_flag, since=since, top=worst_drawn
    )
    # A steroid at the patient's first session, where they chose one: planned at intake
    # (poorly controlled diabetes asked: none in the demo), given at the first site.
    steroid = (
        course.choices.steroid
        and not course.previous
        and past
        and end is None
        and not AMIDES & set(chart.anaesthetic_allergies)
    )
    if steroid:
        data["steroid_planned"], data["diabetes_poorly_controlled"] = True, False
    if course.untreated is None:
        course.untreated = (data["nrs_average"], data["peg_enjoyment"], data["peg_activity"])
    goals = [(text, rng.choice([-2, -1, -1])) for text in course.goals]
    intake.save_intake(
        visit=v,
        version=v.version,
        data=data,
        goals=goals,
        drawing=drawing,
        actor=run.act(run.nurse, _at(run, when, "intake")),
    )
    if stop == State.INTAKE_DONE:
        return v  # today's: screening verdict shown, the clinician's decision still to come
    _decide(run, v, chart, red_flag, at=_at(run, when, "decision"))
    if end == "referred":
        return _end(run, v, "referred", when)
    if not queries.procedure_gate(v)[0]:
        return _end(run, v, "not_eligible", when)  # a verdict the demo does not decide
    # A caution case or two: a light patient with a wide session, dosed near the maximum.
    latest = max(chart.weights, default=(None, 99))[1]
    roll = rng.random()
    caution = (
        run.caution_left > 0
        and end is None
        and latest < 66
        and not AMIDES & set(chart.anaesthetic_allergies)
        and roll < 0.35
    )
    # Then a few past ones where the clinician goes a little past the maximum, with a reason.
    override = (
        not caution
        and run.override_left > 0
        and past
        and end is None
        and latest < 62
        and not AMIDES & set(chart.anaesthetic_allergies)
        and roll < 0.6
    )
    run.override_left -= override  # one of the few, whether or not a site goes past
    findings = _examine(
        run,
        rng,
        v,
        marks,
        none_active=end == "no_active_points",
        wide=caution or override,
        when=when,
    )
    # Now and then a ligament or tendon the drawing suggests, examined and injected too.
    plain = past and end is None and not (steroid or caution or override)
    structure = plain and structures.structure_for(run, patient, marks, findings)
    if structure:
        at = run.act(run.clinician, _at(run, when, "exam"))
        structure_finding = structures.examine(run, v, *structure, actor=at)
    if stop == State.EXAMINED:
        return v
    if end is not None:
        return _end(run, v, end, when)
    _consent(run, v, when)
    sites = _inject(
        run,
        rng,
        v,
        chart,
        findings,
        when,
        caution=caution,
        override=override,
        steroid=steroid,
        dry_needling=course.choices.dry_needling,
    )
    if structure and sites:
        at = run.act(run.clinician, _at(run, when, "sites"))
        added = structures.inject(
            run, v, structure[0], structure_finding, sites[-1], ceiling=SAFE_FRACTION, actor=at
        )
        sites += [added] if added else []
    nrs_before = max(1, min(10, data["nrs_now"] + rng.randint(-1, 0)))
    nrs_after = max(0, nrs_before - rng.randint(2, 5))
    roll = rng.random()  # drawn either way, so one patient's course never shifts another's
    complication, action = (
        _complication(run, roll, chart, sites, days_ago=(run.today - when.date()).days)
        if past
        else ("none", "")
    )
    procedure.record_immediate(
        visit=v,
        version=v.version,
        nrs_before=nrs_before,
        nrs_after=nrs_after,
        complications=[complication],
        action=action,
        actor=run.act(run.nurse, _at(run, when, "immediate")),
    )
    course.previous.append((when.date(), [s.muscle for s in sites], nrs_before, nrs_after))
    if stop == State.PROCEDURE_DOCUMENTED:
        return v  # today's: the watch after the needle still running, the note unsigned
    discharged_at = discharge(run, v, past)
    return _sign(run, rng, v, when, past, after=discharged_at, addendum=_addendum(complication))


def _complication(run, roll, chart, sites, *, days_ago: int) -> tuple[str, str]:
    """A past session's complication, if any (``plan.COMPLICATIONS``, each up to its cap),
    and what was done, from the session's ``roll``: a vasovagal reaction or a haematoma at
    any session, bleeding only on a blood thinner, a suspected pneumothorax only where a
    site over the lung was needled by landmark, at a session old enough for the emergency
    department's letter and the check-ins after it to be in."""
    landmark = [(s.muscle, s.side) for s in sites if s.guidance == InjectionSite.Guidance.LANDMARK]
    possible = {
        "vasovagal": True,
        "haematoma": True,
        "bleeding": bool(chart.antithrombotics),
        "pneumothorax": days_ago > 35 and bool(consent.pneumothorax_sites(landmark)),
    }
    below = 0.0
    for kind, _, chance, action in COMPLICATIONS:
        if possible[kind] and below <= roll < below + chance and run.complications_left[kind]:
            run.complications_left[kind] -= 1
            return kind, action
        below += chance if possible[kind] else 0
    return "none", ""


def _addendum(kind: str) -> str:
    """An addendum the complication calls for (the emergency department's letter)."""
    return PNEUMOTHORAX_ADDENDUM if kind == "pneumothorax" else ""


def _decide(run, v, chart, red_flag, *, at: datetime):
    """The clinician's recorded decision on a "needs review" or "not eligible" verdict."""
    status = v.intake.verdict_status
    if status == "not_eligible" and red_flag:
        kind, reason = ScreeningDecision.Kind.DO_NOT_PROCEED, red_flag[1]
    elif status == "not_eligible" and _amide_only(v):
        kind = ScreeningDecision.Kind.OVERRIDE
        reason = (
            "Amide allergy: no lidocaine or bupivacaine today. Saline or dry needling only, "
            "agreed with the patient."
        )
    elif status == "needs_review":
        codes = {r["code"] for r in v.intake.verdict_reasons}
        parts = []
        if "anticoagulant_or_antiplatelet" in codes:
            drugs = " and ".join(sorted(set(chart.antithrombotics)))
            parts.append(
                f"On {drugs.lower()}: no bleeding or bruising history; 27 G needle and "
                "firm pressure at each site"
            )
        if "short_conservative_care" in codes:
            parts.append("Pain limits the exercise programme; injection lets it progress")
        if "fibromyalgia_investigational" in codes:
            parts.append("Active trigger points on examination; self-pay agreed")
        parts = parts or ["Reviewed with the patient: benefit outweighs the risk today"]
        kind, reason = ScreeningDecision.Kind.PROCEED, ". ".join(parts) + "."
    else:
        return None
    return intake.record_decision(
        visit=v, version=v.version, kind=kind, reason=reason, actor=run.act(run.clinician, at)
    )


def _amide_only(v) -> bool:
    """The verdict excludes only for the amide allergy, which a clinician may override."""
    exclusions = {r["code"] for r in v.intake.verdict_reasons if r["kind"] == "exclusion"}
    return exclusions == {"allergy_amide"}


def _examine(
    run, rng, v, marks, *, when, none_active=False, wide=False
) -> list[TriggerPointFinding]:
    """1-5 findings on muscles the drawing suggests, most in one payer region."""
    # The muscles only, ranked as before the ligaments and tendons joined the ranking.
    ranked = [s for s in atlas.rank(marks) if s.muscle_id in atlas.MUSCLES]
    suggestions = [
        s
        for s in ranked[:14]
        if not atlas.MUSCLES[s.muscle_id].high_risk
        and atlas.MUSCLES[s.muscle_id].evidence == atlas.Evidence.SEEN
    ] or ranked[:6]
    target = payer.MUSCLE_REGION[suggestions[0].muscle_id]
    same = [s for s in suggestions if payer.MUSCLE_REGION[s.muscle_id] == target][:6]
    other = [s for s in suggestions if payer.MUSCLE_REGION[s.muscle_id] != target][:3]
    wanted = 5 if wide else rng.choices([1, 2, 3, 4, 5], weights=[10, 25, 30, 20, 15])[0]
    chosen = [same[0], *rng.sample(same[1:], k=min(wanted - 1, len(same) - 1))]
    if len(chosen) < wanted and other:
        chosen.append(other[0])
    findings = []
    for number, suggestion in enumerate(chosen):
        if none_active:
            kind = "latent" if number == 0 else rng.choice(["latent", "not_confirmed"])
        elif number == 0 or wide:
            kind = "active"
        else:
            kind = rng.choices(["active", "latent", "not_confirmed"], weights=[80, 12, 8])[0]
        muscle = atlas.MUSCLES[suggestion.muscle_id]
        referred = suggestion.primary_matches or suggestion.secondary_matches
        data = {
            "muscle": muscle.id,
            "side": str(suggestion.side),
            "location": rng.choice(muscle.trp_locations)[:200] if muscle.trp_locations else "",
            "referred_to": ", ".join(
                dict.fromkeys(atlas.REGIONS[m.region_id].label.split(" (")[0] for m in referred)
            )[:200]
            if FINDINGS[kind]["referred_pain"]
            else "",
            **FINDINGS[kind],
            "twitch": rng.choice([True, None, None, False]) if kind != "not_confirmed" else None,
            "jump_sign": rng.choice([True, None]) if kind == "active" else None,
            "limited_stretch": rng.choice([True, None]) if kind != "not_confirmed" else None,
        }
        if rng.random() < 0.3:
            data["ppt"] = Decimal(rng.randint(14, 38)) / 10
            data["ppt_unit"] = "kg/cm2"
        clinician = run.act(run.clinician, _at(run, when, "exam"))
        findings.append(exam.add_finding(visit=v, version=v.version, data=data, actor=clinician))
    return findings


def _end(run, v, reason, when):
    clinician = run.act(run.clinician, _at(run, when, "end"))
    visit.end_visit(visit=v, version=v.version, reason=reason, actor=clinician)
    return v


def _consent(run, v, when) -> None:
    """Consent to the risks the examined sites call for, then the time-out."""
    risks = [
        str(r)
        for r in consent.required_risks(
            queries.planned_sites(v), steroid=queries.steroid_planned(v)
        )
    ]
    at = _at(run, when, "consent")
    procedure.record_consent(
        visit=v,
        version=v.version,
        consented_by="The patient",
        consented_at=at,
        risks=risks,
        actor=run.act(run.clinician, at),
    )
    items = [str(item) for item in consent.TIME_OUT_ITEMS]
    nurse = run.act(run.nurse, _at(run, when, "time_out"))
    procedure.record_time_out(visit=v, version=v.version, items=items, actor=nurse)


def _inject(
    run,
    rng,
    v,
    chart,
    findings,
    when,
    *,
    caution=False,
    override=False,
    steroid=False,
    dry_needling=False,
) -> list[InjectionSite]:
    """Weight, then one site per active point in the main region, under the dose guard
    (with ``steroid``, the first anaesthetic site carries ``plan.STEROID``; with
    ``override``, a site that takes the session past the maximum carries the clinician's
    reason). Deep muscles are needled under ultrasound (``Run.ultrasound``)."""
    day = when.astimezone(run.clinic.zone()).date()
    weight = _weight(run, rng, chart, day)
    nurse = run.act(run.nurse, _at(run, when, "weight"))
    procedure.start_procedure(visit=v, version=v.version, actor=nurse, weight_kg=weight)
    clinician = run.act(run.clinician, _at(run, when, "sites"))
    region = payer.MUSCLE_REGION[findings[0].muscle]
    # Every active point of a session dosed past the maximum, in whichever region.
    targets = [
        f
        for f in findings
        if f.kind == "active" and (override or payer.MUSCLE_REGION[f.muscle] == region)
    ][:5]
    kind, agent, percent = _plan(rng, chart, caution or override, dry_needling=dry_needling)
    ceiling = OVERRIDE_CEILING if override else 0.95 if caution else SAFE_FRACTION
    lot, expiry = "", None
    if kind != "dry_needling" and rng.random() < 0.7:
        lot = (
            f"{(agent or 'saline')[:2].upper()}{day:%y}{rng.randint(100, 999)}{rng.choice('ABCD')}"
        )
        expiry = (day + timedelta(days=rng.randint(180, 600))).replace(day=1)
    sites: list[InjectionSite] = []
    for finding in targets:
        ultrasound = run.ultrasound(finding.muscle)
        gauge, length = _needle(finding.muscle, thin=bool(chart.antithrombotics), deep=ultrasound)
        site = InjectionSite(
            muscle=finding.muscle,
            side=finding.side,
            kind=kind,
            agent=agent,
            percent=percent,
            needle_gauge=gauge,
            needle_length_mm=length,
            aspiration=kind != "dry_needling",
            twitch=bool(finding.twitch) or rng.random() < 0.3,
            guidance=InjectionSite.Guidance.ULTRASOUND
            if ultrasound
            else InjectionSite.Guidance.LANDMARK,
            # A chest-wall site: the clinician confirms the risk of a landmark needle.
            high_risk_confirmed=site_checks.high_risk(finding.muscle) is not None
            and not ultrasound,
            lot_number=lot,
            expiry=expiry,
        )
        if kind != "dry_needling":
            site.volume_ml = _volume(rng, v.procedure, site, ceiling, caution or override)
            if site.volume_ml is None:
                break  # even 1 mL more would pass the ceiling: stop here
        if steroid and kind == "anaesthetic" and not sites:
            site.steroid, site.steroid_mg = STEROID[0], Decimal(STEROID[1])
        check = queries.dose_check(v.procedure, extra=site)
        if override and check.status == dosing.DoseStatus.EXCEEDED:
            site.override_reason = OVERRIDE_REASON
        sites.append(procedure.add_site(visit=v, version=v.version, site=site, actor=clinician))
    if caution:
        status = queries.dose_check(v.procedure).status
        run.caution_left -= status == dosing.DoseStatus.CAUTION
    return sites


def _volume(rng, proc, site, ceiling, caution) -> Decimal | None:
    """The largest usual volume, from a typical one down to 1 mL, that keeps the session
    within ``ceiling`` of the weight-based maximum (checked with the service's dose check)."""
    small = payer.MUSCLE_REGION[site.muscle] in ("cephalic", "facial", "cervical", "upper_limb")
    if caution:
        start = Decimal("3")
    else:
        start = Decimal(rng.choice(["1", "1.5", "2"] if small else ["1.5", "2", "2.5", "3"]))
    volume = start
    while volume >= 1:
        site.volume_ml = volume
        if site.kind != "anaesthetic" or queries.dose_check(proc, extra=site).fraction <= ceiling:
            return volume
        volume -= Decimal("0.5")
    return None


def _sign(run, rng, v, when, past, *, after, addendum=""):
    """Sign the note (a past one later that day, once the patient has gone home), which
    schedules the check-ins and queues their reminders; now and then an addendum a day or
    three later, and the ``addendum`` given the next day."""
    icd = [s.code for s in queries.icd_suggestions(v)[:1]]
    signed_at = when + timedelta(minutes=rng.randint(35, 150)) if past else run.now
    signed_at = max(signed_at, after)
    clinician = run.act(run.clinician, signed_at)
    signed = notes.sign_note(visit=v, version=v.version, icd_codes=icd, actor=clinician)
    if rng.random() < 0.08:
        at = signed_at + timedelta(days=rng.randint(1, 3))
        if at < run.now:
            text = rng.choice(ADDENDA)
            if not addendum:  # the complication's own addendum says what followed
                notes.add_addendum(note=signed, text=text, actor=clinician.at(at))
    if addendum and signed_at + timedelta(days=1) < run.now:
        notes.add_addendum(
            note=signed, text=addendum, actor=clinician.at(signed_at + timedelta(days=1))
        )
    return v
