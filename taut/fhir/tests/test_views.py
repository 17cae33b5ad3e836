"""The FHIR read API over HTTP: who may read what, searches, paging, ``$everything``."""

from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.fhir.mapping.outcome import operation_outcome
from taut.fhir.tests.checks import assert_valid
from taut.tests.cast import make_patient, sign_in
from taut.tests.once import built_once_per_module

FHIR_JSON = "application/fhir+json"


def signed_session(cast):
    return flow.signed(cast.patient, cast.clinician)


visit, _visit_once = built_once_per_module(signed_session, name="visit")


def get(client, path, **headers):
    return client.get(f"/fhir/{path}", headers=headers)


def test_it_describes_itself_in_a_valid_capability_statement(client, cast):
    response = get(client, "metadata")
    assert response.status_code == 200
    assert response["Content-Type"] == FHIR_JSON
    statement = response.json()
    assert_valid(statement)
    assert statement["fhirVersion"] == "4.0.1"
    types = {r["type"]: r for r in statement["rest"][0]["resource"]}
    assert {"Patient", "Procedure", "MedicationAdministration"} <= set(types)
    params = {p["name"] for p in types["Procedure"]["searchParam"]}
    assert {"_id", "patient", "date", "code", "status", "_lastUpdated"} <= params


def test_it_asks_anonymous_callers_to_authenticate(client, cast, visit):
    response = get(client, f"Patient/{cast.patient.public_id}")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["resourceType"] == "OperationOutcome"


def test_it_reads_a_patient_and_audits_the_read(client, cast, visit):
    sign_in(client, cast.clinician)
    response = get(client, f"Patient/{cast.patient.public_id}")
    assert response.status_code == 200
    assert response.json()["id"] == str(cast.patient.public_id)
    event = AuditEvent.objects.filter(action=Action.VIEW, actor_id=cast.clinician.pk).latest("id")
    assert event.patient_id == cast.patient.public_id
    assert event.details["api"] == "fhir"


def test_it_hides_another_clinics_patient_and_records_the_probe(client, cast, visit):
    sign_in(client, cast.outsider)
    assert get(client, f"Patient/{cast.patient.public_id}").status_code == 404
    assert get(client, f"Encounter/{visit.public_id}").status_code == 404
    assert get(client, f"Procedure?patient={cast.patient.public_id}").status_code == 404
    assert AuditEvent.objects.filter(action=Action.DENIED, actor_id=cast.outsider.pk).exists()
    found = get(client, "Patient").json()
    assert [e["resource"]["id"] for e in found["entry"]] == [str(cast.other_patient.public_id)]


def test_it_refuses_clinical_resources_to_the_front_desk(client, cast, visit):
    sign_in(client, cast.front_desk)
    assert get(client, f"Patient/{cast.patient.public_id}").status_code == 200
    response = get(client, f"Procedure/{visit.public_id}")
    assert response.status_code == 403
    assert AuditEvent.objects.filter(action=Action.DENIED, actor_id=cast.front_desk.pk).exists()


def test_it_finds_a_patients_procedures_with_their_agents(client, cast, visit):
    sign_in(client, cast.lead)
    response = get(
        client,
        f"Procedure?patient={cast.patient.public_id}&_revinclude=MedicationAdministration:part-of",
    )
    assert response.status_code == 200
    bundle = response.json()
    assert_valid(bundle)
    modes = [(e["resource"]["resourceType"], e["search"]["mode"]) for e in bundle["entry"]]
    assert ("Procedure", "match") in modes
    assert modes.count(("MedicationAdministration", "include")) == 3  # flow.signed's sites
    assert all(e["fullUrl"].startswith("http://testserver/fhir/") for e in bundle["entry"])


def test_it_filters_by_code_status_and_date(client, cast, visit):
    sign_in(client, cast.clinician)
    day = visit.procedure.started_at.astimezone(cast.clinic.zone()).date().isoformat()
    cpt = visit.note.cpt_code

    def ids(query):
        response = get(client, f"Procedure?{query}")
        assert response.status_code == 200, response.json()
        return [e["resource"]["id"] for e in response.json().get("entry", [])]

    assert ids(f"code=http://www.ama-assn.org/go/cpt|{cpt}") == [str(visit.public_id)]
    assert ids("code=99999") == []
    assert ids("status=completed") == [str(visit.public_id)]
    assert ids("status=in-progress") == []
    assert ids(f"date={day}") == [str(visit.public_id)]
    assert ids(f"date=lt{day}") == []
    assert ids(f"date=ge{day}&date=le{day}") == [str(visit.public_id)]


def test_it_rejects_parameters_it_does_not_support(client, cast, visit):
    sign_in(client, cast.clinician)
    for query in ("Procedure?colour=red", "Procedure?date=yesterday", "Procedure?_count=x",
                  "Procedure?patient=nope", "Patient?_revinclude=Observation:part-of"):  # fmt: skip
        response = get(client, query)
        assert response.status_code == 400, query
        assert response.json()["issue"][0]["diagnostics"]


def test_it_pages_a_search_with_next_and_previous_links(client, cast, visit):
    for i in range(4):
        make_patient(cast.clinic, cast.front_desk, mrn=f"P{i}", given_name=f"Pat{i}")
    sign_in(client, cast.clinician)
    first = get(client, "Patient?_count=2").json()
    assert len(first["entry"]) == 2
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    second = client.get(following).json()
    assert len(second["entry"]) == 2
    assert {e["resource"]["id"] for e in first["entry"]}.isdisjoint(
        e["resource"]["id"] for e in second["entry"]
    )
    assert any(link["relation"] == "previous" for link in second["link"])


