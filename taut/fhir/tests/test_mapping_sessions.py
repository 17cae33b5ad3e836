"""A signed session as FHIR: every resource valid (R4 schema, fhirclient round trip), with
the codes, references and values the issue asks for."""

from decimal import Decimal

from taut.aftercare.tests import flow
from taut.fhir import registry
from taut.fhir.mapping import codes
from taut.fhir.scope import Scope
from taut.fhir.tests.checks import assert_valid
from taut.tests.once import built_once_per_module
from taut.visits.tests import flow as visit_flow

BASE = "http://testserver/fhir"


def session_with_steroid(cast):
    sites = [
        visit_flow.site("trapezius_upper", "left", lot_number="LOT-7", percent="1", ml="2"),
        visit_flow.site(
            "infraspinatus",
            "right",
            agent="bupivacaine",
            percent="0.25",
            ml="3",
            steroid="triamcinolone",
            steroid_mg=Decimal("10"),
        ),
    ]
    return flow.signed(cast.patient, cast.clinician, sites=sites)


visit, _visit_once = built_once_per_module(session_with_steroid, name="visit")


def emitted(cast, kind):
    scope = Scope(clinic=cast.clinic, base=BASE)
    return [resource for _, resource in registry.KINDS[kind].load(scope)]


def test_it_emits_only_valid_resources_of_every_session_type(cast, visit):
    for kind in ("Patient", "Organization", "Practitioner", "PractitionerRole", "Encounter",
                 "Procedure", "MedicationAdministration", "DocumentReference", "Provenance"):  # fmt: skip
        found = emitted(cast, kind)
        assert found, kind
        for resource in found:
            assert resource["resourceType"] == kind
            assert_valid(resource)


def test_it_names_each_record_by_its_public_id(cast, visit):
    (patient,) = emitted(cast, "Patient")
    assert patient["id"] == str(cast.patient.public_id)
    assert patient["identifier"][0]["value"] == cast.patient.mrn
    assert patient["meta"]["profile"] == [codes.us_core("us-core-patient")]
    (encounter,) = emitted(cast, "Encounter")
    assert encounter["id"] == str(visit.public_id)
    assert encounter["status"] == "finished"
    assert encounter["subject"] == {"reference": f"Patient/{cast.patient.public_id}"}


def test_it_codes_the_session_with_the_signed_notes_cpt_and_its_sites(cast, visit):
    procedures = emitted(cast, "Procedure")
    main = next(p for p in procedures if p["id"] == str(visit.public_id))
    assert main["status"] == "completed"
    assert main["code"]["coding"] == [{"system": codes.CPT, "code": visit.note.cpt_code}]
    assert visit.note.cpt_code == "20552"  # two muscles
    texts = {site["text"] for site in main["bodySite"]}
    assert texts == {"Left trapezius - upper fibres", "Right infraspinatus"}
    trapezius = next(s for s in main["bodySite"] if s["text"] == "Left trapezius - upper fibres")
    assert {"system": codes.SNOMED, "code": "31764008", "display": "Trapezius muscle"} in (
        trapezius["coding"]
    )
    assert main["report"] == [{"reference": f"DocumentReference/{visit.public_id}"}]
    assert main["performer"][0]["actor"]["reference"] == f"Practitioner/{cast.clinician.public_id}"


def test_it_gives_each_agent_its_dose_route_strength_and_lot(cast, visit):
    given = emitted(cast, "MedicationAdministration")
    sites = list(visit.procedure.sites.order_by("pk"))
    assert len(given) == 3  # two anaesthetics and one steroid
    lidocaine = next(g for g in given if g["id"] == str(sites[0].public_id))
    medication = lidocaine["contained"][0]
    assert medication["batch"] == {"lotNumber": "LOT-7"}
    ingredient = medication["ingredient"][0]
    assert {"system": codes.RXNORM, "code": "6387", "display": "lidocaine"} in (
        ingredient["itemCodeableConcept"]["coding"]
    )
    assert ingredient["strength"]["numerator"]["value"] == 10  # 1 % = 10 mg/mL
    assert lidocaine["dosage"]["dose"] == {
        "value": 2, "unit": "mL", "system": codes.UCUM, "code": "mL"
    }  # fmt: skip
    assert lidocaine["dosage"]["route"]["coding"][0]["code"] == "78421000"  # intramuscular
    assert lidocaine["partOf"] == [{"reference": f"Procedure/{visit.public_id}"}]
    steroid = next(g for g in given if g["dosage"]["dose"]["unit"] == "mg")
    assert steroid["dosage"]["dose"]["value"] == 10
    assert steroid["contained"][0]["code"]["text"] == "Triamcinolone"
    assert steroid["id"] not in {str(s.public_id) for s in sites}


def test_it_points_the_signed_note_at_its_pdf_and_its_signer(cast, visit):
    (document,) = emitted(cast, "DocumentReference")
    assert document["type"]["coding"][0] == {
        "system": codes.LOINC, "code": "28570-0", "display": "Procedure note"
    }  # fmt: skip
    assert document["content"][0]["attachment"]["url"] == f"{BASE}/Binary/{visit.public_id}"
    (provenance,) = emitted(cast, "Provenance")
    assert provenance["agent"][0]["who"] == {
        "reference": f"Practitioner/{cast.clinician.public_id}"
    }
    assert provenance["recorded"].endswith("Z")


def test_it_reads_only_the_scopes_patients(cast, visit):
    scope = Scope(clinic=cast.clinic, base=BASE, patient_ids=(cast.other_patient.pk,))
    assert list(registry.KINDS["Encounter"].load(scope)) == []
    other = Scope(clinic=cast.other_clinic, base=BASE)
    assert [r["id"] for _, r in registry.KINDS["Patient"].load(other)] == [
        str(cast.other_patient.public_id)
    ]


def test_it_codes_each_sites_side_on_a_body_structure(cast, visit):
    """Laterality is coded, not only written: each site is a contained BodyStructure with
    SNOMED CT 7771000 (left) or 24028007 (right), which the body site and the Procedure's
    target body structures point at (docs/fhir.md §2b)."""
    procedures = emitted(cast, "Procedure")
    main = next(p for p in procedures if p["id"] == str(visit.public_id))
    structures = {s["id"]: s for s in main["contained"]}
    sides = {}
    for site in main["bodySite"]:
        (pointer,) = site["extension"]
        structure = structures[pointer["valueReference"]["reference"].removeprefix("#")]
        assert structure["patient"] == {"reference": f"Patient/{cast.patient.public_id}"}
        sides[structure["location"]["text"]] = structure["locationQualifier"][0]["coding"][0][
            "code"
        ]
    assert sides == {"Trapezius - upper fibres": "7771000", "Infraspinatus": "24028007"}
    targets = {e["valueReference"]["reference"] for e in main["extension"]}
    assert targets == {f"#{i}" for i in structures}
    given = emitted(cast, "MedicationAdministration")
    infraspinatus = [g for g in given if g["dosage"]["site"]["text"] == "Right infraspinatus"]
    assert len(infraspinatus) == 2  # the anaesthetic and the steroid
    for administration in infraspinatus:
        (structure,) = [
            c for c in administration["contained"] if c["resourceType"] == "BodyStructure"
        ]
        assert structure["locationQualifier"][0]["coding"][0]["code"] == "24028007"
