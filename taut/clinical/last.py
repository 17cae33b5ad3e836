"""Local anaesthetic systemic toxicity (LAST): watching after the needle, and what to do.

``OBSERVATION`` is the clinic-policy watch after the last injection, with the onset figures
it rests on; ``discharge_problems`` says what stops a discharge (too early without a reason,
early signs of LAST still present and not treated). ``CHECKLIST`` is the ASRA checklist,
step by step, and ``lipid_emulsion_dose`` works out the 20 % lipid emulsion for a weight.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §4, §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"clinic policy" (not a sourced standard; the clinic sets it).
"""

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from types import MappingProxyType

from taut.clinical import inputs

VERSION = "2026.1"


# --- observation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationPolicy:
    """The default watch after the last injection, the onset facts behind it, and status."""

    default_minutes: int
    onset: str
    source: str
    status: str


OBSERVATION = ObservationPolicy(
    default_minutes=30,
    onset=(
        "Early LAST usually starts 1–5 minutes after the injection, but can start from "
        "30 seconds to 60 minutes after it; signs that affect only the heart usually come "
        "5 minutes or more after it."
    ),
    source="[S29b] (onset); clinical.md R8 (at least 30 minutes; the length is clinic policy)",
    status="clinic policy",
)


class Symptom(StrEnum):
    """Early signs of LAST asked about before discharge [S29b]."""

    MOUTH_NUMBNESS = "mouth_numbness"
    METALLIC_TASTE = "metallic_taste"
    LIGHT_HEADED = "light_headed"
    TINNITUS = "tinnitus"
    VISION = "vision"
    CONFUSION = "confusion"
    TWITCHING = "twitching"

    @property
    def label(self) -> str:
        return SYMPTOM_LABELS[self]


SYMPTOM_LABELS: Mapping[Symptom, str] = MappingProxyType(
    {
        Symptom.MOUTH_NUMBNESS: "Numb lips, mouth or tongue",
        Symptom.METALLIC_TASTE: "Metallic taste",
        Symptom.LIGHT_HEADED: "Light-headed or dizzy",
        Symptom.TINNITUS: "Ringing in the ears",
        Symptom.VISION: "Blurred or double vision",
        Symptom.CONFUSION: "Confused or drowsy",
        Symptom.TWITCHING: "Muscle twitching",
    }
)
SYMPTOM_SOURCE = "[S29b] early CNS signs and later muscle twitching (verified)"


@dataclass(frozen=True)
class Vitals:
    """Vital signs at discharge: heart rate (beats/min), blood pressure (mmHg), SpO₂ (%)."""

    heart_rate: int
    systolic: int
    diastolic: int
    spo2: int


# Plausible ranges: a value outside is a typing error, not a reading (Taut's own bounds).
VITAL_RANGES: Mapping[str, tuple[int, int]] = MappingProxyType(
    {"heart_rate": (20, 250), "systolic": (50, 280), "diastolic": (20, 180), "spo2": (50, 100)}
)


def read_vitals(values: Mapping[str, object]) -> Vitals:
    """Vital signs from plain values, each a whole number in its plausible range.

    Not a rule: an input check (the ranges catch typing errors; no clinical threshold).
    """
    read = {}
    for name, (low, high) in VITAL_RANGES.items():
        value = values.get(name)
        if not inputs.is_whole(value):
            raise ValueError(f"{name}: expected a whole number, got {value!r}")
        inputs.read_between(value, name, low, high)
        read[name] = value
    if read["diastolic"] >= read["systolic"]:
        raise ValueError("diastolic: must be lower than the systolic pressure")
    return Vitals(**read)


def _aware(value: object, field: str) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValueError(f"{field}: expected an aware datetime, got {value!r}")
    return value


def observation_ends(last_injection_at: datetime, minutes: int) -> datetime:
    """When the watch after the last injection ends.

    Source: [S29b] (LAST can start up to 60 minutes after injection); the length is clinic
    policy (clinical.md R8: at least 30 minutes suggested, not a sourced standard).
    """
    _aware(last_injection_at, "last_injection_at")
    return last_injection_at + timedelta(minutes=minutes)


