"""Observation after the needle and the LAST checklist: taut.clinical.last.

Sources: clinical.md §4 (ids of §9): onset [S29b]; ASRA checklist [S32c] (2017 version,
lipid doses over 70 kg and the upper limit), [S32d], [S32e] (70 kg or less, the repeat).
"""

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from taut.clinical import last
from taut.clinical.last import (
    CHECKLIST,
    OBSERVATION,
    Step,
    Symptom,
    discharge_problems,
    lipid_emulsion_dose,
    observation_ends,
    read_steps,
    read_vitals,
)

INJECTED = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_it_has_a_version():
    assert last.VERSION == "2026.1"


def test_it_defaults_to_thirty_minutes_as_clinic_policy_with_the_onset_figures():
    # R8: at least 30 min; onset 30 s to 60 min [S29b]; the length is policy, not a standard.
    assert OBSERVATION.default_minutes == 30
    assert OBSERVATION.status == "clinic policy"
    assert "30 seconds to 60 minutes" in OBSERVATION.onset
    assert "[S29b]" in OBSERVATION.source


@pytest.mark.parametrize(
    ("weight", "bolus", "per_minute", "infusion", "max_ml"),
    [
        # ≤70 kg: 1.5 mL/kg bolus, 0.25 mL/kg/min [S32e], [S32d]; limit 12 mL/kg [S32c].
        ("70", Decimal("105.0"), Decimal("17.5"), "17.5 mL per minute", Decimal("840.0")),
        ("50", Decimal("75.0"), Decimal("12.5"), "12.5 mL per minute", Decimal("600.0")),
        ("43.3", Decimal("65.0"), Decimal("10.8"), "10.8 mL per minute", Decimal("519.6")),
        # >70 kg: 100 mL bolus, then 200–250 mL over 15–20 min [S32c].
        ("70.1", Decimal("100"), None, "200–250 mL over 15–20 minutes", Decimal("841.2")),
        ("95", Decimal("100"), None, "200–250 mL over 15–20 minutes", Decimal("1140.0")),
    ],
)
def test_it_doses_lipid_emulsion_by_weight(weight, bolus, per_minute, infusion, max_ml):
    dose = lipid_emulsion_dose(Decimal(weight))
    assert dose.bolus_ml == bolus
    assert dose.infusion_ml_per_min == per_minute
    assert dose.infusion.startswith(infusion)
    assert dose.max_ml == max_ml
    assert "[S32c]" in dose.source


def test_it_doubles_the_infusion_when_still_unstable():
    # Repeat the bolus once or twice, double to 0.5 mL/kg/min [S32e], [S32d].
    assert "25.0 mL per minute" in lipid_emulsion_dose(50).if_unstable
    assert "lean" in lipid_emulsion_dose(50).weight_note


@pytest.mark.parametrize("weight", [0, -3, "heavy", None, float("nan"), 401])
def test_it_refuses_a_weight_it_cannot_read(weight):
    with pytest.raises(ValueError, match="weight_kg"):
        lipid_emulsion_dose(weight)


def test_it_lists_the_asra_checklist_in_order_with_sources():
    # Stop, help, airway, seizures, lipid, arrest: ASRA checklist [S32d], lipid [S32c].
    assert list(CHECKLIST) == [
        Step.STOP,
        Step.HELP,
        Step.AIRWAY,
        Step.SEIZURES,
        Step.LIPID,
        Step.ARREST,
    ]
    for step, item in CHECKLIST.items():
        assert item.step is step and step.label == item.label
        assert "[S32" in item.source
        assert item.status in {"verified", "secondary"}
    assert "benzodiazepine" in CHECKLIST[Step.SEIZURES].text
    assert "100 % oxygen" in CHECKLIST[Step.AIRWAY].text


def test_it_reads_steps_in_checklist_order_and_refuses_unknown_ones():
    assert read_steps(["lipid", "stop"]) == (Step.STOP, Step.LIPID)
    with pytest.raises(ValueError, match="last_steps"):
        read_steps(["pray"])


def test_it_ends_the_watch_the_clinics_minutes_after_the_last_injection():
    assert observation_ends(INJECTED, 30) == INJECTED + timedelta(minutes=30)
    with pytest.raises(ValueError, match="last_injection_at"):
        observation_ends(datetime(2026, 3, 2, 10, 0), 30)  # naive: whose clock?


def problems(minutes_after=None, *, symptoms=(), last_recorded=False, cut_short="", watch=30):
    discharged = None if minutes_after is None else INJECTED + timedelta(minutes=minutes_after)
    return discharge_problems(
        last_injection_at=INJECTED,
        minutes=watch,
        discharged_at=discharged,
        symptoms=symptoms,
        last_recorded=last_recorded,
        cut_short=cut_short,
    )


@pytest.mark.parametrize(
    ("case", "allowed"),
    [
        # Watched the full clinic period (policy; onset up to 60 min [S29b]).
        ({"minutes_after": 30}, True),
        ({"minutes_after": 45}, True),
        ({"minutes_after": 60, "watch": 60}, True),
        # Cut short: only with the reason.
        ({"minutes_after": 29}, False),
        ({"minutes_after": 10, "cut_short": "Left against advice after 10 minutes"}, True),
        ({"minutes_after": 45, "watch": 60}, False),
        # No discharge time at all: only a cut-short reason will do.
        ({}, False),
        ({"cut_short": "Patient walked out before vital signs were taken"}, True),
        ({"cut_short": "   "}, False),
        # Before the last injection: impossible.
        ({"minutes_after": -1, "cut_short": "x"}, False),
        # Early signs of LAST [S29b] at discharge: not without the LAST complication.
        ({"minutes_after": 40, "symptoms": (Symptom.METALLIC_TASTE,)}, False),
        (
            {
                "minutes_after": 240,
                "symptoms": (Symptom.METALLIC_TASTE,),
                "last_recorded": True,
            },
            True,
        ),
        # A watch of 0 minutes (the clinic turned it off) never needs a reason.
        ({"minutes_after": 0, "watch": 0}, True),
    ],
)
def test_it_allows_discharge_only_after_the_watch_or_with_a_reason(case, allowed):
    assert (problems(**case) == ()) is allowed


def test_it_says_how_long_the_patient_was_watched():
    (problem,) = problems(12)
    assert "watched 12 of the clinic's 30 minutes" in problem


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"heart_rate": 72, "systolic": 120, "diastolic": 80, "spo2": 101}, "spo2"),
        ({"heart_rate": 7, "systolic": 120, "diastolic": 80, "spo2": 98}, "heart_rate"),
        ({"heart_rate": 72.5, "systolic": 120, "diastolic": 80, "spo2": 98}, "heart_rate"),
        ({"heart_rate": 72, "systolic": 80, "diastolic": 90, "spo2": 98}, "diastolic"),
        ({"systolic": 120, "diastolic": 80, "spo2": 98}, "heart_rate"),
    ],
)
def test_it_refuses_vital_signs_that_are_typing_errors(values, field):
    with pytest.raises(ValueError, match=field):
        read_vitals(values)


def test_it_reads_vital_signs():
    vitals = read_vitals({"heart_rate": 72, "systolic": 124, "diastolic": 78, "spo2": 98})
    assert (vitals.heart_rate, vitals.systolic, vitals.diastolic, vitals.spo2) == (
        72,
        124,
        78,
        98,
    )


def test_it_labels_every_symptom():
    for symptom in Symptom:
        assert symptom.label and symptom.label != str(symptom)
