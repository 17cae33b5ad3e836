"""The clinical records' resources over HTTP: read by id, searched by code and category,
the session's pain scores beside its Procedure, Taut's CodeSystems for their codes."""

from taut.fhir.mapping.base import derived_id
from taut.fhir.tests.checks import assert_valid
from taut.fhir.tests.followed import emitted, followed_session
from taut.tests.cast import sign_in
from taut.tests.once import built_once_per_module

visit, _visit_once = built_once_per_module(followed_session, name="visit")
KINDS = ("Observation", "QuestionnaireResponse", "Goal", "CarePlan", "Questionnaire")


def get(client, path):
    return client.get(f"/fhir/{path}")


def test_it_reads_every_clinical_resource_by_its_id(client, cast, visit):
    """Each emitted resource is read at its address, unchanged."""
    sign_in(client, cast.clinician)
    for kind in KINDS:
        for resource in emitted(cast, kind)[:3]:
            response = get(client, f"{kind}/{resource['id']}")
            assert response.status_code == 200, (kind, resource["id"])
            assert response.json() == resource


def test_it_finds_pain_scores_by_loinc_code_and_category(client, cast, visit):
    """Observation search by code 72514-3 and by category survey/exam."""
    sign_in(client, cast.clinician)
    patient = cast.patient.public_id
    bundle = get(client, f"Observation?patient={patient}&code=http://loinc.org|72514-3").json()
    assert_valid(bundle)
    ids = {e["resource"]["id"] for e in bundle["entry"]}
    assert derived_id(visit.public_id, "nrs-before") in ids
    assert all(e["resource"]["code"]["coding"][0]["code"] == "72514-3" for e in bundle["entry"])
    exams = get(client, f"Observation?patient={patient}&category=exam").json()
    assert [e["resource"]["id"] for e in exams["entry"]] == [str(visit.findings.get().public_id)]


def test_it_returns_the_sessions_pain_scores_beside_its_procedure(client, cast, visit):
    """_revinclude=Observation:part-of brings the pain before and after."""
    sign_in(client, cast.clinician)
    bundle = get(client, f"Procedure?_id={visit.public_id}&_revinclude=Observation:part-of").json()
    included = {e["resource"]["id"] for e in bundle["entry"] if e["search"]["mode"] == "include"}
    assert included == {
        derived_id(visit.public_id, "nrs-before"),
        derived_id(visit.public_id, "nrs-after"),
    }


def test_it_hides_the_clinical_records_from_another_clinic(client, cast, visit):
    """The other clinic's clinician reads none of them."""
    sign_in(client, cast.outsider)
    for kind in ("Observation", "Goal", "CarePlan", "QuestionnaireResponse"):
        resource = emitted(cast, kind)[0]
        assert get(client, f"{kind}/{resource['id']}").status_code == 404, kind


def test_it_serves_the_gas_levels_as_a_complete_code_system(client, cast, visit):
    """Taut's gas-level CodeSystem lists −2…+2."""
    sign_in(client, cast.clinician)
    system = get(client, "CodeSystem/gas-level").json()
    assert system["content"] == "complete"
    assert [c["code"] for c in system["concept"]] == ["-2", "-1", "0", "1", "2"]


def test_it_searches_the_clinical_types_by_category_and_status(client, cast, visit):
    """Each type's category and status search finds what it emits."""
    sign_in(client, cast.clinician)
    patient = cast.patient.public_id
    for query, kind in (
        ("Goal?status=active", "Goal"),
        ("CarePlan?category=assess-plan&status=active", "CarePlan"),
        ("QuestionnaireResponse?status=completed", "QuestionnaireResponse"),
        ("Observation?category=vital-signs&code=http://loinc.org|29463-7", "Observation"),
        ("Observation?date=ge2000-01-01", "Observation"),
    ):
        bundle = get(client, f"{query}&patient={patient}").json()
        assert bundle["entry"], query
        assert {e["resource"]["resourceType"] for e in bundle["entry"]} == {kind}