def discharge_problems(
    *,
    last_injection_at: datetime,
    minutes: int,
    discharged_at: datetime | None,
    symptoms: Collection[Symptom],
    last_recorded: bool,
    cut_short: str,
) -> tuple[str, ...]:
    """Why this discharge cannot be recorded (empty: it can).

    - Neither a discharge time nor a reason the watch was cut short: nothing to record.
    - Discharged before the last injection: impossible.
    - Discharged before the clinic's watch ended, without the reason it was cut short.
    - Early signs of LAST at discharge while no suspected LAST is recorded: follow the
      checklist and record the complication first.

    Source: [S29b] (onset 30 s to 60 min; early CNS signs); watch length clinic policy
    (clinical.md R8); treat signs as LAST per the ASRA checklist [S32].
    """
    problems = []
    reason = cut_short.strip()
    if discharged_at is None:
        if not reason:
            problems.append("Record when the patient went home, or why the watch was cut short.")
        return tuple(problems)
    _aware(discharged_at, "discharged_at")
    ends = observation_ends(last_injection_at, minutes)
    if discharged_at < last_injection_at:
        problems.append("The discharge cannot be before the last injection.")
    elif discharged_at < ends and not reason:
        watched = int((discharged_at - last_injection_at).total_seconds() // 60)
        problems.append(
            f"The patient was watched {watched} of the clinic's {minutes} minutes: give the "
            "reason the watch was cut short."
        )
    if symptoms and not last_recorded:
        problems.append(
            "Early signs of LAST at discharge: do not send the patient home. Follow the LAST "
            "checklist and record “Suspected LAST” under complications first."
        )
    return tuple(problems)


# --- the ASRA checklist ---------------------------------------------------------------------


class Step(StrEnum):
    STOP = "stop"
    HELP = "help"
    AIRWAY = "airway"
    SEIZURES = "seizures"
    LIPID = "lipid"
    ARREST = "arrest"

    @property
    def label(self) -> str:
        return CHECKLIST[self].label


@dataclass(frozen=True)
class ChecklistStep:
    step: Step
    label: str
    text: str
    source: str
    status: str


# fmt: off
CHECKLIST: Mapping[Step, ChecklistStep] = MappingProxyType({
    Step.STOP: ChecklistStep(
        Step.STOP, "Stop injecting",
        "Stop the local anaesthetic at once.",
        "ASRA checklist 2020 [S32d]", "secondary",
    ),
    Step.HELP: ChecklistStep(
        Step.HELP, "Call for help",
        "Call for help: the LAST kit (lipid emulsion), and the emergency team (the "
        "emergency number, in a clinic without one); alert the nearest unit with "
        "cardiopulmonary bypass.",
        "ASRA checklist 2020 [S32d]", "secondary",
    ),
    Step.AIRWAY: ChecklistStep(
        Step.AIRWAY, "Airway",
        "Manage the airway: 100 % oxygen; avoid hyperventilation.",
        "ASRA checklist 2020 [S32d]", "secondary",
    ),
    Step.SEIZURES: ChecklistStep(
        Step.SEIZURES, "Seizures",
        "Treat seizures with a benzodiazepine; avoid large doses of propofol if the "
        "circulation is unstable.",
        "ASRA checklist 2020 [S32d]", "secondary",
    ),
    Step.LIPID: ChecklistStep(
        Step.LIPID, "Lipid emulsion 20 %",
        "Give 20 % lipid emulsion at the first sign of a serious LAST event (dose below).",
        "ASRA checklist 2017 [S32c]; 2020 [S32d], [S32e]", "verified",
    ),
    Step.ARREST: ChecklistStep(
        Step.ARREST, "If the heart stops",
        "Start CPR. Epinephrine in small doses (1 µg/kg or less); avoid vasopressin, "
        "calcium-channel blockers, beta-blockers and other local anaesthetics; amiodarone "
        "for arrhythmias.",
        "ASRA checklist 2020 [S32d], [S69]", "secondary",
    ),
})
# fmt: on


@dataclass(frozen=True)
class LipidDose:
    """20 % lipid emulsion for one weight: the bolus, the infusion, what to do if still
    unstable, and the upper limit. ``infusion_ml_per_min`` is None above 70 kg, where the
    infusion is a fixed volume (``infusion``)."""

    weight_kg: Decimal
    bolus_ml: Decimal
    bolus: str
    infusion_ml_per_min: Decimal | None
    infusion: str
    if_unstable: str
    max_ml: Decimal
    weight_note: str
    source: str
    status: str


LIPID_BOLUS_ML_PER_KG = Decimal("1.5")  # ≤70 kg [S32e], [S32d]
LIPID_INFUSION_ML_PER_KG_MIN = Decimal("0.25")  # ≤70 kg [S32e], [S32d]
LIPID_MAX_ML_PER_KG = Decimal("12")  # upper limit [S32c]
LIPID_FIXED_ABOVE_KG = Decimal("70")  # >70 kg: 100 mL bolus, 200–250 mL over 15–20 min [S32c]


def _tenth(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def lipid_emulsion_dose(weight_kg: Decimal | int | str) -> LipidDose:
    """The 20 % lipid emulsion dose for a patient of ``weight_kg``.

    Over 70 kg: 100 mL bolus over 2–3 minutes, then 200–250 mL over 15–20 minutes [S32c]
    (ASRA 2017 version). 70 kg or less: 1.5 mL/kg bolus over 2–3 minutes, then 0.25 mL/kg
    per minute [S32e], [S32d]. Still unstable: repeat the bolus once or twice and double the
    infusion to 0.5 mL/kg per minute [S32e], [S32d]. Upper limit about 12 mL/kg [S32c].
    ASRA doses by lean (ideal) body weight; Taut has the dosing weight, which is shown.
    Status: verified ([S32c], [S32e]) except the repeat step (secondary, [S32d]).
    """
    if isinstance(weight_kg, str):
        try:
            weight_kg = Decimal(weight_kg)
        except ArithmeticError:
            raise ValueError(f"weight_kg: expected a number, got {weight_kg!r}") from None
    inputs.read_between(weight_kg, "weight_kg", 1, 400)
    kg = Decimal(str(weight_kg))
    doubled = _tenth(kg * LIPID_INFUSION_ML_PER_KG_MIN * 2)
    if kg > LIPID_FIXED_ABOVE_KG:
        bolus_ml, per_min = Decimal("100"), None
        infusion = "200–250 mL over 15–20 minutes"
    else:
        bolus_ml, per_min = (
            _tenth(kg * LIPID_BOLUS_ML_PER_KG),
            _tenth(kg * LIPID_INFUSION_ML_PER_KG_MIN),
        )
        infusion = f"{per_min} mL per minute (0.25 mL/kg/min)"
    return LipidDose(
        weight_kg=kg,
        bolus_ml=bolus_ml,
        bolus=f"{bolus_ml} mL over 2–3 minutes",
        infusion_ml_per_min=per_min,
        infusion=infusion,
        if_unstable=(
            f"Repeat the bolus once or twice and double the infusion to {doubled} mL per "
            "minute (0.5 mL/kg/min)."
        ),
        max_ml=_tenth(kg * LIPID_MAX_ML_PER_KG),
        weight_note="ASRA doses by lean (ideal) body weight; this uses the dosing weight.",
        source="ASRA checklist [S32c] (over 70 kg, upper limit), [S32e], [S32d] (70 kg or less)",
        status="verified",
    )


def read_steps(values: Collection[str]) -> tuple[Step, ...]:
    """Checklist step ids as ``Step`` members, in checklist order.

    Not a rule: an input check (an unknown step raises ``ValueError``).
    """
    chosen = set()
    for value in values:
        try:
            chosen.add(Step(value))
        except ValueError:
            raise ValueError(f"last_steps: unknown LAST checklist step {value!r}") from None
    return tuple(step for step in Step if step in chosen)
