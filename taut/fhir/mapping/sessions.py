"""A visit and its injection session: Encounter, Procedure, MedicationAdministration,
DocumentReference (the signed note) and Provenance (who signed it, and each addendum)."""

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from taut.clinical import atlas, steroids
from taut.fhir.mapping import codes
from taut.fhir.mapping.base import (
    Json,
    coding,
    concept,
    derived_id,
    instant,
    quantity,
    ref,
    resource,
    taut_coding,
)

# Visit.State → Encounter.status (R4 encounter-status). A missed visit is "cancelled": R4's
# Encounter has no no-show status (that belongs to Appointment).
ENCOUNTER_STATUS = {
    "scheduled": "planned",
    "intake_done": "in-progress",
    "examined": "in-progress",
    "procedure_documented": "in-progress",
    "signed": "finished",
    "ended": "finished",
    "cancelled": "cancelled",
    "no_show": "cancelled",
}
SESSION_TEXT = "Trigger point injection session"
_STEROID_LABELS = {str(s): agent.label for s, agent in steroids.STEROIDS.items()}


def encounter(visit: Any, *, patient_id: object, clinic_id: object) -> Json:
    """A visit ([UC] us-core-encounter: identifier, status, class, type, subject,
    participant, period, serviceProvider)."""
    status = ENCOUNTER_STATUS[visit.state]
    period = {"start": instant(visit.arrived_at or visit.scheduled_for)}
    if status == "finished":
        period["end"] = instant(visit.ends_at)
    participant = []
    if visit.clinician is not None:
        participant.append(
            {
                "type": [concept(coding(codes.V3_PARTICIPATION, "PPRF", "primary performer"))],
                "individual": ref("Practitioner", visit.clinician.public_id),
            }
        )
    kind = visit.get_kind_display()
    return resource(
        "Encounter",
        visit.public_id,
        last_updated=visit.updated_at,
        profiles=(codes.us_core("us-core-encounter"),),
        identifier=[{"system": codes.taut_identifier("visit"), "value": str(visit.public_id)}],
        status=status,
        **{"class": coding(codes.V3_ACT_CODE, "AMB", "ambulatory")},
        type=[concept(taut_coding("visit-kind", visit.kind, kind), text=kind)],
        subject=ref("Patient", patient_id),
        participant=participant,
        period=period,
        serviceProvider=ref("Organization", clinic_id),
    )


def procedures(
    visit: Any, procedure: Any, sites: Sequence[Any], note: Any | None, *,
    patient_id: object, clinic_id: object,
) -> list[Json]:  # fmt: skip
    """The session as Procedures ([UC] us-core-procedure): one per billing line of the signed
    note (CPT 20552/20553, 20550/20551, 20560/20561, HCPCS M0076), each with the sites that
    produced its code; the first line's id is the visit's. Before signing: one Procedure,
    in progress, of every recorded site, with no code yet."""
    performer = _performer(note.signed_by if note else visit.clinician, clinic_id)
    common: Json = {
        "subject": ref("Patient", patient_id),
        "encounter": ref("Encounter", visit.public_id),
        "performedPeriod": _performed(procedure),
        "performer": performer,
        "complication": _complications(procedure),
        "note": [{"text": procedure.complication_action}],
    }
    if note is None:
        return [
            resource(
                "Procedure",
                visit.public_id,
                last_updated=visit.updated_at,
                profiles=(codes.us_core("us-core-procedure"),),
                status="in-progress",
                code=concept(text=SESSION_TEXT),
                **_sited(((s.muscle, s.side) for s in sites), patient_id=patient_id),
                **common,
            )
        ]
    lines = note.codes or [{"code": note.cpt_code, "sites": []}]
    reasons = [concept(coding(codes.ICD10CM, code)) for code in note.icd_codes]
    result = []
    for i, line in enumerate(lines):
        code = line["code"]
        system = codes.HCPCS if code[:1].isalpha() else codes.CPT
        resource_id = visit.public_id if i == 0 else derived_id(visit.public_id, code)
        result.append(
            resource(
                "Procedure",
                resource_id,
                last_updated=note.signed_at,
                profiles=(codes.us_core("us-core-procedure"),),
                status="completed",
                code=concept(coding(system, code) if code else None, text=SESSION_TEXT),
                partOf=[ref("Procedure", visit.public_id)] if i else [],
                **_sited(((s["id"], s["side"]) for s in line["sites"]), patient_id=patient_id),
                reasonCode=reasons,
                report=[ref("DocumentReference", visit.public_id)],
                **common,
            )
        )
    return result


