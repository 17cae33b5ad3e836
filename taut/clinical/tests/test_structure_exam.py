"""The exam of a ligament or tendon site (issue 15): point tenderness and the patient's
recognised pain decide; pain on stress and swelling support. Sources: [S76] (tenderness at
the enthesis, Cozen's test), [S77] (Hackett: palpation along the ligament reproduces the
pain), [S75] (injection for pain from the structure). The thresholds are Taut's (unverified).
"""

import pytest

from taut.clinical.structure_exam import (
    VERSION,
    Classification,
    Findings,
    Kind,
    classify,
    injection_indicated,
)

T, F, N = True, False, None

CASES = [
    # (point tenderness, recognised, pain on stress, swelling) -> kind
    ((T, T, N, N), Kind.SYMPTOMATIC),  # [S77]: palpation reproduces the patient's pain
    ((T, T, F, F), Kind.SYMPTOMATIC),  # supporting findings are never required
    ((T, F, T, T), Kind.TENDER),  # tender, not the patient's pain: supporting do not help
    ((T, N, T, N), Kind.TENDER),  # recognition not asked
    ((F, T, T, T), Kind.NOT_TENDER),  # no point tenderness: nothing else decides
    ((F, N, N, N), Kind.NOT_TENDER),
    ((N, T, T, T), Kind.INCOMPLETE),  # point tenderness not examined
    ((N, N, N, N), Kind.INCOMPLETE),
]


@pytest.mark.parametrize(("values", "kind"), CASES)
def test_it_classifies_from_tenderness_and_recognised_pain(values, kind):
    result = classify(Findings(*values))
    assert isinstance(result, Classification)
    assert result.kind is kind
    assert result.version == VERSION


@pytest.mark.parametrize(("values", "kind"), CASES)
def test_it_gives_every_reason_a_source_and_status(values, kind):
    reasons = classify(Findings(*values)).reasons
    assert reasons and all(r.text and r.source and r.status for r in reasons)
    assert reasons[0].status == "unverified"  # the classification is Taut's own
    assert all(r.status in {"secondary", "unverified"} for r in reasons)


def test_it_lists_supporting_findings_without_changing_the_kind():
    with_support = classify(Findings(True, True, True, True))
    texts = [r.text for r in with_support.reasons]
    assert any(t.startswith("Supporting: Pain on stretch or resisted movement") for t in texts)
    assert any(t.startswith("Supporting: Swelling") for t in texts)
    assert with_support.kind is classify(Findings(True, True)).kind


def test_it_says_what_is_missing():
    reason = classify(Findings()).reasons[0].text
    assert "not examined" in reason


@pytest.mark.parametrize(("kind", "indicated"), [(k, k is Kind.SYMPTOMATIC) for k in Kind])
def test_it_indicates_injection_only_for_a_symptomatic_site(kind, indicated):
    assert injection_indicated(kind) is indicated
    assert injection_indicated(kind.value) is indicated


@pytest.mark.parametrize("bad", [{"point_tenderness": "yes"}, {"recognised": 1}, {"swelling": 0}])
def test_it_refuses_findings_that_are_not_three_valued(bad):
    field = next(iter(bad))
    with pytest.raises(ValueError, match=rf"^{field}: expected True, False or None"):
        Findings(**bad)


def test_it_refuses_unknown_kinds_and_inputs():
    with pytest.raises(ValueError, match=r"^kind"):
        injection_indicated("active")  # a trigger point kind is not a structure kind
    with pytest.raises(ValueError, match=r"^findings"):
        classify((True, True))  # type: ignore[arg-type]


def test_every_kind_has_a_label():
    assert all(kind.label for kind in Kind)
