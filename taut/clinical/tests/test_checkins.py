"""Check-in items and due status: taut.clinical.checkins. Sources: clinical.md §3, §5 (ids of §9)."""

import contextlib
import inspect
import re
from datetime import date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import aftercare, atlas, checkins, outcomes
from taut.clinical.aftercare import WARNING_SIGNS, Sign
from taut.clinical.checkins import (
    GAS,
    GAS_FROM_DAY,
    GRACE_DAYS,
    NRS,
    PEG,
    PGIC_FROM_DAY,
    PGIC_QUESTION,
    SORENESS_UNTIL_DAY,
    TREATMENTS,
    TREATMENTS_FROM_DAY,
    VERSION,
    DueStatus,
    Kind,
    due_status,
    questions,
)
from taut.clinical.consent import PNEUMOTHORAX_MUSCLES
from taut.clinical.dosing import Agent
from taut.clinical.schedule import DEFAULT_PLAN, Checkpoint

SOURCE = re.compile(r"\[S\d+[a-z]?\]")
STATUSES = {"verified", "secondary", "unverified"}
KIND_ORDER = list(Kind)  # nrs, peg, soreness, warning, pgic, treatments, gas

NECK = ("trapezius_upper", "left")  # over the lung [S14]
ARM = ("deltoid", "right")
BASE = ["nrs", "peg_pain", "peg_enjoyment", "peg_activity"]
KEYS = [p.key for p in DEFAULT_PLAN.checkpoints]

site = st.tuples(st.sampled_from(sorted(atlas.MUSCLES)), st.sampled_from(["left", "right"]))
sites_lists = st.lists(site, max_size=5)
agent_lists = st.one_of(st.none(), st.lists(st.sampled_from(list(Agent)), max_size=2))
checkpoints = st.one_of(
    st.sampled_from(KEYS),
    st.builds(
        Checkpoint, key=st.just("custom"), offset_days=st.integers(1, 400), label=st.just("X")
    ),
)


def ids(items):
    return [q.id for q in items]


def test_it_has_a_version():
    assert VERSION == "2026.3"


@pytest.mark.parametrize(
    ("checkpoint", "sites", "has_goals", "agents", "expected"),
    [
        # Day 1: soreness [S10], [S13]; LAST [S29b]; pneumothorax [S9], [S14]; infection [S13]
        (
            "day_1",
            [NECK],
            True,
            ["lidocaine"],
            [*BASE, "soreness", "last_symptoms", "breathing", "chest_pain", "infection"],
        ),
        ("day_1", [ARM], True, [], [*BASE, "soreness", "infection"]),  # dry needling, limb
        (
            "day_3",
            [NECK],
            False,
            ["lidocaine"],
            [*BASE, "soreness", "breathing", "chest_pain", "infection"],
        ),
        # From week 1: PGIC [S37] and other treatments [S51]
        (
            "week_1",
            [NECK],
            True,
            ["lidocaine"],
            [*BASE, "soreness", "infection", "pgic", "treatments"],
        ),
        ("week_2", [ARM], True, None, [*BASE, "soreness", "infection", "pgic", "treatments"]),
        # Week 6 and week 12: GAS for each goal [S39]
        ("week_6", [NECK], True, ["lidocaine"], [*BASE, "pgic", "treatments", "gas"]),
        ("week_6", [NECK], False, ["lidocaine"], [*BASE, "pgic", "treatments"]),
        ("week_12", [ARM], True, [], [*BASE, "pgic", "treatments", "gas"]),
        # A clinic's own check-ins, by their day after the session
        (
            Checkpoint("day_2", 2, "Day 2"),
            [NECK],
            True,
            [],
            [*BASE, "soreness", "breathing", "chest_pain", "infection"],
        ),
        (
            Checkpoint("week_4", 28, "Week 4"),
            [NECK],
            True,
            ["lidocaine"],
            [*BASE, "pgic", "treatments"],
        ),
        (
            Checkpoint("week_24", 168, "Week 24"),
            [NECK],
            True,
            [],
            [*BASE, "pgic", "treatments", "gas"],
        ),
    ],
)
def test_it_asks_the_items_for_the_check_in(checkpoint, sites, has_goals, agents, expected):
    asked = questions(checkpoint, sites=sites, has_goals=has_goals, agents=agents)
    assert ids(asked) == expected


def test_it_asks_gas_only_at_week_6_and_week_12_of_the_default_plan():
    with_gas = [k for k in KEYS if GAS in questions(k, sites=[ARM], has_goals=True)]
    assert with_gas == ["week_6", "week_12"]
    assert (SORENESS_UNTIL_DAY, PGIC_FROM_DAY, TREATMENTS_FROM_DAY, GAS_FROM_DAY) == (14, 7, 7, 42)


