"""Synthetic pain drawings for demo patients: plausible patterns that change over time.

Each pattern lists atlas places with a typical intensity. Later drawings show a response
(fewer, fainter regions), no response, or a partial one, so the chart's heat map and the
comparison have something true to show.
"""

from taut.atlas.forms import MarkInput
from taut.clinical import atlas

# name -> [(region id, weight of being marked, typical intensity)]
PATTERNS = {
    "neck_shoulder": [
        ("neck_posterior_lower", 0.9, 7),
        ("shoulder_top", 0.9, 7),
        ("neck_lateral", 0.6, 6),
        ("head_occipital", 0.5, 5),
        ("scapula_medial_border", 0.5, 5),
        ("head_temporal", 0.3, 4),
        ("neck_posterior_upper", 0.6, 6),
    ],
    "low_back": [
        ("low_back", 0.95, 7),
        ("sacroiliac", 0.7, 6),
        ("buttock", 0.6, 6),
        ("hip_lateral", 0.4, 5),
        ("thigh_posterior", 0.3, 4),
        ("iliac_crest_posterior", 0.5, 5),
    ],
    "headache": [
        ("head_temporal", 0.9, 6),
        ("head_occipital", 0.7, 6),
        ("neck_posterior_upper", 0.8, 6),
        ("head_frontal", 0.4, 5),
        ("eye_orbital", 0.3, 5),
        ("shoulder_top", 0.4, 4),
    ],
    "shoulder": [
        ("shoulder_anterior", 0.8, 7),
        ("shoulder_lateral", 0.7, 6),
        ("upper_arm_lateral", 0.5, 5),
        ("scapula_infraspinous", 0.6, 5),
        ("shoulder_posterior", 0.4, 5),
    ],
    "widespread": [
        ("neck_posterior_lower", 0.8, 6),
        ("shoulder_top", 0.8, 6),
        ("low_back", 0.8, 6),
        ("upper_arm_lateral", 0.5, 5),
        ("forearm_dorsal", 0.4, 4),
        ("hip_lateral", 0.6, 5),
        ("thigh_lateral", 0.5, 5),
        ("calf", 0.5, 5),
        ("chest_anterior", 0.4, 4),
        ("thoracic_upper", 0.6, 5),
        ("jaw_mandible", 0.3, 4),
    ],
}
BY_CONDITION = {
    "Myofascial pain syndrome": ["neck_shoulder", "low_back", "shoulder"],
    "Chronic low back pain": ["low_back"],
    "Neck pain (cervicalgia)": ["neck_shoulder"],
    "Tension-type headache": ["headache"],
    "Fibromyalgia": ["widespread"],
}
MIDLINE = {r for r, region in atlas.REGIONS.items() if region.midline}


def drawing_history(rng, conditions) -> list[tuple[int, list[MarkInput]]]:
    """0-3 drawings as (days ago, marks), oldest first, for a patient's conditions."""
    choices = [p for name in conditions for p in BY_CONDITION.get(name, [])]
    if not choices:
        return []
    pattern = PATTERNS[rng.choice(choices)]
    sides = rng.choice([("left",), ("right",), ("left", "right")])
    if pattern is PATTERNS["widespread"]:
        sides = ("left", "right")
    course = rng.choice(["responder", "responder", "partial", "none"])
    count = rng.choice([1, 2, 2, 3])
    days = sorted(rng.sample(range(5, 200), count), reverse=True)
    history, marks = [], _first(rng, pattern, sides)
    for number, days_ago in enumerate(days):
        if number:
            marks = _later(rng, marks, course)
        history.append((days_ago, marks))
    return history


def _first(rng, pattern, sides):
    marks = []
    for region, chance, typical in pattern:
        if rng.random() < chance:
            for side in (None,) if region in MIDLINE else sides:
                intensity = max(1, min(10, typical + rng.randint(-2, 2)))
                quality = rng.choice([(), ("aching",), ("aching", "throbbing"), ("sharp",)])
                marks.append(MarkInput(region, side, intensity, quality))
    return marks or [MarkInput(pattern[0][0], sides[0], pattern[0][2], ("aching",))]


def _later(rng, marks, course):
    drop = {"responder": (3, 5, 0.45), "partial": (1, 3, 0.2), "none": (-1, 1, 0.0)}[course]
    later = []
    for mark in marks:
        if rng.random() < drop[2]:
            continue  # resolved
        intensity = max(1, min(10, mark.intensity - rng.randint(drop[0], drop[1])))
        later.append(MarkInput(mark.region_id, mark.side, intensity, mark.qualities))
    return later or [MarkInput(marks[0].region_id, marks[0].side, 1, ())]
