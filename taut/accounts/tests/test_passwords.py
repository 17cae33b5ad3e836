"""The breached-password validator: a table of cases, no database."""

import warnings

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

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


def test_it_refuses_in_spanish_on_a_spanish_page():
    """Patients choose portal passwords through the same validators."""
    with translation.override("es"), pytest.raises(ValidationError) as refused:
        BreachedPasswordValidator().validate("password1234")
    assert "contraseñas robadas" in refused.value.messages[0]
