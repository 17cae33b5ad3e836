"""The procedure page's patient-dosing panel: anaesthetic given elsewhere in the last 24
hours (add, remove) and the reductions that lower the maximum. The page itself is
``views.procedure``."""

from django.http import Http404
from django.views.decorators.http import require_POST

from taut.accounts.roles import Need
from taut.lib.refusals import Refused
from taut.patients.access import patient_view
from taut.visits.services import dose as services
from taut.visits.views.common import get_visit, refused
from taut.visits.views.procedure import _back, _page, _step


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def other_dose_add(request, patient, visit_id):
    return _step(request, patient, visit_id, "other_dose")


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def reductions(request, patient, visit_id):
    return _step(request, patient, visit_id, "reductions")


@require_POST
@patient_view(Need.CLINICAL_WRITE)
def other_dose_remove(request, patient, visit_id, index):
    visit = get_visit(request, patient, visit_id, need=Need.CLINICAL_WRITE)
    if getattr(visit, "procedure", None) is None:
        raise Http404
    try:
        services.remove_other_anaesthetic(
            visit=visit, version=request.POST.get("version"), index=index, actor=request.actor
        )
    except Refused as error:
        return _page(request, visit, status=refused(request, error))
    return _back(patient, visit, "#patient-dose")
