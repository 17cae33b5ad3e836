"""Code systems, codes and profiles the mappers use, each from ``docs/fhir.md``.

Only codes marked *verified* there are sent as codings; an agent or a muscle whose
standard code is unverified goes out as Taut's own coding and ``text`` (issue 18: no
invented codes). Sources are ``docs/fhir.md``'s ids ([UC] US Core 6.1.0, [R4] the R4 4.0.1
definitions, [DICOM], [MCODE], [CPIC], [R4X]).
"""

from types import MappingProxyType

#: Taut's canonical base for its own CodeSystems and identifier systems. It must be the same
#: on every clinic's server, so it is not built from the deployment's host. example.org is
#: reserved (RFC 2606): it can never name someone else's system. When the project owns a
#: domain this one constant changes (docs/decisions/0044-fhir-api.md).
TAUT_CANONICAL = "https://taut.example.org/fhir"

ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"  # [UC]
CPT = "http://www.ama-assn.org/go/cpt"  # [UC], [R4]
HCPCS = "urn:oid:2.16.840.1.113883.6.285"  # HCPCS Level II (M0076), R4 identifier list
LOINC = "http://loinc.org"  # [UC]
SNOMED = "http://snomed.info/sct"  # [UC]
RXNORM = "http://www.nlm.nih.gov/research/umls/rxnorm"  # [UC]
UCUM = "http://unitsofmeasure.org"  # [UC]
BCP47 = "urn:ietf:bcp:47"  # Patient.communication.language [UC]
V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203"  # identifier type MR [R4]
V3_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"  # AMB [R4]
V3_PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"  # PPRF [R4]
PROVENANCE_AGENT = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"  # [R4]
DOC_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/us-core-documentreference-category"
MED_ADMIN_CATEGORY = "http://terminology.hl7.org/CodeSystem/medication-admin-category"
_THO = "http://terminology.hl7.org/CodeSystem/"
CONDITION_CATEGORY = _THO + "condition-category"  # problem-list-item [R4], [UC]
CONDITION_CLINICAL = _THO + "condition-clinical"  # active, inactive [R4]
CONDITION_VERIFICATION = _THO + "condition-ver-status"  # confirmed, unconfirmed [R4]
ALLERGY_CLINICAL = _THO + "allergyintolerance-clinical"  # [UC] allergyintolerance-example
ALLERGY_VERIFICATION = _THO + "allergyintolerance-verification"  # [UC]
OBSERVATION_CATEGORY = _THO + "observation-category"  # vital-signs, survey, exam [R4]
GOAL_ACHIEVEMENT = _THO + "goal-achievement"  # [R4]
CAREPLAN_CATEGORY = "http://hl7.org/fhir/us/core/CodeSystem/careplan-category"  # [UC]

US_CORE = "http://hl7.org/fhir/us/core/StructureDefinition/"


def us_core(name: str) -> str:
    """A US Core 6.1.0 profile's canonical URL ([UC] §3 of docs/fhir.md)."""
    return US_CORE + name


def taut_system(system_id: str) -> str:
    """One of Taut's own CodeSystems (served at ``/fhir/CodeSystem/<id>``)."""
    return f"{TAUT_CANONICAL}/CodeSystem/{system_id}"


def taut_identifier(kind: str) -> str:
    """An identifier system for Taut's own ids (``staff``, ``visit``)."""
    return f"{TAUT_CANONICAL}/sid/{kind}"


def mrn_system(clinic_public_id: object) -> str:
    """The identifier system of a clinic's MRNs: MRNs are unique within a clinic only."""
    return f"{TAUT_CANONICAL}/sid/mrn/{clinic_public_id}"


# LOINC document and observation codes (verified in docs/fhir.md §2a).
PROCEDURE_NOTE = ("28570-0", "Procedure note")
BODY_WEIGHT = ("29463-7", "Body weight")
# Pain severity 0-10, named by issue 18 ([EPS], [MHV], [HA]; docs/fhir.md §2a).
PAIN_NRS = ("72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")

# PEG (Krebs 2009) LOINC codes: SEEN-2° ONLY (docs/fhir.md §2a: third-party sightings, not
# read in LOINC itself). Issue 18 sends no code it has not verified, so until they are
# checked against LOINC the PEG goes out as Taut's ``checkin-item`` codes (``peg_coding``);
# this flag and this table are the one place to change then.
PEG_LOINC_VERIFIED = False
PEG_ITEMS = MappingProxyType(
    {
        "peg_pain": (
            "75893-8",
            "What number best describes your pain on average in the past week?",
        ),
        # LOINC's displays for these two were not seen: sent without a display.
        "peg_enjoyment": ("91145-3", ""),
        "peg_activity": ("91146-1", ""),
    }
)
PEG_SCORE = ("91147-9", "Mean score [PEG]")

# Routes ([R4X] route-codes 4.0.1, verified): a muscle is injected intramuscularly; a
# ligament or tendon is infiltrated.
ROUTE_INTRAMUSCULAR = ("78421000", "Intramuscular use")
ROUTE_INFILTRATION = ("718329006", "Infiltration route")

# Laterality qualifiers ([DICOM] CID 244/2, [MCODE]; verified).
LATERALITY = MappingProxyType(
    {
        "left": ("7771000", "Left"),
        "right": ("24028007", "Right"),
        "both": ("51440002", "Right and left"),
    }
)

