"""Local-anaesthetic dose limits: a wrong answer here can poison a patient.

Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §9).
"""

import contextlib
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from taut.clinical import dosing
from taut.clinical.dosing import (
    AGENTS,
    CAUTION_FRACTION,
    DEFAULT_TABLE,
    MAX_FRACTION,
    Agent,
    DoseStatus,
    DoseTable,
    Injection,
    Preparation,
    check_session,
    dosing_weight_kg,
    max_dose_mg,
    max_volume_ml,
    mg_from_ml,
)

# --- tables of cases ---------------------------------------------------------------------

MAX_DOSE_CASES = [
    # [S30] Olson / [S29] Medscape / [S28] label; clinical.md §4 worked example:
    # 4.5 mg/kg × 70 kg = 315 mg, capped at 300 mg.
    ("lidocaine", 70, False, 300),
    ("lidocaine", 50, False, 225),  # [S30]: 4.5 × 50 = 225, under the cap
    ("lidocaine", 70, True, 490),  # [S30]: with epinephrine 7 × 70 = 490
    ("lidocaine", 80, True, 500),  # [S30]: 7 × 80 = 560, capped at 500
    ("bupivacaine", 70, False, 140),  # [S30]: 2 × 70 (lower than Medscape's 2.5 mg/kg)
    ("bupivacaine", 100, False, 175),  # [S30], [S29]: 200 capped at 175
    ("bupivacaine", 70, True, 210),  # [S30]: 3 × 70
    ("bupivacaine", 80, True, 225),  # [S30], [S29]: 240 capped at 225
    ("ropivacaine", 60, False, 180),  # [S30]: 3 × 60
    ("ropivacaine", 70, False, 200),  # [S30], [S29]: 210 capped at 200
    ("ropivacaine", 70, True, 200),  # [S30]: no epinephrine figure, so as plain
    ("mepivacaine", 70, False, 315),  # [S30]: 4.5 × 70 (lower than Medscape's 7 mg/kg)
    ("mepivacaine", 80, False, 350),  # [S30]: 360 capped at 350
    ("mepivacaine", 70, True, 490),  # [S30]: 7 × 70
    ("mepivacaine", 80, True, 500),  # [S30]: 560 capped at 500
    ("procaine", 40, False, 280),  # [S29]: 7 × 40 (lower than Olson's 10 mg/kg)
    ("procaine", 60, False, 350),  # [S29]: 420 capped at 350 (Olson 600)
    ("procaine", 60, True, 350),  # no epinephrine figure, so as plain
    ("chloroprocaine", 70, False, 700),  # [S30]: 10 × 70 (Medscape 11 mg/kg)
    ("chloroprocaine", 90, False, 800),  # [S30], [S29]: 900 capped at 800
    ("chloroprocaine", 70, True, 840),  # [S30]: 12 × 70 (Medscape 14 mg/kg)
    ("chloroprocaine", 90, True, 1000),  # [S30], [S29]: 1080 capped at 1000
]


@pytest.mark.parametrize(("agent", "weight", "epinephrine", "expected"), MAX_DOSE_CASES)
def test_it_gives_the_published_maximum_dose(agent, weight, epinephrine, expected):
    assert max_dose_mg(agent, weight, epinephrine=epinephrine) == expected


VOLUME_CASES = [
    # clinical.md §4 worked example: 300 mg / (1 % × 10 mg/mL) = 30 mL [S31]
    ("lidocaine", 1, 70, False, 30),
    ("lidocaine", 2, 70, False, 15),  # 300 mg / 20 mg/mL
    ("lidocaine", 1, 70, True, 49),  # 490 mg / 10 mg/mL [S30]
    ("bupivacaine", 0.25, 70, False, 56),  # 140 mg / 2.5 mg/mL [S30], [S9] uses 0.25 %
    ("bupivacaine", 0.5, 70, False, 28),  # 140 mg / 5 mg/mL
    ("ropivacaine", 0.2, 70, False, 100),  # 200 mg / 2 mg/mL: 0.2 read as exactly 0.2
    ("lidocaine", 0.25, 70, False, 120),  # diluted lidocaine [S61]: 300 mg / 2.5 mg/mL
    ("lidocaine", 1, 50, False, 22.5),  # 225 mg / 10 mg/mL
    ("bupivacaine", 0.25, 55.5, False, 44.4),  # 111 mg / 2.5 mg/mL
    ("lidocaine", 3, 70, False, 10),  # 300 mg / 30 mg/mL
    ("lidocaine", 0.3, 1, False, 1.5),  # 4.5 mg / 3 mg/mL
    ("lidocaine", 0.7, 1, False, 0.64),  # 4.5 / 7 = 0.6428… rounded down, never up
]