def test_it_gathers_everything_about_a_patient(client, cast, visit):
    sign_in(client, cast.clinician)
    response = get(client, f"Patient/{cast.patient.public_id}/$everything")
    assert response.status_code == 200
    bundle = response.json()
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert {"Patient", "Encounter", "Procedure", "MedicationAdministration",
            "DocumentReference", "Provenance", "Organization"} <= types  # fmt: skip
    patients = {
        e["resource"]["id"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Patient"
    }
    assert patients == {str(cast.patient.public_id)}
    only = get(client, f"Patient/{cast.patient.public_id}/$everything?_type=Encounter").json()
    assert {e["resource"]["resourceType"] for e in only["entry"]} == {"Encounter"}


def test_it_serves_taut_code_systems(client, cast):
    response = get(client, "CodeSystem/atlas-site")
    assert response.status_code == 200
    system = response.json()
    assert_valid(system)
    assert {"code": "trapezius_upper", "display": "Trapezius - upper fibres"} in system["concept"]
    assert get(client, "CodeSystem/nothing").status_code == 404


def test_it_finds_patients_by_identifier_name_birth_date_and_gender(client, cast, visit):
    make_patient(cast.clinic, cast.front_desk, mrn="Z9", given_name="Bea", family_name="Zorn")
    sign_in(client, cast.front_desk)

    def mrns(query):
        response = get(client, f"Patient?{query}")
        assert response.status_code == 200, response.json()
        return sorted(e["resource"]["identifier"][0]["value"] for e in response.json()["entry"])

    assert mrns("identifier=Z9") == ["Z9"]
    assert mrns("name=zor") == ["Z9"]
    assert mrns("given=ada") == [cast.patient.mrn]
    assert mrns(f"birthdate={cast.patient.date_of_birth.isoformat()}&family=quill") == [
        cast.patient.mrn
    ]
    assert mrns("gender=female&name=bea") == ["Z9"]


def test_it_declares_the_bulk_exports(client, cast):
    statement = get(client, "metadata").json()
    rest = statement["rest"][0]
    assert [op["name"] for op in rest["operation"]] == ["export"]
    types = {r["type"]: r for r in rest["resource"]}
    assert "export" in {op["name"] for op in types["Patient"]["operation"]}
    assert types["Group"]["operation"][0]["definition"].endswith("group-export")


def test_it_includes_the_procedure_an_agent_was_part_of_and_the_patient(client, cast, visit):
    sign_in(client, cast.clinician)
    query = "MedicationAdministration?_include=MedicationAdministration:part-of"
    bundle = get(client, f"{query}&_include=MedicationAdministration:patient").json()
    assert_valid(bundle)
    included = {(e["resource"]["resourceType"], e["resource"]["id"])
                for e in bundle["entry"] if e["search"]["mode"] == "include"}  # fmt: skip
    assert included == {
        ("Procedure", str(visit.public_id)),
        ("Patient", str(cast.patient.public_id)),
    }
    refused = get(client, "Encounter?_include=Encounter:part-of")
    assert refused.status_code == 400
    assert "Encounter:patient" in refused.json()["issue"][0]["diagnostics"]


def test_it_pages_from_where_a_clamped_count_ended(client, cast, visit, monkeypatch):
    """A ``_count`` above the most a page holds: the next link starts after the entries
    the page held, skipping none; ``_count=0`` has no next link to loop on."""
    for i in range(3):
        make_patient(cast.clinic, cast.front_desk, mrn=f"C{i}", given_name=f"Cap{i}")
    monkeypatch.setattr("taut.fhir.queries.MAX_COUNT", 2)
    sign_in(client, cast.clinician)
    first = get(client, "Patient?_count=10").json()
    assert len(first["entry"]) == 2
    following = next(link["url"] for link in first["link"] if link["relation"] == "next")
    assert "_page=2" in following
    empty = get(client, "Patient?_count=0").json()
    assert not empty.get("entry")
    assert [link["relation"] for link in empty["link"]] == ["self"]


def test_it_audits_a_search_of_a_named_patient_that_finds_nothing(client, cast, visit):
    """``Procedure?patient=X`` answering an empty Bundle still tells the caller something
    about X's chart, so it is audited as a search of X like one that found records."""
    quiet = make_patient(cast.clinic, cast.front_desk, mrn="Q1", given_name="Quiet")
    sign_in(client, cast.clinician)
    response = get(client, f"Procedure?patient={quiet.public_id}")
    assert response.status_code == 200
    assert not response.json().get("entry")
    event = AuditEvent.objects.filter(action=Action.SEARCH, actor_id=cast.clinician.pk).latest("id")
    assert event.patient_id == quiet.public_id
    assert event.details["count"] == 0


def test_every_operation_outcome_carries_a_valid_r4_string():
    """The API's refusals and the export's error files share one OperationOutcome builder,
    which turns control characters an echoed client value may hold into U+FFFD."""
    body = operation_outcome("invalid", "bad _type 'Pa\x00tient\u2028'")
    assert_valid(body)
    assert body["issue"][0]["diagnostics"] == "bad _type 'Pa\ufffdtient '"


def test_it_finds_a_patients_provenance_by_patient(client, cast, visit):
    """``Provenance?patient=X`` answers who signed X's records, though a Provenance's
    targets are the Procedure and the note, not the Patient."""
    sign_in(client, cast.clinician)
    found = get(client, f"Provenance?patient={cast.patient.public_id}").json()
    assert str(visit.public_id) in {e["resource"]["id"] for e in found.get("entry", [])}
    other = make_patient(cast.clinic, cast.front_desk, mrn="V1", given_name="Vee")
    assert not get(client, f"Provenance?patient={other.public_id}").json().get("entry")
