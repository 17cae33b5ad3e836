"""A few demo sessions that also examine and inject a ligament or tendon (issue 15).

Each entry of ``STRUCTURE_SESSIONS`` is used once in a run, by the first past session (in the
patients' MRN order) whose pain drawing suggests that site near the top of the finder's
ranking (``atlas.rank``, muscles and structures together), on the suggested side: the
clinician examines it by its own findings (``structure_exam``) beside the muscles and injects
it after them, with the session's injectate, under the same dose guard. One patient has one
such session; a session hosts one only when it is a plain one (no steroid, no caution case)
with at most ``max_muscles`` muscles to inject (four: every demo note stays within five
sites).

None of this draws from the patient's random stream, and the site is added after the
muscles: the rest of the session (its muscles, volumes, scores and signature) and every
other patient's history stay as they were without it.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from taut.clinical import atlas, dosing, payer
from taut.patients.models import Patient
from taut.visits import queries
from taut.visits.models import InjectionSite, TriggerPointFinding, Visit
from taut.visits.services import exam, procedure


@dataclass(frozen=True)
class StructureSession:
    site: str  # an atlas structure id
    volume_ml: Decimal  # the most given there; less if the dose guard's ceiling needs it
    needle: tuple[int, Decimal]  # gauge, length (mm)
    sclerosant: str = ""  # prolotherapy: the sclerosant beside the anaesthetic
    max_muscles: int = 4  # muscles injected beside it at most (five sites a session)


# In the order they are handed out. Codes: a ligament or tendon sheath is 20550, a tendon
# origin or insertion 20551 (taut.clinical.session_codes); prolotherapy is coded and flagged
# as not covered by Medicare (NCD 150.7) apart.
STRUCTURE_SESSIONS = (
    # With one or two muscles: 20552 and 20550, as in the browser journey.
    StructureSession("iliolumbar_ligament", Decimal("2"), (25, Decimal("50")), max_muscles=2),
    StructureSession("supraspinatus_tendon", Decimal("1"), (25, Decimal("38"))),
    StructureSession("gluteal_tendon_insertions", Decimal("2"), (22, Decimal("75"))),
    StructureSession("biceps_long_head_tendon", Decimal("1"), (25, Decimal("38"))),
    StructureSession(
        "posterior_sacroiliac_ligaments", Decimal("2"), (25, Decimal("50")), sclerosant="dextrose"
    ),
)
TOP = 12  # how far down the finder's suggestions the demo clinician looks
# Point tenderness at the site reproducing the patient's pain: symptomatic (structure_exam).
FINDINGS = {"point_tenderness": True, "recognised": True, "pain_on_stress": True, "swelling": False}


def structure_for(run, patient, marks, findings) -> tuple[StructureSession, str] | None:
    """The run's next unused structure session (and side) that this session's drawing
    suggests, if the session may host one; marks it used."""
    if patient.pk in run.structure_patients or not run.structure_sessions:
        return None
    muscles = len(_targets(findings)[:5])
    suggested = [(s.muscle_id, str(s.side)) for s in atlas.rank(marks)[:TOP]]
    for wanted in run.structure_sessions:
        side = next((side for site, side in suggested if site == wanted.site), None)
        if side is not None and muscles <= wanted.max_muscles:
            run.structure_sessions.remove(wanted)
            run.structure_patients.add(patient.pk)
            return wanted, side
    return None


def examine(run, v, wanted: StructureSession, side: str, *, actor) -> TriggerPointFinding:
    """The structure's own findings, after the muscles'."""
    structure = atlas.STRUCTURES[wanted.site]
    # Where the clinician felt it: the atlas's first sentence, as a note phrase (no full stop).
    where = structure.location.split(". ")[0].rstrip(".")[:200]
    data = {"muscle": structure.id, "side": side, "location": where, **FINDINGS}
    return exam.add_finding(visit=v, version=v.version, data=data, actor=actor)


def inject(run, v, wanted: StructureSession, finding, like: InjectionSite, *, ceiling, actor):
    """The structure's site, with the injectate, lot and expiry of the session's last muscle
    site, at the largest volume from ``wanted.volume_ml`` down to 0.5 mL within ``ceiling``
    of the weight-based maximum; None when even that would pass it, or when the session is
    dry needling (nothing to inject into a ligament or tendon)."""
    if like.kind == InjectionSite.Kind.DRY_NEEDLING:
        return None
    gauge, length = wanted.needle
    site = InjectionSite(
        muscle=finding.muscle,
        side=finding.side,
        kind=like.kind,
        agent=like.agent,
        percent=like.percent,
        needle_gauge=gauge,
        needle_length_mm=length,
        aspiration=True,
        sclerosant=wanted.sclerosant,
        lot_number=like.lot_number,
        expiry=like.expiry,
    )
    volume = wanted.volume_ml
    while volume >= Decimal("0.5"):
        site.volume_ml = volume
        check = queries.dose_check(v.procedure, extra=site)
        if site.kind != "anaesthetic" or (
            check.fraction <= ceiling and check.status == dosing.DoseStatus.OK
        ):
            return procedure.add_site(visit=v, version=v.version, site=site, actor=actor)
        volume -= Decimal("0.5")
    return None


def _targets(findings) -> list:
    """The muscles ``steps._inject`` injects: the active points in the first one's region."""
    if not findings:
        return []
    region = payer.MUSCLE_REGION[findings[0].muscle]
    return [f for f in findings if f.kind == "active" and payer.MUSCLE_REGION[f.muscle] == region]


@dataclass(frozen=True)
class StructureVisit:
    """A signed demo session with a ligament or tendon site, as ``taut demo`` names it."""

    patient: Patient
    day: date
    summary: str  # "Iliolumbar ligament (left): 20550; 20552 for 2 muscles"


def structure_sessions(clinic) -> list[StructureVisit]:
    """The clinic's signed sessions with a ligament or tendon site, oldest first: each with
    its note's code lines (``Note.codes``)."""
    visits = (
        Visit.objects.filter(
            patient__clinic=clinic,
            state=Visit.State.SIGNED,
            procedure__sites__muscle__in=list(atlas.STRUCTURES),
        )
        .distinct()
        .select_related("patient__clinic", "note")
        .prefetch_related("procedure__sites")
        .order_by("scheduled_for")
    )
    rows = []
    for v in visits:
        structure_lines, muscle_lines = [], []
        for line in v.note.codes:
            names = "; ".join(f"{s['name']} ({s['side']})" for s in line["sites"])
            if any(s["id"] in atlas.STRUCTURES for s in line["sites"]):
                units = f" x{line['units']}" if line["units"] > 1 else ""
                structure_lines.append(f"{names}: {line['code']}{units}")
            else:
                count = len(line["sites"])
                muscle_lines.append(f"{line['code']} for {count} muscle{'s' * (count != 1)}")
        structure_lines += [
            f"{site.get_sclerosant_display()}, not covered by Medicare"
            for site in v.procedure.sites.all()
            if site.sclerosant
        ]
        summary = "; ".join(structure_lines + muscle_lines)
        rows.append(StructureVisit(patient=v.patient, day=queries.session_date(v), summary=summary))
    return rows