@pytest.mark.parametrize(("agent", "percent", "weight", "epinephrine", "expected"), VOLUME_CASES)
def test_it_gives_the_largest_volume_rounded_down(agent, percent, weight, epinephrine, expected):
    assert max_volume_ml(agent, percent, weight, epinephrine=epinephrine) == expected


@pytest.mark.parametrize(
    ("ml", "percent", "expected"),
    [
        (30, 1, 300),  # [S31]: 1 % = 10 mg/mL
        (10, 0.25, 25),  # [S31]: 0.25 % = 2.5 mg/mL
        (5, 2, 100),  # [S31]: 2 % = 20 mg/mL
        (1, 0.5, 5),  # [S31]: 0.5 % = 5 mg/mL
        (0, 1, 0),  # nothing given
    ],
)
def test_it_converts_volume_and_strength_to_mg(ml, percent, expected):
    assert mg_from_ml(ml, percent) == expected


def lido(percent, ml, epi=False):
    return ("lidocaine", percent, ml, epi)


def bupi(percent, ml, epi=False):
    return ("bupivacaine", percent, ml, epi)


SESSION_CASES = [
    # (weight, injections, status, exact fraction); limits [S30], [S29], [S28]; R1, R2.
    (70, [], "ok", Fraction(0)),  # saline or dry needling only
    (70, [lido(1, 30)], "caution", Fraction(1)),  # exactly the maximum: 300 of 300 mg
    (70, [lido(1, 30.01)], "exceeded", Fraction(3001, 3000)),  # a hair over
    (70, [lido(1, 23.99)], "ok", Fraction(2399, 3000)),  # just under 80 %
    (70, [lido(1, 24)], "caution", Fraction(4, 5)),  # exactly 80 %
    (70, [lido(1, 3)] * 10, "caution", Fraction(1)),  # doses add across sites
    (70, [lido(2, 5), lido(1, 5)], "ok", Fraction(1, 2)),  # strengths add as mg
    # Mixture: half the lidocaine maximum (150 of 300 mg) + half the bupivacaine maximum
    # (70 of 140 mg) adds to 1.0 (clinical.md §4: additive, memory); a hair more exceeds.
    (70, [lido(1, 15), bupi(0.25, 28)], "caution", Fraction(1)),
    (70, [lido(1, 15), bupi(0.25, 28.01)], "exceeded", Fraction(5601, 5600)),
    (70, [lido(1, 49, True)], "caution", Fraction(1)),  # 490 of 490 mg with epinephrine
    (70, [lido(1, 49)], "exceeded", Fraction(49, 30)),  # the same volume plain: 490 of 300
    (80, [bupi(0.5, 45, True)], "caution", Fraction(1)),  # 225 of 225 mg [S30]
    # One agent with and without epinephrine counts as one total against the lower
    # (plain) maximum: 200 + 100 = 300 of 300 mg (Taut's conservative choice).
    (70, [lido(1, 20, True), lido(1, 10)], "caution", Fraction(1)),
    (70, [lido(1, 20, True), lido(1, 10.01)], "exceeded", Fraction(3001, 3000)),
    (70, [("chloroprocaine", 2, 35, False)], "caution", Fraction(1)),  # 700 of 700 mg
]


@pytest.mark.parametrize(("weight", "injections", "status", "fraction"), SESSION_CASES)
def test_it_checks_a_session(weight, injections, status, fraction):
    check = check_session(weight, injections)
    assert check.status == status
    assert check.fraction_exact == fraction
    assert check.fraction == pytest.approx(float(fraction))


def test_it_names_the_thresholds():
    assert Fraction(4, 5) == CAUTION_FRACTION
    assert Fraction(1) == MAX_FRACTION
    assert tuple(Agent) == AGENTS
    assert len(AGENTS) == 6


