"""Reads for the watch after the needle: the observation record, the LAST checklist with the
lipid-emulsion dose for the patient's weight, and what is missing before the note is signed.

The rules are ``taut.clinical.last``; these functions gather the procedure's records for them.
"""

from datetime import datetime
from typing import Any

from taut.clinical import last
from taut.lib.text import sentence
from taut.visits.models import Procedure, Visit

Complication = Procedure.Complication
VITAL_LABELS = {
    "heart_rate": ("Heart rate", "beats/min"),
    "systolic": ("Blood pressure, systolic", "mmHg"),
    "diastolic": ("Blood pressure, diastolic", "mmHg"),
    "spo2": ("Oxygen saturation", "%"),
}


def last_injection_at(procedure: Procedure) -> datetime | None:
    """The minute the last site was recorded: the watch starts then (None: no site yet).
    To the minute, as the discharge form gives its time."""
    last = max((s.recorded_at for s in procedure.sites.all()), default=None)
    return last.replace(second=0, microsecond=0) if last else None


def observation_minutes(procedure: Procedure) -> int:
    """The watch in force for this procedure: copied from the clinic when it started (the
    clinic's current setting for a procedure started before the setting existed)."""
    if procedure.observation_minutes is not None:
        return procedure.observation_minutes
    return procedure.visit.patient.clinic.observation_minutes


def last_recorded(procedure: Procedure) -> bool:
    return Complication.LAST in (procedure.complications or ())


def symptoms(procedure: Procedure) -> tuple[last.Symptom, ...]:
    return tuple(last.Symptom(s) for s in procedure.discharge_symptoms or ())


def observation_missing(visit: Visit) -> list[str]:
    """What the note still needs about the watch after the needle (empty: nothing)."""
    procedure: Procedure | None = getattr(visit, "procedure", None)
    if procedure is None:
        return []
    missing = []
    injected = last_injection_at(procedure)
    if injected is not None and last.discharge_problems(
        last_injection_at=injected,
        minutes=observation_minutes(procedure),
        discharged_at=procedure.discharged_at,
        symptoms=symptoms(procedure),
        last_recorded=last_recorded(procedure),
        cut_short=procedure.observation_cut_short,
    ):
        missing.append("the discharge after the watch (or why the watch was cut short)")
    if last_recorded(procedure) and not procedure.last_steps:
        missing.append("what was done for suspected LAST (the checklist steps)")
    return missing


def _vital_rows(vitals: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"label": label, "value": vitals[name], "unit": unit}
        for name, (label, unit) in VITAL_LABELS.items()
        if name in vitals
    ]


def observation_record(procedure: Procedure) -> dict[str, Any]:
    """The watch as the procedure page and the note state it."""
    minutes = observation_minutes(procedure)
    injected = last_injection_at(procedure)
    return {
        "observation_minutes": minutes,
        "observation_policy": last.OBSERVATION,
        "observation_starts": injected,
        "observation_ends": last.observation_ends(injected, minutes) if injected else None,
        "discharged_at": procedure.discharged_at,
        "discharge_vitals": _vital_rows(procedure.discharge_vitals or {}),
        "discharge_symptoms": [s.label for s in symptoms(procedure)],
        "observation_cut_short": sentence(procedure.observation_cut_short),
        "last_suspected": last_recorded(procedure),
        "last_steps": [last.Step(s).label for s in procedure.last_steps or ()],
    }


def observation_context(visit: Visit) -> dict[str, Any]:
    """The procedure page's watch panel and LAST checklist (empty before the weight)."""
    procedure: Procedure | None = getattr(visit, "procedure", None)
    if procedure is None:
        return {"observation": None}
    return {
        "observation": observation_record(procedure),
        "last_checklist": list(last.CHECKLIST.values()),
        "lipid": last.lipid_emulsion_dose(procedure.weight_kg),
        "emergency_number": visit.patient.clinic.emergency_number,
        "observation_missing": observation_missing(visit),
    }