def administrations(
    visit: Any, procedure: Any, sites: Sequence[Any], *, patient_id: object
) -> list[Json]:
    """Each injected agent at each site ([R4] MedicationAdministration): the anaesthetic or
    saline, the steroid and the sclerosant, each its own resource, with dose, route, site
    and (for the anaesthetic) concentration and lot, in a contained Medication."""
    result = []
    for site in sites:
        structure, at = located(site.muscle, site.side, local_id="site", patient_id=patient_id)
        for part, medication, dose in _injectates(site):
            resource_id = (
                site.public_id if part == "injectate" else derived_id(site.public_id, part)
            )
            result.append(
                resource(
                    "MedicationAdministration",
                    resource_id,
                    last_updated=site.recorded_at,
                    contained=[
                        {"resourceType": "Medication", "id": "med", **medication},
                        structure,
                    ],
                    status="completed",
                    category=concept(coding(codes.MED_ADMIN_CATEGORY, "outpatient")),
                    medicationReference={"reference": "#med"},
                    subject=ref("Patient", patient_id),
                    context=ref("Encounter", visit.public_id),
                    effectiveDateTime=instant(site.recorded_at),
                    performer=[{"actor": ref("Practitioner", site.recorded_by.public_id)}]
                    if site.recorded_by
                    else [],
                    partOf=[ref("Procedure", visit.public_id)],
                    dosage={
                        "site": at,
                        "route": _route(site.muscle),
                        "dose": dose or DOSE_NOT_RECORDED,
                    },
                )
            )
    return result


#: A dose Taut does not record (a sclerosant mixed into the injectate; a steroid without its
#: mg): R4's data-absent-reason extension in its place, as the dosage must have a dose or a
#: rate (R4 invariant mad-1).
DOSE_NOT_RECORDED: Json = {
    "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                   "valueCode": "unknown"}]
}  # fmt: skip


def document(visit: Any, note: Any, addenda: Sequence[Any], *, patient_id: object,
             clinic_id: object, pdf_url: str) -> Json:  # fmt: skip
    """The signed note ([UC] us-core-documentreference, LOINC 28570-0 procedure note): its
    PDF at ``pdf_url``. Amended once an addendum is signed."""
    author = [ref("Practitioner", note.signed_by.public_id)] if note.signed_by else []
    return resource(
        "DocumentReference",
        visit.public_id,
        last_updated=addenda[-1].signed_at if addenda else note.signed_at,
        profiles=(codes.us_core("us-core-documentreference"),),
        identifier=[{"system": codes.taut_identifier("note"), "value": str(visit.public_id)}],
        status="current",
        docStatus="amended" if addenda else "final",
        type=concept(coding(codes.LOINC, *codes.PROCEDURE_NOTE), text="Procedure note"),
        category=[concept(coding(codes.DOC_CATEGORY, "clinical-note", "Clinical Note"))],
        subject=ref("Patient", patient_id),
        date=instant(note.signed_at),
        author=author,
        authenticator=author[0] if author else None,
        custodian=ref("Organization", clinic_id),
        content=[
            {
                "attachment": {
                    "contentType": "application/pdf",
                    "url": pdf_url,
                    "title": "Procedure note",
                    "creation": instant(note.signed_at),
                }
            }
        ],
        context={
            "encounter": [ref("Encounter", visit.public_id)],
            "period": {"start": instant(visit.scheduled_for)},
        },
    )


