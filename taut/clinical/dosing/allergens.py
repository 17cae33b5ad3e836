"""Local-anaesthetic allergies by drug class and excipient: which agents and solutions conflict.

An allergen code is an agent (``"lidocaine"``, ``"tetracaine"``), a class (``"amide"``,
``"ester"``) or an excipient (``"paraben"``, ``"sulfite"``). The rule (issue 11, point 1):

* an allergy to an amide (the class, or any amide agent) rules out every amide;
* an allergy to an ester (the class, any ester agent, or PABA) rules out every ester;
* a paraben allergy allows only preservative-free (single-dose, "MPF") vials;
* a sulfite allergy rules out solutions with epinephrine.

The class facts are not in ``shared/reference/clinical.md`` yet; each reason names the
product label or review it rests on (``SOURCES``) and its status. Software suggests, the
clinician decides: an amide conflict can be overridden by a clinician's recorded reason
(e.g. documented allergy testing), which the workflow asks for.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from taut.clinical.dosing.agents import Agent, read_agent
from taut.clinical.inputs import member_of, read_collection, read_flag


class AnaestheticClass(StrEnum):
    AMIDE = "amide"
    ESTER = "ester"


class Excipient(StrEnum):
    PARABEN = "paraben"
    SULFITE = "sulfite"


class ConflictKind(StrEnum):
    CLASS = "class"  # the agent is of a class the patient is allergic to
    PARABEN = "paraben"  # a vial with methylparaben
    SULFITE = "sulfite"  # a solution with epinephrine (sodium metabisulfite)


#: Where each fact comes from. Read on DailyMed or in the review named; not yet in
#: clinical.md §9, so each reason says how far it is verified.
SOURCES: Mapping[str, str] = MappingProxyType(
    {
        "XYLOCAINE": "Xylocaine (lidocaine HCl) injection label, Fresenius Kabi 2022, DailyMed "
        "setid 4dd52202-8eef-4136-92dd-ada573b7cf74",
        "SENSORCAINE": "Sensorcaine (bupivacaine HCl) injection label, DailyMed setid "
        "961c81a1-4dfc-4cfc-d8aa-94fe79f8b2d2",
        "NESACAINE": "Nesacaine (chloroprocaine HCl) injection label, DailyMed setid "
        "917d3e31-1c3d-4db6-a54e-268761b17af9",
        "PHADIA": "Phadia ImmunoCAP Drug Allergy, Local anesthetics (ester group I, amide group II)",
        "FINUCANE": "Finucane BT. Allergies to local anesthetics – the real truth. Can J Anaesth "
        "2003;50:869–74",
        "DENTALCARE": "dentalcare.com CE646, Hypersensitivity reactions to local anesthetics",
    }
)

#: The class of each local anaesthetic Taut knows as an allergen: the six it doses
#: (``dosing.AGENTS``) and others a patient may have reacted to (dental, topical).
#: Source: PHADIA (group I esters, group II amides); SENSORCAINE (bupivacaine, mepivacaine and
#: lidocaine share the amide link; procaine-type agents have an ester link). Status: verified
#: for the six dosed agents, secondary for the others.
# fmt: off
AGENT_CLASSES: Mapping[str, AnaestheticClass] = MappingProxyType({
    "lidocaine": AnaestheticClass.AMIDE,
    "bupivacaine": AnaestheticClass.AMIDE,
    "levobupivacaine": AnaestheticClass.AMIDE,
    "ropivacaine": AnaestheticClass.AMIDE,
    "mepivacaine": AnaestheticClass.AMIDE,
    "prilocaine": AnaestheticClass.AMIDE,
    "articaine": AnaestheticClass.AMIDE,
    "etidocaine": AnaestheticClass.AMIDE,
    "dibucaine": AnaestheticClass.AMIDE,
    "procaine": AnaestheticClass.ESTER,
    "chloroprocaine": AnaestheticClass.ESTER,
    "tetracaine": AnaestheticClass.ESTER,
    "benzocaine": AnaestheticClass.ESTER,
})
# fmt: on

_CLASS_LABELS = {
    AnaestheticClass.AMIDE: "Amide local anaesthetics (the whole class)",
    AnaestheticClass.ESTER: "Ester local anaesthetics (the whole class, PABA)",
}
_EXCIPIENT_LABELS = {
    Excipient.PARABEN: "Parabens (methylparaben preservative in multi-dose vials)",
    Excipient.SULFITE: "Sulfites (in solutions with epinephrine)",
}

#: Every allergen code, in the order forms list them.
ALLERGENS: tuple[str, ...] = (*AGENT_CLASSES, *AnaestheticClass, *Excipient)


def allergen_label(code: str) -> str:
    """How a person reads an allergen code ("Lidocaine (amide)"). Not a rule: labels.

    Raises ValueError for an unknown code."""
    code = read_allergen(code)
    if code in AGENT_CLASSES:
        return f"{code.title()} ({AGENT_CLASSES[code]})"
    if isinstance(code, AnaestheticClass):
        return _CLASS_LABELS[code]
    return _EXCIPIENT_LABELS[Excipient(code)]


def allergen_choices() -> list[tuple[str, str]]:
    """(code, label) pairs for a form's choices. Not a rule: labels."""
    return [(code, allergen_label(code)) for code in ALLERGENS]


