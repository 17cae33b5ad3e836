"""Allergies by drug class and excipient, and allergies written in words (issue 11, point 1).

Sources are named in ``dosing.allergens.SOURCES``: XYLOCAINE, SENSORCAINE and NESACAINE are
the product labels on DailyMed; PHADIA lists the ester (group I) and amide (group II) agents.
"""

import pytest

from taut.clinical.dosing import (
    AGENT_CLASSES,
    AGENTS,
    ALLERGENS,
    ConflictKind,
    Solution,
    agents_ruled_out,
    allergen_choices,
    allergen_label,
    read_allergens,
    read_allergy_text,
    solution_conflicts,
)
from taut.clinical.screening import ReasonKind, Status, screen
from taut.clinical.tests.test_screening import answers

ALL = frozenset(AGENTS)


@pytest.mark.parametrize(
    ("agent", "klass"),
    [
        # SENSORCAINE: bupivacaine, mepivacaine and lidocaine share the amide link.
        ("lidocaine", "amide"),
        ("bupivacaine", "amide"),
        ("mepivacaine", "amide"),
        # PHADIA: ropivacaine is not listed there; its label calls it an amide (secondary).
        ("ropivacaine", "amide"),
        # NESACAINE: chloroprocaine is a benzoic acid ester; PHADIA: procaine, tetracaine.
        ("procaine", "ester"),
        ("chloroprocaine", "ester"),
        ("tetracaine", "ester"),
        ("benzocaine", "ester"),
        # PHADIA, group II.
        ("articaine", "amide"),
        ("prilocaine", "amide"),
    ],
)
def test_it_knows_each_agents_class(agent, klass):
    assert AGENT_CLASSES[agent] == klass


def test_it_knows_the_class_of_every_agent_taut_doses():
    assert set(AGENTS) <= set(AGENT_CLASSES)


@pytest.mark.parametrize(
    ("allergens", "ruled_out"),
    [
        # XYLOCAINE: an amide allergy rules out every amide (the review's reading; secondary).
        (["lidocaine"], {"lidocaine", "bupivacaine", "ropivacaine", "mepivacaine"}),
        (["bupivacaine"], {"lidocaine", "bupivacaine", "ropivacaine", "mepivacaine"}),
        (["amide"], {"lidocaine", "bupivacaine", "ropivacaine", "mepivacaine"}),
        (["articaine"], {"lidocaine", "bupivacaine", "ropivacaine", "mepivacaine"}),
        # NESACAINE: an allergy to the PABA ester group rules out every ester.
        (["procaine"], {"procaine", "chloroprocaine"}),
        (["tetracaine"], {"procaine", "chloroprocaine"}),
        (["ester"], {"procaine", "chloroprocaine"}),
        # Both classes: nothing is left.
        (["lidocaine", "procaine"], set(AGENTS)),
        # Excipients depend on the vial, not the agent.
        (["paraben", "sulfite"], set()),
        ([], set()),
    ],
)
def test_it_rules_out_whole_classes(allergens, ruled_out):
    assert set(agents_ruled_out(AGENTS, allergens=allergens)) == ruled_out


@pytest.mark.parametrize(
    ("solution", "allergens", "kinds"),
    [
        # XYLOCAINE, SENSORCAINE: multi-dose vials hold methylparaben; MPF vials do not.
        (Solution("lidocaine"), ["paraben"], [ConflictKind.PARABEN]),
        (Solution("lidocaine", preservative_free=True), ["paraben"], []),
        # XYLOCAINE: solutions with epinephrine hold sodium metabisulfite (secondary).
        (Solution("lidocaine", epinephrine=True), ["sulfite"], [ConflictKind.SULFITE]),
        (Solution("lidocaine"), ["sulfite"], []),
        # Class and excipient together: every reason is given.
        (
            Solution("bupivacaine", epinephrine=True),
            ["lidocaine", "paraben", "sulfite"],
            [ConflictKind.CLASS, ConflictKind.PARABEN, ConflictKind.SULFITE],
        ),
        # An ester allergy leaves the amides (NESACAINE; XYLOCAINE: no cross-sensitivity).
        (Solution("lidocaine", preservative_free=True), ["procaine"], []),
        (Solution("chloroprocaine", preservative_free=True), ["procaine"], [ConflictKind.CLASS]),
    ],
)
def test_it_gives_each_conflict_of_a_solution(solution, allergens, kinds):
    conflicts = solution_conflicts(solution, allergens=allergens)
    assert [c.kind for c in conflicts] == kinds
    for conflict in conflicts:
        assert conflict.text and conflict.source
        assert conflict.status in {"verified", "secondary"}