def test_it_totals_mg_by_agent_and_gives_the_remaining_volume():
    check = check_session(70, [lido(1, 15), bupi(0.25, 14), lido(1, 0)])
    assert check.total_mg_by_agent == {Agent.LIDOCAINE: 150, Agent.BUPIVACAINE: 35}
    assert check.max_mg_by_agent == {Agent.LIDOCAINE: 300, Agent.BUPIVACAINE: 140}
    assert check.fraction == 0.75
    assert check.status == "ok"
    # A quarter of each maximum is left: 75 mg lidocaine at 10 mg/mL, 35 mg bupivacaine
    # at 2.5 mg/mL.
    assert check.remaining_ml == {
        Preparation(Agent.LIDOCAINE, 1.0, False): 7.5,
        Preparation(Agent.BUPIVACAINE, 0.25, False): 14.0,
    }


def test_it_never_gives_a_negative_remaining_volume():
    check = check_session(70, [lido(1, 40)])
    assert check.status == "exceeded"
    assert check.remaining_ml == {Preparation(Agent.LIDOCAINE, 1.0, False): 0.0}


def test_it_explains_a_mixed_epinephrine_session():
    check = check_session(70, [lido(1, 20, True), lido(1, 10.01), bupi(0.25, 1)])
    text = "\n".join(check.messages)
    assert "both with and without epinephrine" in text
    assert "Exceeded" in text
    assert "Mixture of agents" in text
    assert DEFAULT_TABLE.name in text


def test_it_never_shows_an_exceeded_total_as_100_percent():
    check = check_session(70, [lido(1, 30.0001)])
    assert check.status == "exceeded"
    assert check.fraction > 1.0
    assert any("100.1 %" in message for message in check.messages)


def test_it_records_the_versions_used():
    check = check_session(70, [lido(1, 1)])
    assert check.version == dosing.VERSION
    assert check.table_name == DEFAULT_TABLE.name
    assert check.table_version == DEFAULT_TABLE.version


def test_it_treats_an_empty_session_as_saline_or_dry_needling():
    check = check_session(70, [])
    assert check.status == "ok"
    assert check.remaining_ml == {}
    assert "saline or dry needling" in check.messages[0]


def test_it_accepts_injection_records_and_decimals():
    check = check_session(Decimal("70"), [Injection("lidocaine", Decimal("1.0"), 30, False)])
    assert check.status == "caution"


@pytest.mark.parametrize(
    ("actual", "ideal", "expected"),
    [
        # clinical.md §4: dose by the lower of actual and ideal/lean weight (unverified)
        (120, 70, 70),
        (60, 70, 60),
        (60, None, 60),
    ],
)
def test_it_doses_by_the_lower_weight(actual, ideal, expected):
    assert dosing_weight_kg(actual_kg=actual, ideal_kg=ideal) == expected


def test_it_refuses_a_bad_ideal_weight():
    with pytest.raises(ValueError, match=r"^ideal_kg"):
        dosing_weight_kg(actual_kg=80, ideal_kg=0)


def test_it_lets_a_clinic_lower_the_caution_level():
    assert check_session(70, [lido(1, 21)], caution_at=Fraction(7, 10)).status == "caution"


# --- tables from plain data ---------------------------------------------------------------


def test_it_round_trips_the_default_table_through_plain_data():
    assert DoseTable.from_dict(DEFAULT_TABLE.to_dict()) == DEFAULT_TABLE


def clinic_table(**lidocaine):
    entry = {"mg_per_kg": 4, "cap_mg": 250, "epinephrine": None} | lidocaine
    return {
        "name": "Clinic",
        "version": "1",
        "source": "Clinic policy",
        "agents": {"lidocaine": entry},
    }


