"""Writes to the chart's allergies as local-anaesthetic allergens: reading free text when an
allergy is added, and a clinician mapping a free-text allergy (audited)."""

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import dosing
from taut.clinical.dosing.allergens import read_allergen
from taut.lib.refusals import Invalid, NotAllowed
from taut.patients.models import Allergy


def code_allergy(allergy: Allergy) -> None:
    """Before an allergy is first saved: an "other" allergy whose words name exactly one
    allergen (a brand name, a listed misspelling) gets that code. Anything else that looks
    like a local anaesthetic stays uncoded, for a clinician to map (``map_allergy``)."""
    if allergy.anaesthetic:
        allergy.anaesthetic = read_allergen(allergy.anaesthetic, "anaesthetic")
        return
    code = dosing.read_allergy_text(allergy.agent).code
    if code:
        allergy.anaesthetic = code


def map_allergy(*, allergy: Allergy, code: str, not_anaesthetic: bool, actor: Actor) -> Allergy:
    """A clinician maps a free-text allergy to an allergen code, or records that it is not a
    local-anaesthetic allergy. Exactly one of the two. Audited with who and when."""
    if actor.user is not None:
        actor.require(Need.CLINICAL_WRITE, "Only a clinician maps an allergy.")
    if actor.clinic_id != allergy.patient.clinic_id:
        raise NotAllowed("This patient belongs to another clinic.")
    if bool(code) == not_anaesthetic:
        raise Invalid(
            {"code": "Choose what the allergy is, or that it is not a local-anaesthetic one."}
        )
    try:
        allergy.anaesthetic = read_allergen(code, "code") if code else ""
    except ValueError:
        raise Invalid({"code": "Choose an allergen from the list."}) from None
    allergy.not_anaesthetic = not_anaesthetic
    allergy.mapped_by, allergy.mapped_at = actor.user, actor.now
    with transaction.atomic():
        allergy.save(update_fields=["anaesthetic", "not_anaesthetic", "mapped_by", "mapped_at"])
        record_event(
            actor=actor,
            action=Action.UPDATE,
            patient=allergy.patient,
            obj=allergy,
            details={"mapped": allergy.anaesthetic or "not a local anaesthetic"},
        )
    return allergy
