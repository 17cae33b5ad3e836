"""The clinic's own numbers for patients: the sentence the public page shows once enough
people have been followed.

Counted per person, not per session: each person's first session in the year, so a person
treated six times counts once (and the interval's independence holds). Shown only when at
least ``MIN_FOLLOWED`` people have a score in the window; a clause whose own window has
fewer is left out.
"""

from dataclasses import dataclass

from taut.clinical.analytics._checks import read_count
from taut.clinical.analytics.proportions import InTens, Proportion, in_tens, wilson

#: People with a 2-week score before the clinic's numbers are shown (issue 17; Taut's
#: choice: below this the interval spans most of the scale, e.g. 15 of 29 is 0.34–0.69).
MIN_FOLLOWED = 30


@dataclass(frozen=True)
class Clause:
    """One clause of the sentence: how many of the people followed, in tens."""

    followed: int
    proportion: Proportion
    tens: InTens


@dataclass(frozen=True)
class ClinicFigure:
    people: int  # people treated in the year
    at_2_weeks: Clause  # at least half their pain gone two weeks later
    at_6_weeks: Clause | None  # ... still at six weeks (None: too few followed)


def _clause(responders: int, followed: int) -> Clause | None:
    if followed < MIN_FOLLOWED:
        return None
    proportion = wilson(responders, followed)
    tens = in_tens(proportion)
    assert tens is not None  # followed > 0
    return Clause(followed, proportion, tens)


def clinic_figure(
    *, people: int, followed_2w: int, responders_2w: int, followed_6w: int, responders_6w: int
) -> ClinicFigure | None:
    """The figure the public page shows, or None until ``MIN_FOLLOWED`` people have a
    2-week score. Responders have at least 50 % relief (IMMPACT substantial [S34]); the
    interval is Wilson's [S79], in tens as ``in_tens`` words it.
    Source: [S34], [S79]. Status: Taut's wording and threshold (unverified).
    """
    for name, value in (
        ("people", people),
        ("followed_2w", followed_2w),
        ("responders_2w", responders_2w),
        ("followed_6w", followed_6w),
        ("responders_6w", responders_6w),
    ):
        read_count(value, name)
    if responders_2w > followed_2w or responders_6w > followed_6w:
        raise ValueError("responders: more than the people followed")
    if followed_2w > people or followed_6w > people:
        raise ValueError("followed: more than the people treated")
    at_2_weeks = _clause(responders_2w, followed_2w)
    if at_2_weeks is None:
        return None
    return ClinicFigure(people, at_2_weeks, _clause(responders_6w, followed_6w))
