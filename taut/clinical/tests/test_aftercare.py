"""Aftercare handout and warning signs: taut.clinical.aftercare. Sources: clinical.md §3, §4, §8."""

import contextlib
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taut.clinical import atlas
from taut.clinical.aftercare import (
    INFECTION_UNTIL_DAY,
    LAST_UNTIL_DAY,
    PNEUMOTHORAX_UNTIL_DAY,
    VERSION,
    WARNING_SIGNS,
    AskWhen,
    SectionKey,
    Severity,
    Sign,
    alerts,
    as_checkpoint,
    instructions,
    reading_grade,
    warning_signs,
)
from taut.clinical.consent import PNEUMOTHORAX_MUSCLES
from taut.clinical.dosing import Agent
from taut.clinical.schedule import DEFAULT_PLAN, Checkpoint

SOURCE = re.compile(r"\[S\d+[a-z]?\]")
STATUSES = {"verified", "secondary", "unverified"}
MAX_GRADE = 7  # US grade 7 ≈ age 12–13: the "reading age of about 12"

NECK = ("trapezius_upper", "left")  # over the lung: [S14] bilateral pneumothoraces
CHEST = ("pectoralis_major", "right")  # chest wall [S9]
BUTTOCK = ("gluteus_medius", "left")
ARM = ("deltoid", "right")
KEYS = [p.key for p in DEFAULT_PLAN.checkpoints]

site = st.tuples(st.sampled_from(sorted(atlas.MUSCLES)), st.sampled_from(["left", "right"]))
sites_lists = st.lists(site, max_size=5)
agent_lists = st.lists(st.sampled_from(list(Agent)), max_size=3)
checkpoints = st.builds(
    Checkpoint, key=st.just("custom"), offset_days=st.integers(1, 400), label=st.just("Custom")
)


def lines(result, key):
    section = result.section(key)
    return [] if section is None else [line.text for line in section.lines]


def test_it_has_a_version():
    assert VERSION == "2026.3"
    assert instructions([ARM]).version == VERSION


# --- the handout ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sites", "agents", "sections"),
    [
        # The emergency comes first (issue 11: emergencies are called emergencies).
        ([ARM], ["lidocaine"], ["emergency", "expect", "do", "call", "contact"]),  # LAST signs
        ([ARM], [], ["expect", "do", "call", "contact"]),  # dry needling, limb
        ([NECK], [], ["emergency", "expect", "do", "call", "contact"]),  # chest warning
        ([NECK, CHEST], ["bupivacaine"], ["emergency", "expect", "do", "call", "contact"]),
    ],
)
def test_it_orders_the_sections(sites, agents, sections):
    result = instructions(sites, agents=agents)
    assert [s.key for s in result.sections] == sections
    assert all(s.heading and s.lines for s in result.sections)


def test_it_sets_expectations_from_the_evidence():
    result = instructions([ARM])
    expect = {line.text: line for line in result.section(SectionKey.EXPECT).lines}
    sore = next(line for text, line in expect.items() if "sore for a few days" in text)
    assert "[S10]" in sore.source and "[S13]" in sore.source  # soreness 2–8 h; 1–3 days
    fades = next(line for text, line in expect.items() if "may not last" in text)
    assert "[S15]" in fades.source  # relief partly wears off by 2 weeks
    later = next(line for text, line in expect.items() if "in a few days" in text)
    assert later.status == "unverified"  # delayed relief is not measured in any source


def test_it_marks_heat_cold_and_everyday_activity_as_not_fully_sourced():
    do = {line.text: line for line in instructions([ARM]).section(SectionKey.DO).lines}
    assert next(v for k, v in do.items() if "warm pack" in k).status == "secondary"  # [S8d]
    assert next(v for k, v in do.items() if "cold pack" in k).status == "unverified"
    assert next(v for k, v in do.items() if "daily tasks" in k).status == "unverified"
    assert next(v for k, v in do.items() if "Rest the area" in k).source == "[S8b]"
    stretch = next(v for k, v in do.items() if k.startswith("Stretch"))
    assert "[S8d]" in stretch.source and stretch.status == "secondary"  # daily: Taut's reading


