"""Questionnaires and responses as FHIR: Taut's intake and check-in definitions, and each
intake and completed check-in as a us-core-questionnaireresponse whose items are the
definition's."""

import uuid
from datetime import UTC, datetime
from types import SimpleNamespace

from taut.fhir.mapping import codes, questionnaires
from taut.fhir.mapping.questionnaires import canonical
from taut.fhir.tests.checks import assert_valid
from taut.fhir.tests.followed import by_id, emitted, followed_session
from taut.tests.once import built_once_per_module

visit, _visit_once = built_once_per_module(followed_session, name="visit")


def link_ids(items, prefix=""):
    for item in items:
        yield item["linkId"]
        yield from link_ids(item.get("item", []))


def test_it_emits_only_valid_questionnaires_and_responses(cast, visit):
    """Every Questionnaire and QuestionnaireResponse passes the schema and round trip."""
    for kind in ("Questionnaire", "QuestionnaireResponse"):
        found = emitted(cast, kind)
        assert found, kind
        for resource in found:
            assert_valid(resource)


def test_it_answers_only_items_its_questionnaire_defines(cast, visit):
    """Each response names its Questionnaire's canonical URL and uses its linkIds."""
    definitions = {q["url"]: set(link_ids(q["item"])) for q in emitted(cast, "Questionnaire")}
    assert set(definitions) == {canonical("taut-intake"), canonical("taut-checkin")}
    for response in emitted(cast, "QuestionnaireResponse"):
        assert set(link_ids(response["item"])) <= definitions[response["questionnaire"]]


def test_it_sends_the_intake_with_its_pain_scores_and_goal(cast, visit):
    """The intake's response is the visit's id, authored by the recording clinician."""
    intake = by_id(emitted(cast, "QuestionnaireResponse"))[str(visit.public_id)]
    assert intake["meta"]["profile"] == [codes.us_core("us-core-questionnaireresponse")]
    assert intake["status"] == "completed"
    assert intake["author"] == {"reference": f"Practitioner/{cast.clinician.public_id}"}
    answers = {i["linkId"]: i.get("answer") for i in intake["item"]}
    assert answers["nrs_now"] == [{"valueInteger": 6}]
    assert answers["anticoagulant_or_antiplatelet"] == [{"valueBoolean": False}]
    goal = next(i for i in intake["item"] if i["linkId"] == "goals")
    assert goal["item"][0]["answer"] == [{"valueString": "Sleep through the night"}]
    assert goal["item"][1]["answer"][0]["valueCoding"]["code"] == "-1"


def test_it_sends_each_completed_check_in_with_its_answers(cast, visit):
    """A check-in's response is its public id, with scores, PGIC and GAS as answered."""
    responses = by_id(emitted(cast, "QuestionnaireResponse"))
    week_12 = visit.checkins.get(checkpoint="week_12")
    found = responses[str(week_12.public_id)]
    answers = {i["linkId"]: i.get("answer") for i in found["item"]}
    assert answers["nrs"] == [{"valueInteger": 3}]
    assert answers["pgic"][0]["valueCoding"]["code"] == "much_improved"
    assert found["author"] == {"reference": f"Practitioner/{cast.nurse.public_id}"}
    assert found["basedOn"][0]["reference"].startswith("CarePlan/")
    assert len(responses) == 1 + visit.checkins.count()


def test_it_never_emits_another_clinics_or_another_scopes_responses(cast, visit):
    """Only the scope's patients' responses; the definitions are the same for all."""
    refs = {r["subject"]["reference"] for r in emitted(cast, "QuestionnaireResponse")}
    assert refs == {f"Patient/{cast.patient.public_id}"}
    scoped = {"patient_ids": (cast.other_patient.pk,)}
    assert emitted(cast, "QuestionnaireResponse", **scoped) == []
    assert len(emitted(cast, "Questionnaire", **scoped)) == 2


def test_it_names_the_patient_as_author_and_source_of_their_own_answers():
    """A check-in the patient answered is authored by them, and they are its source; an
    open check-in has no response yet."""
    when = datetime(2026, 12, 7, 9, 30, tzinfo=UTC)
    goal = SimpleNamespace(pk=7, text="Walk the dog")
    checkin = SimpleNamespace(
        public_id=uuid.uuid4(), completed_at=when, source="patient", recorded_by=None,
        answers={"nrs": 4, "infection": "no", "gas": {"7": 1}},
    )  # fmt: skip
    patient_id, visit_id = uuid.uuid4(), uuid.uuid4()
    found = questionnaires.checkin_response(
        checkin, [goal], patient_id=patient_id, visit_id=visit_id
    )
    assert_valid(found)
    assert found["author"] == found["source"] == {"reference": f"Patient/{patient_id}"}
    answers = {i["linkId"]: i.get("answer") for i in found["item"]}
    assert answers["infection"] == [{"valueBoolean": False}]
    gas = next(i for i in found["item"] if i["linkId"] == "gas")
    assert gas["item"][1]["answer"][0]["valueCoding"]["code"] == "1"
    checkin.completed_at = None
    assert (
        questionnaires.checkin_response(checkin, [goal], patient_id=patient_id, visit_id=visit_id)
        is None
    )
