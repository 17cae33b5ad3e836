"""The clinic's own numbers for patients (``analytics.clinic_figure``): shown only once 30
people have a 2-week score, each clause in tens with its Wilson range [S34], [S79]."""

import pytest

from taut.clinical import analytics

Tens = analytics.Tens


def figure(people=212, followed_2w=180, responders_2w=108, followed_6w=150, responders_6w=45):
    return analytics.clinic_figure(
        people=people,
        followed_2w=followed_2w,
        responders_2w=responders_2w,
        followed_6w=followed_6w,
        responders_6w=responders_6w,
    )


def test_it_words_the_issue_example_in_tens():
    """108 of 180 is 0.60 (Wilson 0.53–0.67): "about 6 in 10, between 5 and 7"; 45 of 150
    is 0.30 (0.23–0.38): "about 3 in 10, between 2 and 4"."""
    found = figure()
    assert found is not None and found.people == 212
    two = found.at_2_weeks.tens
    assert (two.estimate_tens, two.low_tens, two.high_tens, two.tens) == (6, 5, 7, Tens.ABOUT)
    assert found.at_6_weeks is not None
    six = found.at_6_weeks.tens
    assert (six.estimate_tens, six.low_tens, six.high_tens) == (3, 2, 4)


@pytest.mark.parametrize(
    ("followed_2w", "followed_6w", "shown", "six_shown"),
    [(29, 29, False, False), (30, 29, True, False), (30, 30, True, True)],
)
def test_it_waits_for_thirty_people_followed(followed_2w, followed_6w, shown, six_shown):
    found = figure(
        people=40,
        followed_2w=followed_2w,
        responders_2w=15,
        followed_6w=followed_6w,
        responders_6w=10,
    )
    assert (found is not None) is shown
    if found is not None:
        assert (found.at_6_weeks is not None) is six_shown


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"responders_2w": 181}, "responders"),
        ({"followed_2w": 213}, "followed"),
        ({"people": -1}, "people"),
        ({"followed_6w": 1.5}, "followed_6w"),
        ({"responders_6w": True}, "responders_6w"),
    ],
)
def test_it_refuses_counts_that_cannot_be(changes, message):
    with pytest.raises(ValueError, match=message):
        figure(**changes)
