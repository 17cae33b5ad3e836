"""Goals and care plans as FHIR: the patient's goal with its GAS target and attainment,
a session's aftercare with its check-ins, and the next-step decision with its reasons."""

from taut.fhir.mapping import codes
from taut.fhir.mapping.base import derived_id
from taut.fhir.mapping.plans import goal_id
from taut.fhir.tests.checks import assert_valid
from taut.fhir.tests.followed import by_id, emitted, followed_session
from taut.outcomes.models import NextStepDecision
from taut.outcomes.tests.test_worklist_section import decide
from taut.tests.once import built_once_per_module

visit, _visit_once = built_once_per_module(followed_session, name="visit")


def test_it_emits_only_valid_goals_and_care_plans(cast, visit):
    """Every Goal and CarePlan passes the schema and round trip."""
    for kind in ("Goal", "CarePlan"):
        found = emitted(cast, kind)
        assert found, kind
        for resource in found:
            assert_valid(resource)


def test_it_sends_a_goal_with_its_gas_target_and_attainment(cast, visit):
    """The goal's target is GAS level 0 due at week 6; answered 0 from −1: achieved."""
    (goal,) = emitted(cast, "Goal")
    assert goal["id"] == goal_id(visit.public_id, 1)
    assert goal["meta"]["profile"] == [codes.us_core("us-core-goal")]
    assert goal["lifecycleStatus"] == "active"
    assert goal["description"] == {"text": "Sleep through the night"}
    target = goal["target"][0]
    assert target["detailCodeableConcept"]["coding"][0] == {
        "system": codes.taut_system("gas-level"), "code": "0", "display": "As expected"
    }  # fmt: skip
    assert target["dueDate"] == visit.checkins.get(checkpoint="week_6").due_on.isoformat()
    assert goal["achievementStatus"]["coding"][0]["code"] == "achieved"
    assert len(goal["outcomeReference"]) == 2


def test_it_sends_the_aftercare_with_its_handout_and_check_ins(cast, visit):
    """The aftercare CarePlan has the handout as narrative and each check-in an activity."""
    plans = by_id(emitted(cast, "CarePlan"))
    aftercare = plans[derived_id(visit.public_id, "aftercare")]
    assert aftercare["meta"]["profile"] == [codes.us_core("us-core-careplan")]
    assert aftercare["category"][0]["coding"][0]["code"] == "assess-plan"
    assert aftercare["intent"] == "plan"
    assert "What to expect" in aftercare["text"]["div"]
    assert len(aftercare["activity"]) == visit.checkins.count()
    assert aftercare["status"] == "completed"  # every check-in answered


def test_it_sends_the_next_step_decision_with_its_reasons(cast, visit):
    """The decision is a CarePlan of its public id: Taut's next-step code, the advice's
    reasons as reasonCode, the note, active until another decision follows it."""
    decision = NextStepDecision.objects.get(patient=cast.patient)
    plan = by_id(emitted(cast, "CarePlan"))[str(decision.public_id)]
    assert plan["status"] == "active"
    assert plan["category"][1]["coding"][0] == {
        "system": codes.taut_system("next-step"),
        "code": "continue",
        "display": "Continue the current plan or self-care",
    }
    detail = plan["activity"][0]["detail"]
    assert detail["reasonCode"]
    assert all(
        c["coding"][0]["system"] == codes.taut_system("next-step-reason")
        for c in detail["reasonCode"]
    )
    assert plan["description"] == "Continuing: the patient prefers it."
    assert plan["author"] == {"reference": f"Practitioner/{cast.clinician.public_id}"}


def test_it_never_emits_another_clinics_or_another_scopes_plans(cast, visit):
    """Only the scope's patients' goals and plans."""
    for kind in ("Goal", "CarePlan"):
        refs = {r["subject"]["reference"] for r in emitted(cast, kind)}
        assert refs == {f"Patient/{cast.patient.public_id}"}
        assert emitted(cast, kind, patient_ids=(cast.other_patient.pk,)) == []


def test_it_completes_a_decision_that_a_later_one_replaces(cast, visit):
    """A new decision replaces the earlier one: that one is completed, the new one names it."""
    first = NextStepDecision.objects.get(patient=cast.patient)
    later = decide(cast.patient, visit, cast.clinician, decision="stop",
                   note="Stopping: refer to physiotherapy instead.")  # fmt: skip
    plans = by_id(emitted(cast, "CarePlan"))
    assert plans[str(first.public_id)]["status"] == "completed"
    replacing = plans[str(later.public_id)]
    assert replacing["status"] == "active"
    assert replacing["replaces"] == [{"reference": f"CarePlan/{first.public_id}"}]
    assert replacing["activity"][0]["detail"]["status"] == "stopped"
    assert_valid(replacing)
