"""Safe Harbor de-identification (``taut.clinical.deidentify``).

Sources: 45 CFR 164.514(b)(2) and (c); HHS "Guidance Regarding Methods for
De-identification" (2012) [S83].
"""

from datetime import date, datetime

import pytest

from taut.clinical.deidentify import (
    RESTRICTED_ZIP3,
    age_band,
    day_offset,
    study_id,
    zip3,
)

KEY = bytes(range(32))


@pytest.mark.parametrize(
    ("postcode", "expected"),
    [
        ("02139", "021"),  # an area of more than 20,000 people keeps three digits
        ("02139-4307", "021"),  # ZIP+4
        (" 10001 ", "100"),
        ("03601", "000"),  # 036: 20,000 people or fewer (2000 Census), HHS guidance
        ("89301-1234", "000"),  # 893
        ("82301", "000"),  # 823
        ("", "000"),  # nothing to keep
        ("SW1A 1AA", "000"),  # not a US ZIP code: nothing guessed
        ("1234", "000"),
        ("02139-43", "000"),
        ("０２１３９", "000"),  # full-width digits are not ASCII digits
    ],
)
def test_it_keeps_three_digits_of_a_zip_code_only_where_allowed(postcode, expected):
    assert zip3(postcode) == expected


def test_it_lists_the_seventeen_restricted_three_digit_areas():
    """HHS guidance: 036, 059, 063, 102, 203, 556, 692, 790, 821, 823, 830, 831, 878, 879,
    884, 890, 893 (2000 Census, 67 FR 53233-53234)."""
    assert len(RESTRICTED_ZIP3) == 17
    assert all(zip3(f"{area}00") == "000" for area in RESTRICTED_ZIP3)


@pytest.mark.parametrize(
    ("born", "on", "expected"),
    [
        (date(1970, 5, 17), date(2026, 5, 16), "55"),  # the day before the birthday
        (date(1970, 5, 17), date(2026, 5, 17), "56"),  # on it
        (date(2000, 2, 29), date(2026, 2, 28), "25"),  # a leap-day birthday
        (date(2000, 2, 29), date(2026, 3, 1), "26"),
        (date(1937, 1, 2), date(2027, 1, 1), "89"),  # 89 is still an age
        (date(1937, 1, 2), date(2027, 1, 2), "90+"),  # 164.514(b)(2)(i)(C)
        (date(1920, 6, 1), date(2026, 6, 1), "90+"),  # 106 is "90+"
        (date(2026, 6, 1), date(2026, 6, 1), "0"),
    ],
)
def test_it_gives_ages_in_whole_years_and_ninety_and_over_as_one_band(born, on, expected):
    assert age_band(date_of_birth=born, on=on) == expected


@pytest.mark.parametrize(
    ("day", "anchor", "expected"),
    [
        (date(2026, 3, 1), date(2026, 3, 1), 0),
        (date(2026, 3, 15), date(2026, 3, 1), 14),
        (date(2024, 3, 1), date(2024, 2, 28), 2),  # across a leap day
        (date(2026, 2, 27), date(2026, 3, 1), -2),
    ],
)
def test_it_gives_dates_as_days_from_the_anchor(day, anchor, expected):
    assert day_offset(day, anchor=anchor) == expected


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: day_offset(datetime(2026, 3, 1, 9), anchor=date(2026, 3, 1)), "day"),
        (lambda: age_band(date_of_birth=date(2026, 3, 2), on=date(2026, 3, 1)), "on"),
        (lambda: zip3(2139), "postcode"),
        (lambda: study_id(b"short", 1), "key"),
    ],
)
def test_it_refuses_input_it_cannot_read(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_it_makes_study_ids_that_only_the_key_links():
    other_key = bytes(range(1, 33))
    assert study_id(KEY, 1) == study_id(KEY, 1)
    assert study_id(KEY, 1) != study_id(KEY, 2)
    assert study_id(KEY, 1) != study_id(other_key, 1)  # two exports cannot be linked
    assert study_id(KEY, 7, prefix="C").startswith("C-")
    assert len(study_id(KEY, 1)) == len("P-") + 12
