"""A clinic's time zone must be a real one: reminders and portal links run on its clock."""

import pytest
from django.core.exceptions import ValidationError


def test_it_refuses_an_unknown_time_zone(cast):
    cast.clinic.time_zone = "Mars/Base"
    with pytest.raises(ValidationError, match="not a known time zone"):
        cast.clinic.full_clean()


def test_it_accepts_an_iana_time_zone(cast):
    cast.clinic.time_zone = "Australia/Sydney"
    cast.clinic.full_clean()