def test_it_lets_only_an_amide_conflict_be_overridden():
    # Cross-reactivity among amides is uncommon (PHADIA): allergy testing can clear them.
    (amide,) = solution_conflicts(Solution("lidocaine", True, True), allergens=["bupivacaine"])
    (ester,) = solution_conflicts(Solution("procaine", True, True), allergens=["ester"])
    (paraben,) = solution_conflicts(Solution("lidocaine"), allergens=["paraben"])
    assert (amide.overridable, ester.overridable, paraben.overridable) == (True, False, False)
    assert "documented allergy testing" in amide.text


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # Brand names on the labels and in the review.
        ("Xylocaine", "lidocaine"),
        ("xylocaine MPF 1%", "lidocaine"),
        ("Marcaine", "bupivacaine"),
        ("Sensorcaine", "bupivacaine"),
        ("Carbocaine", "mepivacaine"),
        ("Nesacaine", "chloroprocaine"),
        ("Novocain", "procaine"),
        ("Naropin", "ropivacaine"),
        # British name and common misspellings (Taut's list, unverified).
        ("lignocaine", "lidocaine"),
        ("Lidocain", "lidocaine"),
        ("bupivicaine 0.25 %", "bupivacaine"),
        ("novacaine (dentist)", "procaine"),
        ("ropivicaine", "ropivacaine"),
        # Classes and excipients in words.
        ("amides", "amide"),
        ("PABA", "ester"),
        ("methylparaben", "paraben"),
        ("sulphites", "sulfite"),
    ],
)
def test_it_maps_names_and_misspellings_to_their_allergen(text, code):
    reading = read_allergy_text(text)
    assert (reading.code, reading.needs_mapping) == (code, False)
    assert reading.why and reading.source


@pytest.mark.parametrize(
    ("text", "suggested"),
    [
        # A "-caine" word Taut does not list.
        ("cocaine", None),
        # Near misses are suggestions only: a wrong guess could change the class.
        ("lidocan", "lidocaine"),
        ("prilocane", "prilocaine"),
        # Two allergens in one entry: the agent, or the sulfite with the epinephrine?
        ("lidocaine with epinephrine", "lidocaine"),
        ("procaine and lidocaine", "procaine"),
        # Words that point to a local anaesthetic without naming one.
        ("local anesthetic at the dentist", None),
        ("numbing cream", None),
        ("EMLA", None),
    ],
)
def test_it_flags_what_looks_like_a_local_anaesthetic_but_is_not_mapped(text, suggested):
    reading = read_allergy_text(text)
    assert reading.code is None
    assert reading.needs_mapping
    assert "clinician must map" in reading.why
    if suggested:
        assert suggested in reading.suggestions


@pytest.mark.parametrize(
    "text",
    [
        "Penicillin", "Sulfa drugs", "latex", "shellfish", "", "Codeine", "Ibuprofen",
        "Morphine", "Cyclobenzaprine", "Amoxicillin", "Chlorhexidine", "Iodine contrast",
    ],
)  # fmt: skip
def test_it_leaves_other_allergies_alone(text):
    # Sulfa drugs (sulfonamides) are not sulfites.
    reading = read_allergy_text(text)
    assert (reading.code, reading.needs_mapping) == (None, False)


@pytest.mark.parametrize(
    ("allergens", "status", "code", "kind"),
    [
        # Issue 11: a lidocaine allergy is no longer "use only bupivacaine".
        ({"lidocaine"}, Status.NOT_ELIGIBLE, "allergy_amide", ReasonKind.EXCLUSION),
        ({"amide"}, Status.NOT_ELIGIBLE, "allergy_amide", ReasonKind.EXCLUSION),
        # A procaine allergy flags chloroprocaine too (NESACAINE).
        ({"procaine"}, Status.ELIGIBLE, "allergy_ester", ReasonKind.NOTE),
        ({"paraben"}, Status.ELIGIBLE, "allergy_paraben", ReasonKind.NOTE),
        ({"sulfite"}, Status.ELIGIBLE, "allergy_sulfite", ReasonKind.NOTE),
        ({"lidocaine", "ester"}, Status.NOT_ELIGIBLE, "allergy_all_agents", ReasonKind.EXCLUSION),
    ],
)
def test_it_screens_allergies_by_class(allergens, status, code, kind):
    verdict = screen(answers(allergic_agents=allergens, available_agents=ALL))
    assert verdict.status == status
    reason = next(r for r in verdict.reasons if r.code == code)
    assert reason.kind == kind
    assert reason.source


def test_it_says_the_lidocaine_allergy_rules_out_bupivacaine():
    verdict = screen(answers(allergic_agents={"lidocaine"}, available_agents=ALL))
    (reason,) = verdict.reasons
    assert "bupivacaine" in reason.text.split("Not eligible")[0]
    assert "use only bupivacaine" not in reason.text.lower()
    assert "documented allergy testing" in reason.text


def test_it_flags_chloroprocaine_after_a_procaine_allergy():
    verdict = screen(answers(allergic_agents={"procaine"}, available_agents=ALL))
    (reason,) = verdict.reasons
    assert "chloroprocaine" in reason.text.split("Use")[0]


@pytest.mark.parametrize("bad", [["lidocain"], ["cocaine"], "lidocaine", [3]])
def test_it_refuses_an_unknown_allergen_rather_than_ignore_it(bad):
    with pytest.raises(ValueError, match=r"^allergens"):
        read_allergens(bad)


def test_it_labels_every_allergen_for_people():
    labels = dict(allergen_choices())
    assert list(labels) == list(ALLERGENS)
    assert allergen_label("lidocaine") == "Lidocaine (amide)"
    assert all(label and "_" not in label for label in labels.values())
