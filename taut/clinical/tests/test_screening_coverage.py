"""A screening decision lapses when the facts change: taut.clinical.screening.coverage.

Source of each case: the red-flag rule of ``screen`` (clinical.md §2c: [S25], [S26],
[S27]: refer, do not inject) and Taut's design for decisions (clinic policy, issue 11
point 2): a decision covers exactly the reasons it was made on.
"""

import dataclasses

import pytest

from taut.clinical.screening import (
    Decision,
    Indication,
    RedFlag,
    ScreeningAnswers,
    Status,
    clearance,
    decision_basis,
    decision_covers,
    screen,
    unnamed_red_flags,
    unscreened_facts,
)

CLEAR = ScreeningAnswers(
    **dict.fromkeys((f.value for f in RedFlag), False),
    site_infection_or_broken_skin=False,
    acute_muscle_trauma_at_site=False,
    allergic_agents=frozenset(),
    available_agents=frozenset({"lidocaine", "bupivacaine"}),
    anticoagulant_or_antiplatelet=False,
    bleeding_disorder=False,
    pregnant=False,
    needle_phobia=False,
    steroid_planned=False,
    conservative_care_tried=True,
    conservative_care_weeks=8,
    indications=frozenset({Indication.MYOFASCIAL_PAIN}),
)


def verdict(**changes):
    return screen(dataclasses.replace(CLEAR, **changes))


def decided(v, kind, *, named=()):
    return Decision(kind=kind, verdict_status=str(v.status), covers=tuple(decision_basis(
        v.reasons, named=named)))  # fmt: skip


ANTICOAG = {"anticoagulant_or_antiplatelet": True}
CAUDA = "red_flag.cauda_equina_signs"
THREE = {"available_agents": frozenset({"lidocaine", "bupivacaine", "mepivacaine"})}

# (case, facts decided on, facts now, holds, new codes, changed codes, source)
CASES = [
    ("same facts", ANTICOAG, ANTICOAG, True, set(), set(), "Taut's design"),
    (
        "a red flag added after a proceed",
        ANTICOAG,
        {**ANTICOAG, "cauda_equina_signs": True},
        False,
        {CAUDA},
        set(),
        "S25 (refer, do not inject); Taut's design",
    ),
    (
        "a new contraindication (bleeding disorder)",
        ANTICOAG,
        {**ANTICOAG, "bleeding_disorder": True},
        False,
        {"bleeding_disorder"},
        set(),
        "S9; Taut's design",
    ),
    (
        "a new allergy",
        ANTICOAG,
        {**ANTICOAG, "allergic_agents": frozenset({"lidocaine"})},
        False,
        {"allergy_amide", "allergy_all_agents"},
        set(),
        "S9; Taut's design",
    ),
    (
        "a new medicine (antithrombotic) after a pregnancy review",
        {"pregnant": True},
        {"pregnant": True, **ANTICOAG},
        False,
        {"anticoagulant_or_antiplatelet"},
        set(),
        "S9, S2, S62, S24; Taut's design",
    ),
    (
        "a changed reason (a second agent allergy)",
        {**ANTICOAG, **THREE, "allergic_agents": frozenset({"lidocaine"})},
        {**ANTICOAG, **THREE, "allergic_agents": frozenset({"lidocaine", "mepivacaine"})},
        False,
        set(),
        {"allergy_amide"},
        "S9; Taut's design",
    ),
    (
        "a changed reason (weeks of conservative care)",
        {"conservative_care_weeks": 2},
        {"conservative_care_weeks": 4},
        False,
        set(),
        {"short_conservative_care"},
        "S56; Taut's design",
    ),
    (
        "a reason gone does not void it",
        {**ANTICOAG, "pregnant": True},
        ANTICOAG,
        True,
        set(),
        set(),
        "Taut's design (the clinician weighed more than is now there)",
    ),
]


@pytest.mark.parametrize(("case", "before", "after", "holds", "new", "changed", "source"), CASES)
def test_it_compares_the_reasons_now_with_the_decision(
    case, before, after, holds, new, changed, source
):
    basis = decision_basis(verdict(**before).reasons)
    coverage = decision_covers(verdict(**after).reasons, basis)
    assert coverage.holds is holds, case
    assert {b.code for b in coverage.new} == new, case
    assert {b.code for b in coverage.changed} == changed, case
    assert bool(coverage.why) is not holds, case


def test_it_names_the_new_reason_in_why():
    """The clinician sees which reason is new, in the rule's own words."""
    basis = decision_basis(verdict(**ANTICOAG).reasons)
    coverage = decision_covers(verdict(**ANTICOAG, major_trauma=True).reasons, basis)
    assert coverage.why == ("New since the decision: Red flag: major trauma. Refer for work-up; "
                            "do not inject.",)  # fmt: skip


def test_it_treats_a_decision_without_a_basis_as_lapsed():
    """Recorded before decisions kept their basis: it cannot show what it covered."""
    coverage = decision_covers(verdict(**ANTICOAG).reasons, [])
    assert not coverage.holds
    assert coverage.unrecorded
    assert "recorded before" in coverage.why[0]


