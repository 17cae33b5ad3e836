"""The chart's lists as FHIR: Condition, AllergyIntolerance and MedicationStatement, every
resource valid, with the codes, statuses and flags the issue asks for."""

from taut.fhir import registry
from taut.fhir.mapping import codes, search
from taut.fhir.scope import Scope
from taut.fhir.tests.checks import assert_valid
from taut.patients import services
from taut.patients.models import Allergy, Condition, Medication
from taut.tests.cast import acting
from taut.tests.once import built_once_per_module
from taut.visits.tests import flow as visit_flow
from taut.workflows import notes

BASE = "http://testserver/fhir"


def chart_entries(cast):
    def add(patient, entry, by=cast.nurse):
        return services.add_chart_entry(patient=patient, entry=entry, actor=acting(by))

    visit = visit_flow.ready_to_sign(cast.patient, cast.clinician)
    notes.sign_note(
        visit=visit, version=visit.version, icd_codes=["M79.18", "M54.2"],
        actor=acting(cast.clinician),
    )  # fmt: skip
    # Signed before the allergies are added: a lidocaine allergy would stop the session.
    made = {
        "visit": visit,
        "back": add(cast.patient, Condition(name="Myofascial pain syndrome", icd10="M79.18")),
        "old": services.retire_chart_entry(
            entry=add(cast.patient, Condition(name="Old sprain")), actor=acting(cast.nurse)
        ),
        "lidocaine": add(
            cast.patient, Allergy(agent="Lidocaine", reaction="Hives", severity="severe")
        ),
        "amide": add(
            cast.patient,
            Allergy(
                agent="amide anaesthetics", anaesthetic="amide", reaction="Rash", severity="mild"
            ),
        ),
        "penicillin": add(cast.patient, Allergy(agent="Penicillin", reaction="Swelling")),
        "apixaban": add(
            cast.patient, Medication(name="Apixaban", dose="5 mg twice daily", antithrombotic=True)
        ),
        "vitamin": add(cast.patient, Medication(name="Vitamin D")),
        "outsider": add(
            cast.other_patient, Condition(name="Other clinic's", icd10="M54.2"), by=cast.outsider
        ),
    }
    return made


entries, _entries_once = built_once_per_module(chart_entries, name="entries")


def emitted(cast, kind, **scoped):
    scope = Scope(clinic=cast.clinic, base=BASE, **scoped)
    return {resource["id"]: resource for _, resource in registry.KINDS[kind].load(scope)}


def test_it_emits_only_valid_chart_resources(cast, entries):
    """Every chart resource passes the R4 schema and the fhirclient round trip."""
    for kind in ("Condition", "AllergyIntolerance", "MedicationStatement"):
        found = emitted(cast, kind)
        assert found, kind
        for resource in found.values():
            assert resource["resourceType"] == kind
            assert_valid(resource)


def test_it_codes_a_problem_with_icd10_and_its_status(cast, entries):
    """A condition carries ICD-10-CM, problem-list-item and active/inactive."""
    found = emitted(cast, "Condition")
    back = found[str(entries["back"].public_id)]
    assert back["meta"]["profile"] == [codes.us_core("us-core-condition-problems-health-concerns")]
    assert back["code"] == {
        "coding": [{"system": codes.ICD10CM, "code": "M79.18"}],
        "text": "Myofascial pain syndrome",
    }
    assert back["category"][0]["coding"][0]["code"] == "problem-list-item"
    assert back["clinicalStatus"]["coding"][0]["code"] == "active"
    assert back["subject"] == {"reference": f"Patient/{cast.patient.public_id}"}
    old = found[str(entries["old"].public_id)]
    assert old["clinicalStatus"]["coding"][0]["code"] == "inactive"
    assert old["code"] == {"text": "Old sprain"}