def provenances(visit: Any, note: Any, addenda: Sequence[Any], *, clinic_id: object) -> list[Json]:
    """Who signed the note and the session, when ([UC] us-core-provenance); and who signed
    each addendum (its own Provenance, id the addendum's)."""
    signed = _provenance(
        visit.public_id, note.signed_at, note.signed_by, clinic_id,
        targets=[ref("Procedure", visit.public_id), ref("DocumentReference", visit.public_id)],
        activity="CREATE",
    )  # fmt: skip
    return [signed] + [
        _provenance(
            a.public_id,
            a.signed_at,
            a.signed_by,
            clinic_id,
            targets=[ref("DocumentReference", visit.public_id)],
            activity="UPDATE",
        )
        for a in addenda
    ]


BODY_SITE = "http://hl7.org/fhir/StructureDefinition/bodySite"  # R4 core extension
TARGET_BODY_STRUCTURE = "http://hl7.org/fhir/StructureDefinition/procedure-targetBodyStructure"


def body_structure(site_id: str, side: str, *, local_id: str, patient_id: object) -> Json:
    """A site with its side coded: a contained BodyStructure whose ``location`` is the
    structure (SNOMED CT where verified, Taut's atlas coding always) and whose
    ``locationQualifier`` is the laterality, SNOMED CT 7771000 left / 24028007 right
    (docs/fhir.md §2b, option a). A midline structure takes no qualifier."""
    known = atlas.SITES.get(site_id)
    name = known.name if known else site_id.replace("_", " ")
    snomed = codes.SNOMED_SITE.get(site_id)
    structure: Json = {
        "resourceType": "BodyStructure",
        "id": local_id,
        "location": concept(
            coding(codes.SNOMED, *snomed) if snomed else None,
            taut_coding("atlas-site", site_id, name),
            text=name,
        ),
        "description": site_concept(site_id, side)["text"],
        "patient": ref("Patient", patient_id),
    }
    if side in codes.LATERALITY:
        code, display = codes.LATERALITY[side]
        structure["locationQualifier"] = [
            concept(coding(codes.SNOMED, code, display), text=display)
        ]
    return structure


def located(site_id: str, side: str, *, local_id: str, patient_id: object) -> tuple[Json, Json]:
    """(the contained BodyStructure, the body site concept that points at it): put the first
    in the resource's ``contained`` and the second where the element wants a site."""
    pointer = {"url": BODY_SITE, "valueReference": {"reference": f"#{local_id}"}}
    return (
        body_structure(site_id, side, local_id=local_id, patient_id=patient_id),
        {"extension": [pointer], **site_concept(site_id, side)},
    )


def site_concept(site_id: str, side: str) -> Json:
    """A site as a body site: SNOMED CT where verified, Taut's atlas coding always, and the
    side in words (R4 has no laterality element; docs/fhir.md §2b)."""
    known = atlas.SITES.get(site_id)
    name = known.name if known else site_id.replace("_", " ")
    snomed = codes.SNOMED_SITE.get(site_id)
    text = name if side in ("", "midline") else f"{side.capitalize()} {name[:1].lower()}{name[1:]}"
    return concept(
        coding(codes.SNOMED, *snomed) if snomed else None,
        taut_coding("atlas-site", site_id, name),
        text=text,
    )


def _sited(pairs: Any, *, patient_id: object) -> Json:
    """A Procedure's sites: each distinct (site, side) as a contained BodyStructure (the
    target body structures) and as a body site pointing at it."""
    seen: list[tuple[str, str]] = []
    for pair in pairs:
        if pair not in seen:
            seen.append(pair)
    found = [
        located(site_id, side, local_id=f"site-{i}", patient_id=patient_id)
        for i, (site_id, side) in enumerate(seen, 1)
    ]
    return {
        "contained": [structure for structure, _ in found],
        "extension": [
            {"url": TARGET_BODY_STRUCTURE, "valueReference": {"reference": f"#{s['id']}"}}
            for s, _ in found
        ],
        "bodySite": [site for _, site in found],
    }


def _performed(procedure: Any) -> Json:
    period = {"start": instant(procedure.started_at)}
    if procedure.discharged_at:
        period["end"] = instant(procedure.discharged_at)
    return period


def _performer(user: Any | None, clinic_id: object) -> list[Json]:
    if user is None:
        return []
    return [
        {"actor": ref("Practitioner", user.public_id), "onBehalfOf": ref("Organization", clinic_id)}
    ]