# Ingredients: RxNorm where verified ([CPIC]), SNOMED substance where verified ([DICOM]).
RXNORM_INGREDIENT = MappingProxyType(
    {"lidocaine": ("6387", "lidocaine"), "triamcinolone": ("10759", "triamcinolone")}
)
SNOMED_SUBSTANCE = MappingProxyType(
    {
        "lidocaine": ("387480006", "Lidocaine"),
        "bupivacaine": ("387150008", "Bupivacaine"),
        "methylprednisolone": ("116593003", "Methylprednisolone"),
    }
)

# Body structures: the atlas ids whose SNOMED CT code docs/fhir.md §2d marks verified.
# Parts of one muscle share the whole muscle's code; the atlas coding beside it keeps the part.
SNOMED_SITE = MappingProxyType(
    {
        "trapezius_upper": ("31764008", "Trapezius muscle"),
        "trapezius_middle": ("31764008", "Trapezius muscle"),
        "trapezius_lower": ("31764008", "Trapezius muscle"),
        "infraspinatus": ("72573008", "Infraspinatus muscle"),
        "supraspinatus": ("6423006", "Supraspinatus muscle"),
        "teres_major": ("1193009", "Teres major muscle"),
        "teres_minor": ("51159009", "Teres minor muscle"),
        "subscapularis": ("90588001", "Subscapularis muscle"),
        "deltoid": ("35259002", "Deltoid muscle"),
        "latissimus_dorsi": ("15665001", "Latissimus dorsi muscle"),
        "pectoralis_major": ("60005003", "Pectoralis major muscle"),
        "pectoralis_minor": ("18686000", "Pectoralis minor muscle"),
        "serratus_anterior": ("18346003", "Serratus anterior muscle"),
        "sternocleidomastoid": ("22823000", "Sternocleidomastoid muscle"),
        "splenius_capitis": ("1600003", "Splenius capitis muscle"),
        "semispinalis_capitis": ("2666009", "Structure of semispinalis capitis muscle"),
        "cervical_multifidi": ("5709001", "Multifidus muscles"),
        "lumbar_multifidi": ("5709001", "Multifidus muscles"),
        "quadratus_lumborum": ("6001004", "Quadratus lumborum muscle"),
        "iliocostalis_thoracis": ("57651003", "Iliocostalis muscle"),
        "iliocostalis_lumborum": ("57651003", "Iliocostalis muscle"),
        "longissimus_thoracis": ("88340001", "Longissimus muscle"),
        "gluteus_maximus": ("206007", "Gluteus maximus muscle"),
        "masseter": ("79368004", "Masseter muscle structure"),
        "temporalis": ("52927003", "Structure of temporalis muscle"),
        "digastric": ("52410001", "Digastric muscle structure"),
        "vastus_lateralis": ("1403006", "Vastus lateralis muscle"),
        "vastus_medialis": ("3478008", "Vastus medialis muscle"),
    }
)

# Taut's own CodeSystems: id → (title, description). Served at /fhir/CodeSystem/<id>.
TAUT_SYSTEMS = MappingProxyType(
    {
        "atlas-site": (
            "Taut atlas sites",
            "Muscles, ligaments and tendons of Taut's referred-pain atlas "
            "(taut/clinical/data/referral_atlas.json), finer than or without a verified "
            "SNOMED CT body structure.",
        ),
        "visit-kind": ("Taut visit kinds", "New TPI assessment, repeat session, follow-up."),
        "staff-role": ("Taut staff roles", "The roles of a clinic's staff in Taut."),
        "complication": (
            "Taut procedure complications",
            "Complications recorded after trigger point injections; no verified SNOMED CT "
            "codes were found for Taut's list.",
        ),
        "agent": (
            "Taut injectates",
            "Local anaesthetics, steroids and sclerosants whose RxNorm code is unverified.",
        ),
        "allergen": (
            "Taut local-anaesthetic allergens",
            "The allergen codes of taut.clinical.dosing.allergens: an agent (lidocaine), a "
            "class (amide, ester) or an excipient (paraben, sulfite); no verified code "
            "for the classes and excipients.",
        ),
        "medication-flag": (
            "Taut medication flags",
            "What Taut's safety rules read about a medicine on the patient's list: "
            "antithrombotic (an anticoagulant or antiplatelet).",
        ),
        "trigger-point-finding": (
            "Taut trigger point and structure findings",
            "The examination of a muscle's trigger point or a ligament's or tendon's point "
            "(the kind of exam, each criterion, and the classification: active or latent "
            "trigger point, symptomatic or tender structure); no SNOMED CT or LOINC codes "
            "were found.",
        ),
        "intake-item": (
            "Taut intake items",
            "Intake scores without a verified LOINC code: average and worst pain in the past "
            "week (0-10).",
        ),
        "checkin-item": (
            "Taut check-in items",
            "Check-in scores without a verified LOINC code: injection-site soreness "
            "(0-10), PGIC, GAS level.",
        ),
        "pgic": (
            "Taut PGIC categories",
            "The 7-point Patient Global Impression of Change, IMMPACT / NINDS labels.",
        ),
        "checkin-treatment": (
            "Taut other treatments",
            "What else a patient used for the pain since the session (a check-in answer).",
        ),
        "gas-level": (
            "Taut Goal Attainment Scaling levels",
            "GAS levels -2 (much less than expected) to +2 (much more than expected).",
        ),
        "next-step": (
            "Taut next-step decisions",
            "A clinician's decision after a session (repeat, continue, review, stop, "
            "other) and the advice it answered.",
        ),
        "next-step-reason": (
            "Taut next-step reasons",
            "The reasons and payer checks behind the next-step advice (taut.clinical.schedule).",
        ),
    }
)
