"""Observations as FHIR: weights, pain scores with their times, the PEG, check-in scores
and trigger point findings, every one valid, with the issue's codes and values."""

from taut.fhir.mapping import codes
from taut.fhir.mapping.base import derived_id
from taut.fhir.tests.checks import assert_valid
from taut.fhir.tests.followed import emitted, followed_session
from taut.tests.once import built_once_per_module

visit, _visit_once = built_once_per_module(followed_session, name="visit")


def coded(resources, system, code):
    return [
        r for r in resources
        if any(c["system"] == system and c["code"] == code for c in r["code"].get("coding", []))
    ]  # fmt: skip


def test_it_emits_only_valid_observations(cast, visit):
    """Every Observation passes the R4 schema and the fhirclient round trip."""
    found = emitted(cast, "Observation")
    assert len(found) > 20
    for resource in found:
        assert_valid(resource)
    assert len({r["id"] for r in found}) == len(found)  # no id twice


def test_it_sends_a_chart_weight_once_with_loinc_and_kg(cast, visit):
    """The chart weight is a us-core-body-weight; the dosing weight that is the same
    chart weight is not sent again (start_procedure put the session's 70 kg on the chart)."""
    weights = coded(emitted(cast, "Observation"), codes.LOINC, "29463-7")
    assert sorted(w["valueQuantity"]["value"] for w in weights) == [70, 72.5]
    chart = next(w for w in weights if w["valueQuantity"]["value"] == 72.5)
    assert chart["meta"]["profile"] == [codes.us_core("us-core-body-weight")]
    assert chart["category"][0]["coding"][0]["code"] == "vital-signs"
    assert chart["valueQuantity"] == {
        "value": 72.5, "unit": "kg", "system": codes.UCUM, "code": "kg"
    }  # fmt: skip


def test_it_times_the_pain_before_and_after_as_part_of_the_procedure(cast, visit):
    """Pain before and after carry LOINC 72514-3, {score}, partOf the Procedure and a time."""
    found = {r["id"]: r for r in emitted(cast, "Observation")}
    before = found[derived_id(visit.public_id, "nrs-before")]
    after = found[derived_id(visit.public_id, "nrs-after")]
    assert before["code"]["coding"][0]["code"] == "72514-3"
    assert before["valueQuantity"]["value"] == 6 and after["valueQuantity"]["value"] == 2
    assert before["valueQuantity"]["code"] == "{score}"
    assert before["partOf"] == [{"reference": f"Procedure/{visit.public_id}"}]
    assert before["category"][0]["coding"][0]["code"] == "survey"
    assert before["meta"]["profile"] == [codes.us_core("us-core-observation-screening-assessment")]
    assert before["effectiveDateTime"].endswith("Z")
    assert after["effectivePeriod"]["start"] <= after["effectivePeriod"]["end"]


def test_it_sends_the_peg_items_and_their_mean_with_members(cast, visit):
    """Each answered PEG has its three items and the mean with hasMember, coded as Taut's
    check-in items while the PEG's LOINC codes are unverified."""
    observations = emitted(cast, "Observation")
    checkin = visit.checkins.order_by("due_on").first()
    assert coded(observations, codes.LOINC, "91147-9") == []
    scores = coded(observations, codes.taut_system("checkin-item"), "peg")
    mine = next(s for s in scores if s["id"] == derived_id(checkin.public_id, "peg"))
    assert mine["valueQuantity"]["value"] == round((3 + 2 + 2) / 3, 2)
    assert len(mine["hasMember"]) == 3
    assert mine["derivedFrom"] == [{"reference": f"QuestionnaireResponse/{checkin.public_id}"}]
    intake = next(s for s in scores if s["id"] == derived_id(visit.public_id, "intake-peg"))
    assert intake["valueQuantity"]["value"] == round((6 + 5 + 6) / 3, 2)


def test_it_sends_gas_levels_pointing_at_the_goal(cast, visit):
    """A GAS answer is Taut's gas-level, with focus on the Goal."""
    gas = coded(emitted(cast, "Observation"), codes.taut_system("checkin-item"), "gas")
    assert len(gas) == 2  # weeks 6 and 12
    assert gas[0]["valueCodeableConcept"]["coding"][0]["code"] == "0"
    assert gas[0]["focus"][0]["reference"].startswith("Goal/")


def test_it_sends_a_trigger_point_finding_with_its_site_and_criteria(cast, visit):
    """A finding is a us-core-simple-observation, category exam, with bodySite and side."""
    finding = visit.findings.get()
    found = {r["id"]: r for r in emitted(cast, "Observation")}[str(finding.public_id)]
    assert found["meta"]["profile"] == [codes.us_core("us-core-simple-observation")]
    assert found["category"][0]["coding"][0]["code"] == "exam"
    assert found["valueCodeableConcept"]["coding"][0] == {
        "system": codes.taut_system("trigger-point-finding"), "code": "active", "display": "Active"
    }  # fmt: skip
    assert found["bodySite"]["text"] == "Left trapezius - upper fibres"
    criteria = {c["code"]["coding"][0]["code"]: c["valueBoolean"] for c in found["component"]}
    assert criteria["taut_band"] is True and "jump_sign" not in criteria


def test_it_never_emits_another_clinics_or_another_scopes_observations(cast, visit):
    """Only the scope's patients: none of the other clinic's, none outside patient_ids."""
    refs = {r["subject"]["reference"] for r in emitted(cast, "Observation")}
    assert refs == {f"Patient/{cast.patient.public_id}"}
    assert emitted(cast, "Observation", patient_ids=(cast.other_patient.pk,)) == []