@pytest.mark.parametrize(
    ("sites", "chest_warning"),
    [
        ([NECK], True),  # [S14]
        ([CHEST], True),  # [S9]
        ([("rhomboids", "left")], True),  # scapular, over the ribs
        ([("quadratus_lumborum", "right")], True),  # pleura below the 12th rib
        ([ARM], False),
        ([BUTTOCK, ARM], False),
        ([ARM, NECK], True),
        ([], False),
    ],
)
def test_it_warns_of_breathlessness_and_chest_pain_only_after_a_site_over_the_lung(
    sites, chest_warning
):
    result = instructions(sites)
    emergency = " ".join(lines(result, SectionKey.EMERGENCY))
    assert ("short of breath" in emergency) is chest_warning
    assert ("chest pain" in emergency) is chest_warning
    assert bool(result.pneumothorax_sites) is chest_warning


def test_it_names_the_sites_behind_the_chest_warning():
    result = instructions([ARM, NECK, ("trapezius_upper", "left")])
    assert result.pneumothorax_sites == (NECK,)


@pytest.mark.parametrize(
    ("agents", "last_signs"),
    [
        (["lidocaine"], True),  # [S29b]
        (["bupivacaine", "lidocaine"], True),
        ([], False),  # saline or dry needling: no anaesthetic, no LAST
    ],
)
def test_it_lists_anaesthetic_toxicity_signs_only_when_an_anaesthetic_was_given(agents, last_signs):
    result = instructions([ARM], agents=agents)
    emergency = " ".join(lines(result, SectionKey.EMERGENCY))
    for sign in ("numbness around your mouth", "metal", "ringing in your ears", "dizzy"):
        assert (sign in emergency) is last_signs  # early CNS signs [S29b]
    assert ("In the first hour after the shots, call 911 now" in emergency) is last_signs
    assert "call us at once" not in " ".join(result.texts)  # an emergency, not the clinic
    assert ("numbing drug" in " ".join(lines(result, SectionKey.EXPECT))) is last_signs
    assert ("seizure" in " ".join(lines(result, SectionKey.EMERGENCY))) is last_signs


def test_it_always_lists_the_signs_of_infection():
    call = " ".join(lines(instructions([ARM]), SectionKey.CALL))
    for sign in ("red", "warm", "swollen", "pus", "fever"):
        assert sign in call


@pytest.mark.parametrize(
    ("name", "phone", "line"),
    [
        ("Riverside Pain Clinic", "555-0100", "Call Riverside Pain Clinic at 555-0100."),
        ("  Riverside   Pain Clinic ", " 555-0100 ", "Call Riverside Pain Clinic at 555-0100."),
        ("", "555-0100", "Call the clinic at 555-0100."),
        ("Riverside", "", "Call Riverside. The phone number is on your visit papers."),
    ],
)
def test_it_gives_the_clinic_contact_line(name, phone, line):
    result = instructions([ARM], clinic_name=name, clinic_phone=phone)
    assert lines(result, SectionKey.CONTACT)[0] == line


def test_it_gives_every_line_a_source_and_status():
    result = instructions([NECK, ARM], agents=["lidocaine"])
    for section in result.sections:
        for line in section.lines:
            assert line.status in STATUSES, line
            if line.status != "unverified":
                assert SOURCE.search(line.source), line
            else:
                assert line.source, line


