"""A clinician maps a free-text allergy on the chart (issue 11, point 1)."""

from django.contrib import messages
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from taut.accounts.roles import Need
from taut.lib.refusals import Refused
from taut.patients.access import get_record_for_user, patient_view
from taut.patients.allergy_services import map_allergy
from taut.patients.forms import AllergyMapForm
from taut.patients.models import Allergy


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def allergy_map(request, patient, entry_id):
    allergy = get_record_for_user(
        request, Allergy, entry_id, patient=patient, need=Need.CLINICAL_WRITE
    )
    form = AllergyMapForm(request.POST)
    back = redirect("patients:chart", patient_id=patient.public_id)
    back["Location"] += "#allergies"
    if not form.is_valid():
        messages.error(request, "Choose what the allergy is.")
        return back
    mapping = form.cleaned_data["mapping"]
    not_anaesthetic = mapping == AllergyMapForm.NOT_ANAESTHETIC
    try:
        map_allergy(
            allergy=allergy,
            code="" if not_anaesthetic else mapping,
            not_anaesthetic=not_anaesthetic,
            actor=request.actor,
        )
    except Refused as error:
        messages.error(request, str(error))
        return back
    messages.success(request, f"“{allergy.agent}” mapped.")
    return back
