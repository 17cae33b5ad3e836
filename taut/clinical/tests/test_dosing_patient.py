"""The whole patient in the dose check: anaesthetic from the last 24 hours, age, and the
reductions for age over 70, liver disease, heart failure and pregnancy.

Source ids are those of docs/clinical-rules.md (shared/reference/clinical.md §9).
"""

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction

import pytest

from taut.clinical.dosing import (
    REDUCTIONS,
    DoseStatus,
    EarlierDose,
    Factor,
    Injection,
    Reduction,
    adult_table_refusal,
    age_on,
    check_session,
    counts_toward,
    reduction_fraction,
    suggested_reductions,
)

LIDO_1_PCT = ("lidocaine", 1, 10, False)  # 100 mg

# (weight kg, this session, earlier doses, status, fraction): [S30] lidocaine 4.5 mg/kg ≤ 300
# mg plain, 7 mg/kg ≤ 500 mg with epinephrine; bupivacaine 2 mg/kg ≤ 175 mg; doses over 24
# hours add up ([S65], clinic policy for lidocaine).
CUMULATIVE_CASES = [
    # 100 mg now + 150 mg this morning = 250 of 300 mg [S30]: caution (≥ 80 %).
    (70, [LIDO_1_PCT], [EarlierDose("lidocaine", 150, where="dentist")], "caution", "5/6"),
    # 100 mg now + 250 mg elsewhere = 350 of 300 mg: exceeded, though this session alone is ok.
    (70, [LIDO_1_PCT], [EarlierDose("lidocaine", 250)], "exceeded", "7/6"),
    # Other agent earlier: 70 of 140 mg bupivacaine [S30] + 100 of 300 lidocaine = 5/6.
    (70, [LIDO_1_PCT], [EarlierDose("bupivacaine", 70)], "caution", "5/6"),
    # Earlier dose with epinephrine, this one plain: counted against the plain maximum.
    (70, [LIDO_1_PCT], [EarlierDose("lidocaine", 100, epinephrine=True)], "ok", "2/3"),
    # No earlier dose: as before.
    (70, [LIDO_1_PCT], [], "ok", "1/3"),
    # Only an earlier dose, nothing anaesthetic today: still counted.
    (70, [], [EarlierDose("lidocaine", 310)], "exceeded", "31/30"),
]


@pytest.mark.parametrize(("weight", "now", "earlier", "status", "fraction"), CUMULATIVE_CASES)
def test_it_adds_anaesthetic_from_the_last_24_hours(weight, now, earlier, status, fraction):
    check = check_session(weight, now, earlier=earlier)
    assert check.status == DoseStatus(status)
    assert check.fraction_exact == Fraction(fraction)


def test_it_says_how_much_came_before_and_leaves_less_to_give():
    """250 mg given elsewhere leaves 50 mg of lidocaine, 5 mL of 1 % [S30], [S31]."""
    check = check_session(
        70,
        [("lidocaine", 1, 0.01, False)],
        earlier=[EarlierDose("lidocaine", 250, where="urgent care")],
    )
    assert check.earlier_mg_by_agent == {"lidocaine": 250.0}
    assert check.total_mg_by_agent == {"lidocaine": 250.1}
    assert any("250 mg of it was given before this session" in m for m in check.messages)
    assert list(check.remaining_ml.values()) == [4.99]


@pytest.mark.parametrize(
    ("bad", "field"),
    [
        (("lidocaine", 100), "earlier[0]"),  # not an EarlierDose
        (EarlierDose("lignocaine", 100), "earlier[0].agent"),
        (EarlierDose("lidocaine", 0), "earlier[0].mg"),
        (EarlierDose("lidocaine", 5000), "earlier[0].mg"),
        (EarlierDose("lidocaine", 10, epinephrine="no"), "earlier[0].epinephrine"),  # type: ignore[arg-type]
    ],
)
def test_it_refuses_an_earlier_dose_it_cannot_read(bad, field):
    with pytest.raises(ValueError, match=rf"^{field.replace('[', r'\[').replace(']', r'\]')}"):
        check_session(70, [], earlier=[bad])


T0 = datetime(2026, 3, 8, 9, 0, tzinfo=UTC)

# Within 24 hours of the session, either side, counts ([S65] 24-hour maximum).
WINDOW_CASES = [
    (T0 - timedelta(hours=23, minutes=59), True),
    (T0 - timedelta(hours=24), False),
    (T0 + timedelta(hours=3), True),
    (T0 - timedelta(days=2), False),
    (T0, True),
]


@pytest.mark.parametrize(("given_at", "counts"), WINDOW_CASES)
def test_it_counts_doses_within_24_hours(given_at, counts):
    assert counts_toward(given_at, session_at=T0) is counts


def test_it_refuses_a_naive_time():
    with pytest.raises(ValueError, match=r"^given_at"):
        counts_toward(datetime(2026, 3, 8, 9), session_at=T0)


# --- age ---------------------------------------------------------------------------------

AGE_CASES = [
    (date(2000, 3, 8), date(2026, 3, 8), 26),
    (date(2000, 3, 9), date(2026, 3, 8), 25),  # birthday tomorrow
    (date(2008, 2, 29), date(2026, 2, 28), 17),  # leap-day birthday not yet reached
    (date(2008, 2, 29), date(2026, 3, 1), 18),
]