def test_it_is_the_same_whatever_the_order_or_repeats_of_sites_and_agents():
    one = instructions([NECK, ARM], agents=["lidocaine", "bupivacaine"])
    two = instructions([ARM, NECK, ARM], agents=["bupivacaine", "lidocaine", "lidocaine"])
    assert one.texts == two.texts
    assert two.agents == (Agent.BUPIVACAINE, Agent.LIDOCAINE)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"sites": [("lung", "left")]}, r"^sites\[0\]\.muscle_id: unknown atlas muscle"),
        ({"sites": [ARM], "agents": ["cocaine"]}, r"^agents\[0\]: unknown local anaesthetic"),
        ({"sites": [ARM], "agents": "lidocaine"}, r"^agents: expected a list"),
        ({"sites": [ARM], "agents": None}, r"^agents: expected a list"),
        ({"sites": [ARM], "clinic_name": None}, r"^clinic_name: expected text"),
        ({"sites": [ARM], "clinic_phone": 5550100}, r"^clinic_phone: expected text"),
    ],
)
def test_it_refuses_bad_input_naming_the_field(kwargs, message):
    sites = kwargs.pop("sites")
    with pytest.raises(ValueError, match=message):
        instructions(sites, **kwargs)


# --- reading grade ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "grade"),
    [
        # 6 words, 6 syllables, 1 sentence: 0.39·6 + 11.8·1 − 15.59
        ("The cat sat on the mat.", 0.39 * 6 + 11.8 - 15.59),
        # A line break ends a sentence, as a bullet does: 2 sentences of 3 words.
        ("The cat sat\non the mat", 0.39 * 3 + 11.8 - 15.59),
        # "table" (ta-ble) 2, "muscle" 2, "stretch" 1, "ambulance" 3: 8 syllables in 4 words
        ("Table muscle stretch ambulance.", 0.39 * 4 + 11.8 * 2 - 15.59),
        # Numbers are not words: the phone number adds nothing.
        ("Call us at 555-0100.", 0.39 * 3 + 11.8 - 15.59),
    ],
)
def test_it_computes_the_flesch_kincaid_grade(text, grade):
    # Kincaid et al. 1975: 0.39 × words/sentence + 11.8 × syllables/word − 15.59
    assert reading_grade(text) == pytest.approx(grade)


@pytest.mark.parametrize("text", ["", "  ", "555-0100", None, 7])
def test_it_refuses_to_grade_text_without_words(text):
    with pytest.raises(ValueError, match=r"^text: "):
        reading_grade(text)


SITE_SETS = [
    [ARM],
    [BUTTOCK, ARM],
    [NECK],
    [NECK, CHEST, ("rhomboids", "right")],
    [("masseter", "left"), ("temporalis", "right")],
    [],
]
AGENT_SETS = [[], ["lidocaine"], ["lidocaine", "bupivacaine"]]
CLINICS = [("", ""), ("Riverside Pain Clinic", "555-0100"), ("Dr Lee", "+1 555 0100")]


@pytest.mark.parametrize("sites", SITE_SETS)
@pytest.mark.parametrize("agents", AGENT_SETS)
@pytest.mark.parametrize(("name", "phone"), CLINICS)
def test_it_writes_every_line_at_a_reading_age_of_about_12(sites, agents, name, phone):
    result = instructions(sites, agents=agents, clinic_name=name, clinic_phone=phone)
    for text in result.texts:
        assert reading_grade(text) <= MAX_GRADE, text
    assert reading_grade("\n".join(result.texts)) <= MAX_GRADE


def test_it_asks_warning_questions_at_a_reading_age_of_about_12():
    for warning in WARNING_SIGNS:
        assert reading_grade(warning.question) <= MAX_GRADE, warning.question


@given(sites_lists, agent_lists)
def test_it_warns_of_the_chest_iff_a_site_is_over_the_lung_and_of_last_iff_an_anaesthetic(
    sites, agents
):
    result = instructions(sites, agents=agents)
    over_lung = any(muscle in PNEUMOTHORAX_MUSCLES for muscle, _ in sites)
    text = " ".join(result.texts)
    assert ("chest pain" in text) is over_lung
    assert ("taste of metal" in text) is bool(agents)