def test_it_uses_a_clinic_table():
    table = DoseTable.from_dict(clinic_table())
    assert max_dose_mg("lidocaine", 70, table=table) == 250
    assert max_dose_mg("lidocaine", 50, epinephrine=True, table=table) == 200  # as plain
    check = check_session(70, [lido(1, 25)], table=table)
    assert check.status == "caution"
    assert check.table_name == "Clinic"


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (clinic_table(cap_mg=None), "agents.lidocaine.cap_mg"),
        (clinic_table(cap_mg="300"), "agents.lidocaine.cap_mg"),
        (clinic_table(cap_mg=True), "agents.lidocaine.cap_mg"),
        (clinic_table(cap_mg=-1), "agents.lidocaine.cap_mg"),
        (clinic_table(mg_per_kg=float("nan")), "agents.lidocaine.mg_per_kg"),
        (clinic_table(mg_per_kg=4500), "agents.lidocaine.mg_per_kg"),  # mg typed as mg/kg
        (clinic_table(cap_mgs=300), "agents.lidocaine.cap_mgs"),  # a typo
        (clinic_table(epinephrine={"mg_per_kg": 7}), "agents.lidocaine.epinephrine.cap_mg"),
        (clinic_table(epinephrine=7), "agents.lidocaine.epinephrine"),
        ({**clinic_table(), "agents": {"cocaine": {}}}, "agents"),
        ({**clinic_table(), "agents": {}}, "agents"),
        ({**clinic_table(), "name": ""}, "name"),
        ({**clinic_table(), "version": None}, "version"),
        ({**clinic_table(), "colour": "red"}, "table.colour"),
        ([], "table"),
    ],
)
def test_it_refuses_a_bad_table_naming_the_field(data, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        DoseTable.from_dict(data)


def test_it_refuses_an_agent_missing_from_the_table():
    table = DoseTable.from_dict(clinic_table())
    with pytest.raises(ValueError, match=r"^agent: bupivacaine is not in dose table"):
        check_session(70, [bupi(0.25, 1)], table=table)


def test_it_keeps_the_default_table_read_only():
    with pytest.raises(TypeError):
        DEFAULT_TABLE.limits[Agent.LIDOCAINE] = DEFAULT_TABLE.limits[Agent.PROCAINE]


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("weight", "injections", "field"),
    [
        (70, [("lignocaine", 1, 1, False)], r"injections\[0\]\.agent"),
        (0, [], "weight_kg"),
        (-1, [], "weight_kg"),
        (400.5, [], "weight_kg"),
        (float("nan"), [], "weight_kg"),
        (float("inf"), [], "weight_kg"),
        ("70", [], "weight_kg"),
        (True, [], "weight_kg"),
        (None, [], "weight_kg"),
        (70, [lido(0, 1)], r"injections\[0\]\.percent"),
        (70, [lido(5.1, 1)], r"injections\[0\]\.percent"),
        (70, [lido(-1, 1)], r"injections\[0\]\.percent"),
        (70, [lido(float("nan"), 1)], r"injections\[0\]\.percent"),
        (70, [lido(1, 1), lido(1, -0.1)], r"injections\[1\]\.ml"),
        (70, [lido(1, float("nan"))], r"injections\[0\]\.ml"),
        (70, [lido(1, float("inf"))], r"injections\[0\]\.ml"),
        (70, [lido(1, Decimal("NaN"))], r"injections\[0\]\.ml"),
        (70, [("lidocaine", 1, 1, "yes")], r"injections\[0\]\.epinephrine"),
        (70, [("lidocaine", 1, 1)], r"injections\[0\]"),
        (70, "lidocaine", "injections"),
        (70, None, "injections"),
    ],
)
def test_it_refuses_bad_session_input_naming_the_field(weight, injections, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        check_session(weight, injections)


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: max_dose_mg("lignocaine", 70), "agent"),
        (lambda: max_dose_mg("lidocaine", 0), "weight_kg"),
        (lambda: max_dose_mg("lidocaine", 401), "weight_kg"),
        (lambda: max_dose_mg("lidocaine", 70, epinephrine=1), "epinephrine"),
        (lambda: max_dose_mg("lidocaine", 70, table={}), "table"),
        (lambda: mg_from_ml(-1, 1), "ml"),
        (lambda: mg_from_ml(1, 0), "percent"),
        (lambda: mg_from_ml(1, 6), "percent"),
        (lambda: max_volume_ml("lidocaine", 0, 70), "percent"),
        (lambda: check_session(70, [], caution_at=2), "caution_at"),
    ],
)
def test_it_refuses_bad_single_agent_input_naming_the_field(call, field):
    with pytest.raises(ValueError, match=f"^{field}"):
        call()


# --- properties ---------------------------------------------------------------------------------

agents = st.sampled_from(AGENTS)
weights = st.floats(min_value=0.5, max_value=400)
strengths = st.one_of(
    st.sampled_from([0.2, 0.25, 0.3, 0.5, 0.75, 1, 1.5, 2, 3, 4]),
    st.floats(min_value=0.01, max_value=5),
)
volumes = st.floats(min_value=0, max_value=100)
injections = st.tuples(agents, strengths, volumes, st.booleans())


@given(agents, weights, weights, st.booleans())
def test_it_never_exceeds_the_cap_and_never_falls_as_weight_rises(agent, w1, w2, epi):
    light, heavy = sorted((w1, w2))
    cap = DEFAULT_TABLE.limits[agent].limit(epi).cap_mg
    assert max_dose_mg(agent, light, epinephrine=epi) <= max_dose_mg(agent, heavy, epinephrine=epi)
    assert max_dose_mg(agent, heavy, epinephrine=epi) <= cap