@pytest.mark.parametrize(("born", "today", "age"), AGE_CASES)
def test_it_counts_age_in_whole_years(born, today, age):
    assert age_on(born, today) == age


# [S30]: the tables are adult maximum single doses; [S66]: children are dosed otherwise.
ADULT_CASES = [
    (date(2008, 3, 9), date(2026, 3, 8), "The patient is 17"),  # 18 tomorrow: refused
    (date(2008, 3, 8), date(2026, 3, 8), None),  # 18 today: adult
    (date(2016, 1, 1), date(2026, 3, 8), "The patient is 10"),
    (date(1950, 1, 1), date(2026, 3, 8), None),
]


@pytest.mark.parametrize(("born", "today", "refusal"), ADULT_CASES)
def test_it_refuses_the_adult_table_under_18(born, today, refusal):
    reason = adult_table_refusal(date_of_birth=born, today=today)
    if refusal is None:
        assert reason is None
    else:
        assert reason is not None and reason.startswith(refusal)
        assert "[S30]" in reason and "[S66]" in reason


def test_it_refuses_a_birth_after_today():
    with pytest.raises(ValueError, match=r"^date_of_birth"):
        age_on(date(2027, 1, 1), date(2026, 3, 8))


# [S28] "reduce dose in elderly": offered from the 70th birthday (clinic policy).
SUGGESTED_CASES = [
    (date(1956, 3, 8), date(2026, 3, 8), (Factor.AGE_OVER_70,)),
    (date(1956, 3, 9), date(2026, 3, 8), ()),
    (date(1930, 1, 1), date(2026, 3, 8), (Factor.AGE_OVER_70,)),
]


@pytest.mark.parametrize(("born", "today", "factors"), SUGGESTED_CASES)
def test_it_suggests_the_elderly_reduction_from_70(born, today, factors):
    assert suggested_reductions(date_of_birth=born, today=today) == factors


# [S63]: pregnancy is a precaution; the intake's answer suggests the reduction.
@pytest.mark.parametrize(
    ("pregnant", "factors"),
    [(True, (Factor.PREGNANCY,)), (False, ()), (None, ())],
)
def test_it_suggests_the_pregnancy_reduction_from_the_intake(pregnant, factors):
    born, today = date(1990, 1, 1), date(2026, 3, 8)
    assert suggested_reductions(date_of_birth=born, today=today, pregnant=pregnant) == factors


# --- reductions --------------------------------------------------------------------------

# [S28] (elderly, cardiac, hepatic), [S63] (pregnancy): 20 % each by default (clinic policy).
REDUCTION_CASES = [
    ([], "1"),
    (["age_over_70"], "4/5"),
    (["hepatic", "heart_failure"], "16/25"),  # multiplied: 64 %
    (["pregnancy", "pregnancy"], "4/5"),  # counted once
    (["age_over_70", "hepatic", "heart_failure", "pregnancy"], "256/625"),
]


@pytest.mark.parametrize(("factors", "kept"), REDUCTION_CASES)
def test_it_multiplies_the_reductions(factors, kept):
    assert reduction_fraction(factors) == Fraction(kept)


def test_every_reduction_cites_why_and_says_its_percentage_is_clinic_policy():
    assert set(REDUCTIONS) == set(Factor)
    for reduction in REDUCTIONS.values():
        assert "[S28]" in reduction.basis or "[S63]" in reduction.basis
        assert reduction.percent_status == "clinic policy, unverified"
        assert reduction.label and "_" not in reduction.label


def test_it_lowers_the_maximum_and_says_why():
    """Lidocaine 240 mg at 70 kg: 80 % of 300 mg [S30] is caution; with age over 70 (240 of
    240 mg) still allowed; with liver disease too (240 of 192 mg) exceeded."""
    dose = [Injection("lidocaine", 1, 24)]
    assert check_session(70, dose).status == DoseStatus.CAUTION
    reduced = check_session(70, dose, reductions=["age_over_70"])
    assert reduced.max_mg_by_agent == {"lidocaine": 240.0}
    assert reduced.status == DoseStatus.CAUTION
    assert reduced.kept_fraction == Fraction(4, 5)
    assert any(m.startswith("Age over 70: maximum lowered by 20 %") for m in reduced.messages)
    both = check_session(70, dose, reductions=["age_over_70", "hepatic"])
    assert both.status == DoseStatus.EXCEEDED
    assert both.max_mg_by_agent == {"lidocaine": 192.0}


def test_a_clinic_can_set_its_own_percentages():
    policy = {
        **REDUCTIONS,
        Factor.HEPATIC: Reduction(Factor.HEPATIC, "Liver disease", 50, "x", "y"),
    }
    check = check_session(
        70, [Injection("lidocaine", 1, 10)], reductions=["hepatic"], policy=policy
    )
    assert check.max_mg_by_agent == {"lidocaine": 150.0}


@pytest.mark.parametrize("percent", [-1, 100, 150])
def test_it_refuses_a_reduction_of_all_or_more(percent):
    with pytest.raises(ValueError, match=r"^percent"):
        Reduction(Factor.HEPATIC, "Liver disease", percent, "x", "y")


def test_it_refuses_an_unknown_factor():
    with pytest.raises(ValueError, match="unknown dose factor"):
        check_session(70, [], reductions=["kidney"])