def test_it_uses_the_published_scales():
    assert NRS.scale == (0, 10) and (NRS.low, NRS.high) == ("No pain", "Worst pain you can imagine")
    assert "[S34]" in NRS.source  # 0 = no pain, 10 = worst possible pain
    # The PEG item ids are outcomes.peg's arguments, in order (Krebs 2009 [S36]).
    assert [q.id for q in PEG] == [f"peg_{p}" for p in inspect.signature(outcomes.peg).parameters]
    assert all(q.scale == (0, 10) and "[S36]" in q.source for q in PEG)
    # PGIC: the 7 points of outcomes.PGIC, 1 = very much improved … 7 = very much worse [S37]
    assert [c.value for c in PGIC_QUESTION.choices] == list(outcomes.PGIC)
    assert PGIC_QUESTION.choices[0].label == "Very much improved"
    assert PGIC_QUESTION.choices[-1].label == "Very much worse"
    # GAS: −2 … +2, each goal (Kiresuk & Sherman [S39])
    assert tuple(c.value for c in GAS.choices) == outcomes.GAS_SCORES
    assert GAS.choices[2].label == "As expected"
    assert [c.value for c in TREATMENTS.choices] == [
        "stretching",
        "physical_therapy",
        "medicines",
        "other",
    ]
    assert TREATMENTS.multiple and not PGIC_QUESTION.multiple


def test_it_gives_every_item_a_prompt_source_and_status():
    for key in KEYS:
        for q in questions(key, sites=[NECK], has_goals=True):
            assert q.prompt and q.source and q.status in STATUSES, q
            if q.status != "unverified":
                assert SOURCE.search(q.source), q


def test_it_asks_warning_questions_in_the_aftercare_words():
    asked = questions(
        "day_1",
        sites=[NECK],
        has_goals=False,
        steroid_and_diabetes=True,
        steroid_sites=["common_extensor_origin"],
    )
    warnings = [q for q in asked if q.kind is Kind.WARNING]
    assert [(q.id, q.prompt) for q in warnings] == [
        (w.sign.value, w.question) for w in WARNING_SIGNS
    ]
    assert all([c.value for c in q.choices] == ["yes", "no"] for q in warnings)


@pytest.mark.parametrize(
    ("checkpoint", "steroid_and_diabetes", "asked"),
    [
        ("day_1", True, True),  # a steroid raises blood glucose [S9], [S22]
        ("day_3", True, True),
        ("week_1", True, False),  # days 1–3: clinic policy
        ("day_1", False, False),  # no steroid, or no diabetes
    ],
)
def test_it_asks_about_blood_sugar_after_a_steroid_in_diabetes(
    checkpoint, steroid_and_diabetes, asked
):
    found = questions(
        checkpoint, sites=[NECK], has_goals=False, steroid_and_diabetes=steroid_and_diabetes
    )
    assert ("blood_sugar" in {q.id for q in found}) is asked