def test_it_sends_the_diagnoses_confirmed_at_signing_as_encounter_diagnoses(cast, entries):
    """Each ICD-10-CM code the clinician confirmed is a Condition of the visit."""
    visit = entries["visit"]
    found = emitted(cast, "Condition")
    myalgia = found[f"{visit.public_id}-dx-M79.18"]
    assert myalgia["meta"]["profile"] == [codes.us_core("us-core-condition-encounter-diagnosis")]
    assert myalgia["category"][0]["coding"][0]["code"] == "encounter-diagnosis"
    assert myalgia["code"] == {
        "coding": [{"system": codes.ICD10CM, "code": "M79.18"}],
        "text": "Myalgia, other site",
    }
    assert myalgia["encounter"] == {"reference": f"Encounter/{visit.public_id}"}
    assert myalgia["recorder"] == {"reference": f"Practitioner/{cast.clinician.public_id}"}
    cervicalgia = found[f"{visit.public_id}-dx-M54.2"]
    assert cervicalgia["code"] == {"coding": [{"system": codes.ICD10CM, "code": "M54.2"}]}


def test_it_codes_anaesthetic_allergies_by_agent_and_class(cast, entries):
    """A lidocaine allergy carries RxNorm, SNOMED CT and Taut's allergen coding; a class
    allergy only Taut's; severity sets criticality; an uncoded one is text only."""
    found = emitted(cast, "AllergyIntolerance")
    lidocaine = found[str(entries["lidocaine"].public_id)]
    systems = {c["system"]: c["code"] for c in lidocaine["code"]["coding"]}
    assert systems == {
        codes.RXNORM: "6387",
        codes.SNOMED: "387480006",
        codes.taut_system("allergen"): "lidocaine",
    }
    assert lidocaine["criticality"] == "high"
    assert lidocaine["reaction"][0]["manifestation"] == [{"text": "Hives"}]
    assert lidocaine["reaction"][0]["severity"] == "severe"
    assert lidocaine["category"] == ["medication"]
    assert lidocaine["patient"] == {"reference": f"Patient/{cast.patient.public_id}"}
    amide = found[str(entries["amide"].public_id)]
    assert [c["code"] for c in amide["code"]["coding"]] == ["amide"]
    assert amide["criticality"] == "low"
    penicillin = found[str(entries["penicillin"].public_id)]
    assert penicillin["code"] == {"text": "Penicillin"}
    assert penicillin["criticality"] == "unable-to-assess"
    assert "category" not in penicillin


def test_it_flags_blood_thinners_on_the_medicines_list(cast, entries):
    """An antithrombotic medicine carries Taut's medication-flag category; others none."""
    found = emitted(cast, "MedicationStatement")
    apixaban = found[str(entries["apixaban"].public_id)]
    assert apixaban["category"]["coding"] == [
        {
            "system": codes.taut_system("medication-flag"),
            "code": "antithrombotic",
            "display": "Anticoagulant or antiplatelet",
        }
    ]
    assert apixaban["dosage"] == [{"text": "5 mg twice daily"}]
    assert apixaban["status"] == "active"
    assert "category" not in found[str(entries["vitamin"].public_id)]


def test_it_never_emits_another_clinics_or_another_scopes_records(cast, entries):
    """The other clinic's patient's records never appear; patient_ids narrows the scope."""
    ids = set(emitted(cast, "Condition"))
    assert str(entries["outsider"].public_id) not in ids
    assert emitted(cast, "Condition", patient_ids=(cast.other_patient.pk,)) == {}
    assert emitted(cast, "AllergyIntolerance", patient_ids=(cast.patient.pk + 10_000,)) == {}


def test_it_finds_allergies_and_blood_thinners_by_category(cast, entries):
    """category=medication matches the coded allergies (a ``code`` element); the
    antithrombotic flag is found by its category."""
    allergies = emitted(cast, "AllergyIntolerance").values()
    medicines = emitted(cast, "MedicationStatement").values()
    coded = search.parse("AllergyIntolerance", [("category", "medication")])
    assert {a["id"] for a in allergies if search.matches(a, coded)} == {
        str(entries["lidocaine"].public_id), str(entries["amide"].public_id)
    }  # fmt: skip
    flag = search.parse("MedicationStatement", [("category", "antithrombotic")])
    assert [m["id"] for m in medicines if search.matches(m, flag)] == [
        str(entries["apixaban"].public_id)
    ]
