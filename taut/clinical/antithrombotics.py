"""Blood thinners recognised by name: anticoagulants and antiplatelets.

``recognise(name)`` finds a known antithrombotic in a medicine's name as it was typed
("Apixaban 5 mg", "ELIQUIS", "aspirin 81mg"), by generic or common US brand name, and
``antithrombotic_status(name, ticked=…)`` combines that with the chart's tick box: the box
counts only for a medicine the list does not know (a tick never turns a recognised blood
thinner off, and an unticked "Apixaban" is still a blood thinner).

Source: anticoagulation and antiplatelet use is a relative contraindication to TPI
(clinical.md §2b: [S9], [S2], [S62]); the drugs are those the ASRA interventional pain
anticoagulation guideline covers [S24]. The drug-by-drug list and the brand names are from
memory of the US labels: unverified, for a clinical lead to check, and the tick box stays
for anything the list does not know.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

VERSION = "2026.1"

SOURCE = "ASRA interventional pain anticoagulation guideline [S24]; names: US labels (memory)"
STATUS = "unverified"


class DrugClass(StrEnum):
    ANTICOAGULANT = "anticoagulant"
    ANTIPLATELET = "antiplatelet"

    @property
    def label(self) -> str:
        return "Anticoagulant" if self is DrugClass.ANTICOAGULANT else "Antiplatelet"


@dataclass(frozen=True)
class Antithrombotic:
    """One blood thinner: its generic name, class, and the names that mean it."""

    generic: str
    drug_class: DrugClass
    names: tuple[str, ...]  # generic first, then brands; lower case

    @property
    def label(self) -> str:
        return f"{self.generic.capitalize()} ({self.drug_class.label.lower()})"


_A, _P = DrugClass.ANTICOAGULANT, DrugClass.ANTIPLATELET

# fmt: off
DRUGS: tuple[Antithrombotic, ...] = (
    # Direct oral anticoagulants.
    Antithrombotic("apixaban", _A, ("apixaban", "eliquis")),
    Antithrombotic("rivaroxaban", _A, ("rivaroxaban", "xarelto")),
    Antithrombotic("dabigatran", _A, ("dabigatran", "pradaxa")),
    Antithrombotic("edoxaban", _A, ("edoxaban", "savaysa", "lixiana")),
    # Vitamin K antagonist.
    Antithrombotic("warfarin", _A, ("warfarin", "coumadin", "jantoven")),
    # Heparins and related injectables.
    Antithrombotic("heparin", _A, ("heparin",)),
    Antithrombotic("enoxaparin", _A, ("enoxaparin", "lovenox")),
    Antithrombotic("dalteparin", _A, ("dalteparin", "fragmin")),
    Antithrombotic("fondaparinux", _A, ("fondaparinux", "arixtra")),
    # Antiplatelets.
    Antithrombotic("aspirin", _P, ("aspirin", "acetylsalicylic acid", "asa", "ecotrin",
                                   "bayer aspirin")),
    Antithrombotic("clopidogrel", _P, ("clopidogrel", "plavix")),
    Antithrombotic("prasugrel", _P, ("prasugrel", "effient")),
    Antithrombotic("ticagrelor", _P, ("ticagrelor", "brilinta")),
    Antithrombotic("ticlopidine", _P, ("ticlopidine",)),
    Antithrombotic("dipyridamole", _P, ("dipyridamole", "aggrenox", "persantine")),
    Antithrombotic("cilostazol", _P, ("cilostazol", "pletal")),
    Antithrombotic("vorapaxar", _P, ("vorapaxar", "zontivity")),
)
# fmt: on

NAMES: Mapping[str, Antithrombotic] = MappingProxyType(
    {name: drug for drug in DRUGS for name in drug.names}
)
_WORDS = re.compile(r"[a-z]+")


def recognise(name: str) -> Antithrombotic | None:
    """The blood thinner named in ``name``, or None if the list does not know one.

    Whole words only, case ignored: "Eliquis 5 mg" and "apixaban (Eliquis)" match, a word
    that merely contains a name ("heparinoid cream") does not. Two-word names ("bayer
    aspirin", "acetylsalicylic acid") match as a phrase.

    Source: drugs covered by the ASRA anticoagulation guideline [S24]; names from the US
    labels (memory, unverified).
    """
    if not isinstance(name, str):
        raise ValueError(f"name: expected text, got {name!r}")
    words = _WORDS.findall(name.casefold())
    for size in (2, 1):
        for start in range(len(words) - size + 1):
            drug = NAMES.get(" ".join(words[start : start + size]))
            if drug is not None:
                return drug
    return None


@dataclass(frozen=True)
class Status:
    """Whether a medicine counts as a blood thinner, and why (shown beside it)."""

    antithrombotic: bool
    drug: Antithrombotic | None
    reason: str


def antithrombotic_status(name: str, *, ticked: bool) -> Status:
    """Whether the medicine ``name`` counts as a blood thinner: recognised by name, or not
    recognised but ticked by staff. The tick box is only for what the list does not know.

    Source: relative contraindication (clinical.md §2b: [S9], [S2], [S62]); drug list as in
    ``recognise`` ([S24]; names unverified).
    """
    if not isinstance(ticked, bool):
        raise ValueError(f"ticked: expected True or False, got {ticked!r}")
    drug = recognise(name)
    if drug is not None:
        return Status(True, drug, f"Recognised by name: {drug.label}.")
    if ticked:
        return Status(True, None, "Marked as a blood thinner by staff.")
    return Status(False, None, "Not a blood thinner Taut knows, and not marked as one.")