@pytest.mark.parametrize(
    ("checkpoint", "kwargs", "message"),
    [
        ("week_4", {}, r"^checkpoint: unknown check-in 'week_4'"),
        ("day_1", {"has_goals": None}, r"^has_goals: expected True or False"),
        ("day_1", {"has_goals": "yes"}, r"^has_goals: expected True or False"),
        ("day_1", {"sites": [("lung", "left")]}, r"^sites\[0\]\.muscle_id: unknown atlas muscle"),
        ("day_1", {"agents": ["cocaine"]}, r"^agents\[0\]: unknown local anaesthetic"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(checkpoint, kwargs, message):
    arguments = {"sites": [ARM], "has_goals": False, **kwargs}
    with pytest.raises(ValueError, match=message):
        questions(checkpoint, **arguments)


@given(checkpoints, sites_lists, st.booleans(), agent_lists)
def test_it_keeps_the_rules_for_every_check_in(checkpoint, sites, has_goals, agents):
    asked = questions(checkpoint, sites=sites, has_goals=has_goals, agents=agents)
    day = aftercare.as_checkpoint(checkpoint).offset_days
    kinds = [q.kind for q in asked]
    names = ids(asked)
    # Never empty; always starts with the index pain, then the three PEG items.
    assert names[:4] == BASE
    # Items come in the fixed order, each at most once.
    assert kinds == sorted(kinds, key=KIND_ORDER.index)
    assert len(set(names)) == len(names)
    # PGIC and other treatments never before week 1; soreness only up to week 2.
    assert ("pgic" in names) is (day >= 7)
    assert ("treatments" in names) is (day >= 7)
    assert ("soreness" in names) is (day <= 14)
    # GAS only from week 6, and only with goals.
    assert ("gas" in names) is (has_goals and day >= 42)
    # The chest questions iff a site over the lung and a check-in by day 3.
    over_lung = any(muscle in PNEUMOTHORAX_MUSCLES for muscle, _ in sites)
    assert (Sign.BREATHING in names) is (over_lung and day <= 3)
    assert (Sign.CHEST_PAIN in names) is (over_lung and day <= 3)


@given(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
)
def test_it_raises_only_value_error_on_bad_questions_input(checkpoint, has_goals):
    with contextlib.suppress(ValueError):  # any other exception fails
        questions(checkpoint, sites=[ARM], has_goals=has_goals)


# --- due status ---------------------------------------------------------------------------------

DUE = date(2026, 3, 10)


@pytest.mark.parametrize(
    ("today", "completed", "grace", "status"),
    [
        (date(2026, 3, 9), False, 3, DueStatus.UPCOMING),
        (date(2026, 3, 10), False, 3, DueStatus.DUE),
        (date(2026, 3, 13), False, 3, DueStatus.DUE),  # last day of grace
        (date(2026, 3, 14), False, 3, DueStatus.OVERDUE),
        (date(2026, 3, 10), False, 0, DueStatus.DUE),
        (date(2026, 3, 11), False, 0, DueStatus.OVERDUE),
        (date(2026, 3, 1), True, 3, DueStatus.COMPLETED),  # completed early
        (date(2026, 4, 1), True, 3, DueStatus.COMPLETED),
    ],
)
def test_it_says_whether_a_check_in_is_due(today, completed, grace, status):
    assert due_status(DUE, today=today, completed=completed, grace_days=grace) is status


def test_it_allows_three_days_grace_by_default():
    assert GRACE_DAYS == 3  # clinic policy, unverified
    assert due_status(DUE, today=DUE + timedelta(days=3), completed=False) is DueStatus.DUE
    assert due_status(DUE, today=DUE + timedelta(days=4), completed=False) is DueStatus.OVERDUE


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"due_on": datetime(2026, 3, 10, 9)}, r"^due_on: expected a date"),
        ({"due_on": "2026-03-10"}, r"^due_on: expected a date"),
        ({"today": None}, r"^today: expected a date"),
        ({"completed": None}, r"^completed: expected True or False"),
        ({"grace_days": -1}, r"^grace_days: expected a whole number"),
        ({"grace_days": True}, r"^grace_days: expected a whole number"),
        ({"grace_days": 1.5}, r"^grace_days: expected a whole number"),
    ],
)
def test_it_refuses_bad_due_input_naming_the_field(kwargs, message):
    arguments = {"due_on": DUE, "today": DUE, "completed": False, **kwargs}
    due_on = arguments.pop("due_on")
    with pytest.raises(ValueError, match=message):
        due_status(due_on, **arguments)


ORDER = [DueStatus.UPCOMING, DueStatus.DUE, DueStatus.OVERDUE]


@given(st.dates(), st.integers(-60, 60), st.integers(0, 30))
def test_it_moves_from_upcoming_to_due_to_overdue_as_days_pass(due_on, shift, grace):
    try:
        today = due_on + timedelta(days=shift)
        later = today + timedelta(days=1)
    except OverflowError:  # past date.min or date.max: no such day
        return
    now = due_status(due_on, today=today, completed=False, grace_days=grace)
    then = due_status(due_on, today=later, completed=False, grace_days=grace)
    assert ORDER.index(now) <= ORDER.index(then)
    assert due_status(due_on, today=today, completed=True, grace_days=grace) is DueStatus.COMPLETED


def test_it_handles_the_last_representable_day():
    assert due_status(date.max, today=date.max, completed=False, grace_days=30) is DueStatus.DUE


@pytest.mark.parametrize("grace", [0, 3, 7])
def test_it_splits_due_from_overdue_where_due_status_does(grace):
    """Queries page overdue and due check-ins apart with ``overdue_before``; it must draw
    the line where ``due_status`` does (clinic policy)."""
    today = date(2026, 12, 5)
    first_due = checkins.overdue_before(today=today, grace_days=grace)
    for back in range(0, 12):
        due_on = today - timedelta(days=back)
        status = checkins.due_status(due_on, today=today, completed=False, grace_days=grace)
        assert (status is checkins.DueStatus.OVERDUE) is (due_on < first_due), (grace, back)