# --- warning signs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sign", "severity", "ask_when", "checkpoints", "source"),
    [
        (Sign.LAST, Severity.URGENT, AskWhen.ANAESTHETIC, ("day_1",), "[S29b]"),
        (Sign.BREATHING, Severity.URGENT, AskWhen.PNEUMOTHORAX_SITE, ("day_1", "day_3"), "[S14]"),
        (Sign.CHEST_PAIN, Severity.URGENT, AskWhen.PNEUMOTHORAX_SITE, ("day_1", "day_3"), "[S14]"),
        (
            Sign.INFECTION,
            Severity.SOON,
            AskWhen.ALWAYS,
            ("day_1", "day_3", "week_1", "week_2"),
            "[S13]",
        ),
    ],
)
def test_it_defines_the_warning_signs(sign, severity, ask_when, checkpoints, source):
    warning = next(w for w in WARNING_SIGNS if w.sign is sign)
    assert (warning.severity, warning.ask_when, warning.checkpoints) == (
        severity,
        ask_when,
        checkpoints,
    )
    assert source in warning.source
    assert warning.status in STATUSES and warning.question and warning.alert


def test_it_asks_each_warning_once_in_a_fixed_order():
    assert [w.sign for w in WARNING_SIGNS] == list(Sign)
    assert (LAST_UNTIL_DAY, PNEUMOTHORAX_UNTIL_DAY, INFECTION_UNTIL_DAY) == (1, 3, 14)


@pytest.mark.parametrize(
    ("checkpoint", "sites", "agents", "expected"),
    [
        ("day_1", [NECK], ["lidocaine"], ["last_symptoms", "breathing", "chest_pain", "infection"]),
        ("day_1", [ARM], ["lidocaine"], ["last_symptoms", "infection"]),
        ("day_1", [ARM], [], ["infection"]),  # dry needling: no LAST question
        ("day_1", [ARM], None, ["last_symptoms", "infection"]),  # agents unknown: ask
        ("day_3", [NECK], ["lidocaine"], ["breathing", "chest_pain", "infection"]),
        ("day_3", [ARM], ["lidocaine"], ["infection"]),
        ("week_1", [NECK], ["lidocaine"], ["infection"]),
        ("week_2", [CHEST], None, ["infection"]),
        ("week_6", [NECK], ["lidocaine"], []),
        ("week_12", [NECK], None, []),
        (
            Checkpoint("day_2", 2, "Day 2"),
            [CHEST],
            ["lidocaine"],
            ["breathing", "chest_pain", "infection"],
        ),
        (Checkpoint("week_4", 28, "Week 4"), [CHEST], ["lidocaine"], []),
    ],
)
def test_it_picks_the_warnings_for_the_session_and_check_in(checkpoint, sites, agents, expected):
    picked = warning_signs(sites=sites, checkpoint=checkpoint, agents=agents)
    assert [w.sign for w in picked] == expected


@pytest.mark.parametrize(
    ("checkpoint", "message"),
    [
        ("week_4", r"^checkpoint: unknown check-in 'week_4'; pass a schedule\.Checkpoint"),
        (None, r"^checkpoint: unknown check-in None"),
        (Checkpoint("day_0", 0, "Day 0"), r"^checkpoint: offset_days must be a whole day ≥ 1"),
        (Checkpoint("x", True, "X"), r"^checkpoint: offset_days must be a whole day ≥ 1"),
    ],
)
def test_it_refuses_an_unknown_check_in(checkpoint, message):
    with pytest.raises(ValueError, match=message):
        as_checkpoint(checkpoint)
    with pytest.raises(ValueError, match=message):
        alerts({}, sites=[ARM], checkpoint=checkpoint)


def test_it_raises_no_alert_when_every_answer_is_no_or_blank():
    answers = {"last_symptoms": False, "breathing": None, "chest_pain": False, "infection": None}
    assert alerts(answers, sites=[NECK], checkpoint="day_1") == ()
    assert alerts({}, sites=[NECK], checkpoint="day_1") == ()