def read_allergen(value: object, field: str = "allergens") -> str:
    """``value`` as an allergen code, or a ValueError naming ``field``. Not a rule: input
    parsing. Unknown codes raise rather than being ignored, so a typo cannot hide an allergy."""
    if not isinstance(value, str):
        raise ValueError(f"{field}: allergen codes are text, got {value!r}")
    code = value.strip().lower()
    if code in AGENT_CLASSES:
        return code
    known = member_of(AnaestheticClass, code) or member_of(Excipient, code)
    if known is None:
        raise ValueError(f"{field}: unknown allergen {value!r}; known: {', '.join(ALLERGENS)}")
    return known


def read_allergens(value: object, field: str = "allergens") -> frozenset[str]:
    """A collection of allergen codes. Not a rule: input parsing."""
    items = read_collection(value, field, "a list of allergen codes")
    return frozenset(read_allergen(item, field) for item in items)


@dataclass(frozen=True)
class Solution:
    """One preparation as drawn up: the agent, whether it has epinephrine, and whether the
    vial is preservative-free (single-dose, "MPF", no methylparaben)."""

    agent: Agent
    epinephrine: bool = False
    preservative_free: bool = False


@dataclass(frozen=True)
class Conflict:
    """Why a solution conflicts with an allergy: the allergen, the kind, the words a
    clinician reads, the source and its status."""

    allergen: str
    kind: ConflictKind
    text: str
    source: str
    status: str
    agent_class: AnaestheticClass | None = None

    @property
    def overridable(self) -> bool:
        """Only an amide conflict may be overridden by a clinician's recorded reason (e.g.
        documented allergy testing: cross-reactivity among amides is uncommon [PHADIA])."""
        return self.agent_class == AnaestheticClass.AMIDE


def allergen_classes(allergens: Iterable[str]) -> dict[AnaestheticClass, tuple[str, ...]]:
    """The classes the patient's allergens rule out, each with the allergens that do so.

    An agent rules out its whole class; "amide" and "ester" rule out themselves. Source:
    amides, XYLOCAINE (contraindicated in known hypersensitivity to amide-type local
    anaesthetics; status secondary: quoted by the issue-11 review, and cross-reactivity among
    amides is uncommon [PHADIA, DENTALCARE], hence the clinician's override); esters,
    NESACAINE (contraindicated in hypersensitivity to drugs of the PABA ester group; verified),
    FINUCANE (every ester yields PABA). Excipients rule out no class.
    """
    found: dict[AnaestheticClass, list[str]] = {}
    for code in sorted(read_allergens(allergens)):
        klass = AGENT_CLASSES.get(code) or member_of(AnaestheticClass, code)
        if klass is not None:
            found.setdefault(klass, []).append(code)
    return {klass: tuple(codes) for klass, codes in found.items()}


