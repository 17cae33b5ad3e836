"""The shapes of a write that a service refuses, and how a form shows them.

Every app's service errors derive from these (``VisitError``, ``AftercareError``,
``DecisionError``, ``PortalError``, ``ReminderError`` …; conflicts such as ``VisitConflict``
and ``ClinicConflict`` also from ``Conflict``). A service raises:

- ``Invalid`` for bad input (``errors`` maps each field to its message): answered 400;
- ``Conflict`` when the record changed after the form was opened (the message names who
  changed what): answered 409;
- ``NotAllowed`` when the actor's role does not permit the write: answered 403;
- any other ``Refused`` when the write cannot be made as asked (a step missing, a closed
  visit; the message says why, in plain words): answered 400.

Views hand the error to ``show_on_form``, which puts each message where it belongs and says
which status to answer, so every view shows a refusal the same way.
"""

from typing import Any


class Refused(Exception):
    """A write that cannot be made; the message says why, in plain words."""


class Invalid(Refused):
    """Bad input; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class Conflict(Refused):
    """The record changed after the form was opened; nothing was saved."""


class NotAllowed(Refused):
    """The actor's role does not permit this write."""


def status_for(error: Refused) -> int:
    """The HTTP status that answers ``error``: 409 conflict, 403 not allowed, else 400."""
    if isinstance(error, Conflict):
        return 409
    if isinstance(error, NotAllowed):
        return 403
    return 400


def show_on_form(form: Any, error: Refused) -> int:
    """Add ``error`` to ``form`` (per field where it names one) and return the status to
    answer with (``status_for``)."""
    if isinstance(error, Invalid):
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, str(error))
    return status_for(error)
