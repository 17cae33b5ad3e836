"""The breached-password validator: a table of cases, no database."""

import warnings

import pytest
from django.core.exceptions import ValidationError

from taut.accounts.passwords import BreachedPasswordValidator


@pytest.mark.parametrize(
    ("password", "refused"),
    [
        ("password1234", True),  # in the breach lists
        ("qwertyuiop123", True),
        ("Password123!", True),
        ("correct horse battery staple", False),
        ("quiet violet kettle under moss", False),
        ("short", False),  # under 10 characters: left to the minimum length
    ],
)
def test_it_refuses_passwords_from_the_breach_lists(password, refused):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the package warns when asked about short ones
        try:
            BreachedPasswordValidator().validate(password)
        except ValidationError as error:
            assert refused, password
            assert error.code == "password_breached"
            assert "breached passwords" in error.messages[0]
        else:
            assert not refused, password
