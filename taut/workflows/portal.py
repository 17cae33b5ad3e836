"""A patient's new portal password (``portal``) and the email telling them (``reminders``),
so a change they did not make does not go unnoticed."""

from datetime import date

from django.db import transaction

from taut.accounts.actors import Actor
from taut.patients.models import Patient
from taut.portal import services as portal
from taut.portal.models import PatientLogin
from taut.reminders import services as reminders


def set_password(
    *,
    patient: Patient,
    password: str,
    current_password: str | None = None,
    date_of_birth: date | None = None,
    actor: Actor,
) -> PatientLogin:
    """Set or change the patient's portal password, and email them that it was.

    The proof is checked (and a wrong one counted and audited) before the transaction that
    saves the password and queues the email, so a refused try stays counted."""
    proof = portal.prove_identity(
        patient=patient,
        password=password,
        current_password=current_password,
        date_of_birth=date_of_birth,
        actor=actor,
    )
    with transaction.atomic():
        login = portal.save_password(proof=proof, password=password, actor=actor)
        reminders.queue_password_notice(
            patient=patient, changed_at=actor.now, first=proof.first, now=actor.now
        )
    return login
