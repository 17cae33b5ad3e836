"""Marking the wording of clinical content for translation, without Django.

Clinical content (facts, questions, advice) is written here in English with its sources.
Wrapping a string in ``gettext_noop`` changes nothing at run time; it only lets Django's
``makemessages`` (xgettext, which knows the name ``gettext_noop``) put the sentence in the
translation catalogue. The page that shows it translates it with ``{% translate value %}``
or ``gettext(value)``, in the reader's language.
"""

VERSION = "1"


def gettext_noop(message: str) -> str:
    """Return ``message`` unchanged; marks it for the translation catalogue.

    Not a rule: the clinical content it marks carries its own sources."""
    return message