def _complications(procedure: Any) -> list[Json]:
    labels = dict(zip(procedure.complications, procedure.complication_labels, strict=False))
    return [
        concept(taut_coding("complication", c, labels[c]), text=labels[c])
        for c in procedure.complications
        if c != "none" and c in labels
    ]


def _route(site_id: str) -> Json:
    muscle = site_id in atlas.MUSCLES
    code = codes.ROUTE_INTRAMUSCULAR if muscle else codes.ROUTE_INFILTRATION
    return concept(coding(codes.SNOMED, *code), text=code[1])


def _ingredient_coding(name: str, label: str) -> Json:
    """An ingredient's codings: RxNorm and SNOMED where verified, else Taut's."""
    rxnorm, snomed = codes.RXNORM_INGREDIENT.get(name), codes.SNOMED_SUBSTANCE.get(name)
    return concept(
        coding(codes.RXNORM, *rxnorm) if rxnorm else None,
        coding(codes.SNOMED, *snomed) if snomed else None,
        None if rxnorm or snomed else taut_coding("agent", name, label),
        text=label,
    )


def _injectates(site: Any) -> list[tuple[str, Json, Json | None]]:
    """(part, Medication body, dose) for what went into ``site``."""
    found = []
    batch = {"lotNumber": site.lot_number}
    if site.expiry:
        batch["expirationDate"] = site.expiry.isoformat()
    volume = quantity(site.volume_ml, "mL") if site.volume_ml else None
    if site.kind == "anaesthetic" and site.agent:
        label = site.agent.capitalize()
        ingredient: Json = {"itemCodeableConcept": _ingredient_coding(site.agent, label)}
        if site.percent is not None:
            ingredient["strength"] = {
                # 1 % w/v = 10 mg/mL
                "numerator": quantity(Decimal(site.percent) * 10, "mg"),
                "denominator": quantity(1, "mL"),
            }
            label = f"{label} {Decimal(site.percent).normalize():f}%"
        ingredients = [ingredient]
        if site.epinephrine:
            ingredients.append({"itemCodeableConcept": concept(
                coding(codes.SNOMED, "387362001", "Epinephrine"), text="Epinephrine")})  # fmt: skip
            label += " with epinephrine"
        medication = {"code": concept(text=label), "ingredient": ingredients, "batch": batch}
        found.append(("injectate", medication, volume))
    elif site.kind == "saline":
        medication = {
            "code": concept(taut_coding("agent", "saline", "Sodium chloride 0.9%"),
                            text="Sodium chloride 0.9%"),
            "batch": batch,
        }  # fmt: skip
        found.append(("injectate", medication, volume))
    if site.steroid:
        label = _STEROID_LABELS.get(site.steroid, site.steroid)
        mg = quantity(site.steroid_mg, "mg") if site.steroid_mg else None
        found.append(("steroid", {"code": _ingredient_coding(site.steroid, label)}, mg))
    if site.sclerosant:
        label = site.get_sclerosant_display()
        found.append(
            ("sclerosant", {"code": concept(taut_coding("agent", site.sclerosant, label),
                                             text=label)}, None)
        )  # fmt: skip
    return [(part, _pruned_med(med), dose) for part, med, dose in found]


def _pruned_med(medication: Json) -> Json:
    if not medication.get("batch", {}).get("lotNumber"):
        medication.pop("batch", None)
    return medication


def _provenance(resource_id, recorded, user, clinic_id, *, targets, activity) -> Json:
    agent = {
        "type": concept(coding(codes.PROVENANCE_AGENT, "author", "Author")),
        "who": ref("Practitioner", user.public_id) if user else {"display": "Unknown"},
        "onBehalfOf": ref("Organization", clinic_id),
    }
    return resource(
        "Provenance",
        resource_id,
        last_updated=recorded,
        profiles=(codes.us_core("us-core-provenance"),),
        target=targets,
        recorded=instant(recorded),
        activity=concept(
            coding("http://terminology.hl7.org/CodeSystem/v3-DataOperation", activity)
        ),
        agent=[agent],
    )