def test_it_raises_an_alert_per_yes_urgent_first():
    answers = {"infection": True, "chest_pain": True, "last_symptoms": False}
    raised = alerts(answers, sites=[ARM, NECK], checkpoint="day_1")
    assert [(a.code, a.severity) for a in raised] == [
        ("chest_pain", Severity.URGENT),
        ("infection", Severity.SOON),
    ]
    assert raised[0].text.startswith("Day 1 check-in: Chest pain")
    assert "trapezius upper (left)" in raised[0].text  # the site over the lung, named
    assert "deltoid" not in raised[0].text
    assert "[S14]" in raised[0].source and "[S13]" in raised[1].source
    assert all(a.version == VERSION for a in raised)


def test_it_raises_an_alert_for_a_yes_to_a_question_this_check_in_would_not_ask():
    # A reported symptom is never dropped, even on a stale form.
    raised = alerts({"breathing": True}, sites=[ARM], checkpoint="week_2")
    assert [a.code for a in raised] == ["breathing"]
    assert "No site over the lung was recorded." in raised[0].text


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"rash": True}, r"^answers: unknown question id 'rash'"),
        ({"breathing": "yes"}, r"^answers\['breathing'\]: expected True, False or None"),
        ({"breathing": 1}, r"^answers\['breathing'\]: expected True, False or None"),
        ([("breathing", True)], r"^answers: expected a mapping"),
        (None, r"^answers: expected a mapping"),
    ],
)
def test_it_refuses_bad_answers_naming_the_field(answers, message):
    with pytest.raises(ValueError, match=message):
        alerts(answers, sites=[ARM], checkpoint="day_1")


answer = st.sampled_from([True, False, None])


@given(sites_lists, st.one_of(st.sampled_from(KEYS), checkpoints), agent_lists)
def test_it_raises_nothing_when_every_asked_warning_is_answered_no(sites, checkpoint, agents):
    asked = warning_signs(sites=sites, checkpoint=checkpoint, agents=agents)
    answers = {w.sign.value: False for w in asked}
    assert alerts(answers, sites=sites, checkpoint=checkpoint) == ()


@given(
    sites_lists,
    st.one_of(st.sampled_from(KEYS), checkpoints),
    st.dictionaries(st.sampled_from(list(Sign)), answer),
)
def test_it_raises_an_urgent_alert_for_any_yes_to_an_urgent_question(sites, checkpoint, answers):
    raised = alerts(answers, sites=sites, checkpoint=checkpoint)
    yes = {sign for sign, value in answers.items() if value is True}
    assert {a.code for a in raised} == {s.value for s in yes}
    urgent = {w.sign for w in WARNING_SIGNS if w.severity is Severity.URGENT}
    assert any(a.severity is Severity.URGENT for a in raised) is bool(yes & urgent)
    severities = [a.severity for a in raised]
    assert severities == sorted(severities, key=lambda s: s is not Severity.URGENT)


@given(sites_lists, st.one_of(st.sampled_from(KEYS), checkpoints), agent_lists)
def test_it_asks_the_chest_questions_iff_a_site_is_over_the_lung_by_day_3(
    sites, checkpoint, agents
):
    point = as_checkpoint(checkpoint)
    asked = {w.sign for w in warning_signs(sites=sites, checkpoint=point, agents=agents)}
    over_lung = any(muscle in PNEUMOTHORAX_MUSCLES for muscle, _ in sites)
    chest = over_lung and point.offset_days <= PNEUMOTHORAX_UNTIL_DAY
    assert (Sign.BREATHING in asked) is chest
    assert (Sign.CHEST_PAIN in asked) is chest
    assert (Sign.LAST in asked) is (bool(agents) and point.offset_days <= LAST_UNTIL_DAY)


junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.text(max_size=8),
    st.lists(st.integers(), max_size=2),
)


@given(junk, junk)
def test_it_raises_only_value_error_on_bad_input(answers, checkpoint):
    with contextlib.suppress(ValueError):  # any other exception fails
        alerts(answers, sites=[ARM], checkpoint=checkpoint)
    with contextlib.suppress(ValueError):
        instructions([ARM], agents=answers, clinic_name=checkpoint)