@given(weights, st.lists(injections, max_size=6), injections)
def test_it_never_lowers_the_fraction_when_a_site_is_added(weight, session, extra):
    before = check_session(weight, session)
    after = check_session(weight, [*session, extra])
    assert after.fraction_exact >= before.fraction_exact
    assert after.fraction >= before.fraction


def exact(value):
    """The exact value the rules read a number as: the decimal it prints as."""
    return Fraction(repr(value)) if isinstance(value, float) else Fraction(value)


@given(agents, strengths, weights, st.booleans(), st.integers(1, 5), st.integers(-3, 3))
def test_it_reports_every_total_above_the_maximum_as_exceeded(
    agent, percent, weight, epi, sites, ulps
):
    # Build a total at the float-computed maximum volume, nudged by a few ulps either
    # way and split across sites, then judge it with an exact oracle.
    ml = max_dose_mg(agent, weight, epinephrine=epi) / (percent * 10)
    for _ in range(abs(ulps)):
        ml = math.nextafter(ml, math.inf if ulps > 0 else 0)
    parts = [ml / sites] * sites
    check = check_session(weight, [(agent, percent, part, epi) for part in parts])

    limit = DEFAULT_TABLE.limits[agent].limit(epi)
    maximum = min(limit.mg_per_kg * exact(weight), limit.cap_mg)
    total = sum(exact(part) * exact(percent) * 10 for part in parts)
    assert check.fraction_exact == total / maximum
    assert (check.status == DoseStatus.EXCEEDED) == (total > maximum)
    if total > maximum:
        assert check.fraction > 1.0


small_injections = st.tuples(agents, strengths, st.floats(min_value=0, max_value=10), st.booleans())


@given(weights, st.lists(small_injections, min_size=1, max_size=3), st.integers(0, 2))
def test_it_allows_exactly_the_remaining_volume_and_no_more(weight, session, pick):
    check = check_session(weight, session)
    assume(check.status != DoseStatus.EXCEEDED)
    preps = list(check.remaining_ml)
    prep = preps[pick % len(preps)]
    ml = check.remaining_ml[prep]
    more = (prep.agent, prep.percent, ml, prep.epinephrine)
    assert check_session(weight, [*session, more]).status != DoseStatus.EXCEEDED
    # Rounding down costs less than 0.01 mL, so 0.02 mL more is always over.
    over = (prep.agent, prep.percent, ml + 0.02, prep.epinephrine)
    assert check_session(weight, [*session, over]).status == DoseStatus.EXCEEDED


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.decimals(),
    st.fractions(),
    st.text(max_size=12),
    st.sampled_from([*AGENTS, "Lidocaine", "", "saline"]),
    st.lists(st.integers(), max_size=4),
)


@given(junk, st.one_of(junk, st.lists(st.one_of(junk, st.tuples(junk, junk, junk, junk)))))
def test_it_raises_only_value_error_on_bad_session_input(weight, session):
    with contextlib.suppress(ValueError):  # any other exception fails
        check_session(weight, session)


@given(junk, junk, junk, junk)
def test_it_raises_only_value_error_on_bad_single_agent_input(agent, weight, percent, epi):
    for call in (
        lambda: max_dose_mg(agent, weight, epinephrine=epi),
        lambda: max_volume_ml(agent, percent, weight, epinephrine=epi),
        lambda: mg_from_ml(weight, percent),
        lambda: dosing_weight_kg(actual_kg=weight, ideal_kg=percent),
    ):
        with contextlib.suppress(ValueError):  # any other exception fails
            call()


table_values = st.one_of(junk, st.dictionaries(st.text(max_size=10), junk, max_size=3))


@given(
    st.dictionaries(
        st.sampled_from(["name", "version", "source", "agents", "other"]),
        st.one_of(
            table_values,
            st.dictionaries(
                st.sampled_from([*AGENTS, "cocaine"]),
                st.dictionaries(
                    st.sampled_from(["mg_per_kg", "cap_mg", "epinephrine", "x"]), table_values
                ),
            ),
        ),
    )
)
def test_it_raises_only_value_error_on_a_bad_table(data):
    with contextlib.suppress(ValueError):  # any other exception fails
        DoseTable.from_dict(data)
