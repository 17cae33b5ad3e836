"""The shapes of a write that a service refuses, and how a form shows them.

Every app's service errors derive from these (``VisitError``, ``AftercareError``,
``DecisionError``, ``PortalError``, ``ReminderError`` …; conflicts such as ``VisitConflict``
and ``ClinicConflict`` also from ``Conflict``). Services raise a subclass of ``Refused`` (the message says why, in plain words), of
``Invalid`` for bad input (``errors`` maps each field to its message), or of ``Conflict``
when the record changed after the form was opened. Views hand the error to
``show_on_form``, which puts each message where it belongs and says which status to answer.
"""


class Refused(Exception):
    """A write that cannot be made; the message says why, in plain words."""


class Invalid(Refused):
    """Bad input; ``errors`` maps each field to its message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


class Conflict(Refused):
    """The record changed after the form was opened; nothing was saved."""


def show_on_form(form, error: Refused) -> int:
    """Add ``error`` to ``form`` (per field where it names one) and return the status to
    answer with: 409 for a conflict, 400 otherwise."""
    if isinstance(error, Invalid):
        for field, message in error.errors.items():
            form.add_error(field if field in form.fields else None, message)
    else:
        form.add_error(None, str(error))
    return 409 if isinstance(error, Conflict) else 400