@pytest.mark.parametrize("flag", list(RedFlag))
def test_it_never_screens_a_red_flag_eligible(flag):
    """Any red flag, whatever else is answered: not eligible [S25, S26, S27]."""
    for extra in ({}, ANTICOAG, {"indications": frozenset(Indication)}):
        assert verdict(**{flag.value: True}, **extra).status == Status.NOT_ELIGIBLE


@pytest.mark.parametrize("flag", list(RedFlag))
def test_it_never_clears_a_red_flag_without_a_decision_naming_it(flag):
    """No decision, a lapsed one, or an override that does not name the flag: blocked.
    An override naming it: allowed [S25, S26, S27; Taut's design]."""
    v = verdict(**{flag.value: True})
    code = f"red_flag.{flag.value}"
    reasons = v.reasons
    assert not clearance(status=v.status, reasons=reasons, decision=None).allowed
    unnamed = decided(v, "override")
    assert not clearance(status=v.status, reasons=reasons, decision=unnamed).allowed
    named = decided(v, "override", named=[code])
    assert clearance(status=v.status, reasons=reasons, decision=named).allowed
    earlier = decided(verdict(), "override")  # on no red flag at all
    assert not clearance(status=v.status, reasons=reasons, decision=earlier).allowed
    assert unnamed_red_flags(reasons, []) and not unnamed_red_flags(reasons, [code])


# (case, decided on, kind, facts now, allowed, lapsed, why contains)
GATE = [
    ("eligible needs no decision", None, None, {}, True, False, ""),
    ("pending blocks", None, None, {"pregnant": None}, False, False, "pending"),
    ("review without decision", None, None, ANTICOAG, False, False, "needs review"),
    ("review, proceed", ANTICOAG, "proceed", ANTICOAG, True, False, ""),
    ("review, do not proceed", ANTICOAG, "do_not_proceed", ANTICOAG, False, False, "not to"),
    (
        "proceed, then a red flag",
        ANTICOAG,
        "proceed",
        {**ANTICOAG, "fever_or_infection": True},
        False,
        True,
        "New since the decision: Red flag: fever",
    ),
    (
        "proceed, then a new review reason",
        ANTICOAG,
        "proceed",
        {**ANTICOAG, "needle_phobia": True},
        False,
        True,
        "Fear of needles",
    ),
    (
        "red flag, do not proceed needs no name",
        {"major_trauma": True},
        "do_not_proceed",
        {"major_trauma": True},
        False,
        False,
        "not to proceed",
    ),
    ("not eligible without decision", None, None, {"major_trauma": True}, False, False, "override"),
]


@pytest.mark.parametrize(("case", "before", "kind", "after", "allowed", "lapsed", "why"), GATE)
def test_it_gates_the_procedure(case, before, kind, after, allowed, lapsed, why):
    decision = decided(verdict(**before), kind) if before is not None else None
    now = verdict(**after)
    result = clearance(status=now.status, reasons=now.reasons, decision=decision)
    assert result.allowed is allowed, case
    assert result.lapsed is lapsed, case
    assert why in result.why, case


def test_it_refuses_to_name_what_is_not_a_red_flag_of_the_verdict():
    with pytest.raises(ValueError, match="not a red flag"):
        decision_basis(verdict(**ANTICOAG).reasons, named=["anticoagulant_or_antiplatelet"])


def test_it_refuses_a_reason_without_code_kind_and_text():
    with pytest.raises(ValueError, match="code, kind and text"):
        decision_covers([{"code": "x"}], [{"code": "x", "kind": "review", "text": "t"}])


# (case, screened allergies, chart allergies, screened antithrombotic, chart medicines,
#  lines expected, source)
UNSCREENED = [
    ("nothing new", ["lidocaine"], ["lidocaine"], True, ["Warfarin"], 0, "Taut's design"),
    ("a new allergy on the chart", [], ["lidocaine"], False, [], 1, "S9; Taut's design"),
    ("case and spaces do not matter", ["Lidocaine "], ["lidocaine"], None, [], 0, "S9"),
    ("a blood thinner, screened none", [], [], False, ["Apixaban"], 1, "S9, S2, S62, S24"),
    ("a blood thinner, not asked", [], [], None, ["Apixaban"], 1, "S9, S2, S62, S24"),
    ("both", [], ["bupivacaine"], False, ["Clopidogrel"], 2, "S9, S2, S62, S24"),
]


@pytest.mark.parametrize(
    ("case", "screened", "on_chart", "said", "medicines", "lines", "source"), UNSCREENED
)
def test_it_finds_chart_facts_the_screening_did_not_see(
    case, screened, on_chart, said, medicines, lines, source
):
    found = unscreened_facts(
        screened_allergies=screened,
        chart_allergies=on_chart,
        screened_antithrombotic=said,
        chart_antithrombotics=medicines,
    )
    assert len(found) == lines, case


def test_it_blocks_even_an_eligible_verdict_on_unscreened_facts():
    v = verdict()
    news = ("Allergy to Lidocaine (amide) added to the chart; the screening did not include it.",)
    result = clearance(status=v.status, reasons=v.reasons, decision=None, unscreened=news)
    assert not result.allowed and not result.lapsed
    assert result.lines == news and "Save the intake again" in result.why
    decision = decided(verdict(**ANTICOAG), "proceed")
    v = verdict(**ANTICOAG)
    result = clearance(status=v.status, reasons=v.reasons, decision=decision, unscreened=news)
    assert not result.allowed and result.lapsed