def solution_conflicts(solution: Solution, *, allergens: Iterable[str]) -> tuple[Conflict, ...]:
    """Every reason ``solution`` conflicts with the patient's allergen codes (empty: none).

    Class: see :func:`allergen_classes`. Paraben: multi-dose vials hold 1 mg/mL methylparaben
    as preservative; single-dose "MPF" vials are methylparaben-free (XYLOCAINE, SENSORCAINE,
    NESACAINE; verified), so a paraben allergy takes a preservative-free vial. Sulfite:
    solutions with epinephrine contain sodium metabisulfite, which can cause allergic-type
    reactions (XYLOCAINE label text; DENTALCARE; status secondary), so a sulfite allergy
    takes a plain solution. Source: as listed; the hard stop itself is [S9] and R3.
    """
    agent = read_agent(solution.agent, "agent")
    epinephrine = read_flag(solution.epinephrine, "epinephrine")
    preservative_free = read_flag(solution.preservative_free, "preservative_free")
    codes = read_allergens(allergens)
    klass = AGENT_CLASSES[agent]
    conflicts = [
        _class_conflict(agent, klass, because)
        for ruled_out, because in allergen_classes(codes).items()
        if ruled_out == klass
    ]
    if Excipient.PARABEN in codes and not preservative_free:
        conflicts.append(
            Conflict(
                Excipient.PARABEN,
                ConflictKind.PARABEN,
                "Allergic to parabens: multi-dose vials contain methylparaben. Use a "
                "preservative-free (single-dose, MPF) vial.",
                f"{SOURCES['XYLOCAINE']}; {SOURCES['SENSORCAINE']}",
                "verified",
            )
        )
    if Excipient.SULFITE in codes and epinephrine:
        conflicts.append(
            Conflict(
                Excipient.SULFITE,
                ConflictKind.SULFITE,
                "Allergic to sulfites: solutions with epinephrine contain sodium "
                "metabisulfite. Use a plain solution.",
                f"{SOURCES['XYLOCAINE']}; {SOURCES['DENTALCARE']}",
                "secondary",
            )
        )
    return tuple(conflicts)


def agents_ruled_out(
    agents: Iterable[str], *, allergens: Iterable[str]
) -> dict[Agent, tuple[Conflict, ...]]:
    """The agents in ``agents`` that the patient's class allergies rule out, whatever the
    vial (excipient conflicts depend on the vial, not the agent). Source: as
    :func:`allergen_classes`."""
    items = read_collection(agents, "agents", "a list of agent ids")
    codes = read_allergens(allergens)
    found: dict[Agent, tuple[Conflict, ...]] = {}
    for item in items:
        agent = read_agent(item, "agents")
        conflicts = solution_conflicts(
            Solution(agent, preservative_free=True), allergens=codes - {Excipient.PARABEN}
        )
        if conflicts:
            found[agent] = conflicts
    return found


def _class_conflict(agent: Agent, klass: AnaestheticClass, because: tuple[str, ...]) -> Conflict:
    named = ", ".join(because)
    members = ", ".join(a for a in Agent if AGENT_CLASSES[a] == klass)
    if klass == AnaestheticClass.AMIDE:
        return Conflict(
            named,
            ConflictKind.CLASS,
            f"{agent.title()} is an amide, and the patient is allergic to {named}: the labels "
            f"contraindicate every amide ({members}) after an amide allergy. Use saline, dry "
            "needling or an ester, unless a clinician records a reason to override (e.g. "
            "documented allergy testing).",
            f"{SOURCES['XYLOCAINE']}; {SOURCES['SENSORCAINE']}; {SOURCES['PHADIA']}",
            "secondary",
            klass,
        )
    return Conflict(
        named,
        ConflictKind.CLASS,
        f"{agent.title()} is an ester, and the patient is allergic to {named}: esters "
        f"cross-react through PABA, so every ester ({members}) is ruled out. Use an amide, "
        "saline or dry needling.",
        f"{SOURCES['NESACAINE']}; {SOURCES['FINUCANE']}",
        "verified",
        klass,
    )
