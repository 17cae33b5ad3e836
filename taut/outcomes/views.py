from django.shortcuts import render
from django.utils import timezone

from taut.accounts.roles import Need
from taut.outcomes import chart, queries
from taut.patients.access import patient_view


@patient_view(Need.CLINICAL_READ)
def chart_section(request, patient):
    """Pain and PEG over time with sessions marked, and each session's response."""
    sessions = queries.sessions_for_patient(patient)
    points = queries.series_for_patient(patient, sessions)
    advice = queries.next_step_for(patient, sessions, today=timezone.localdate())
    context = {
        "patient": patient,
        "sessions": sessions,
        "chart": chart.draw(points, sessions),
        "advice": advice,
        "advice_label": queries.ACTION_LABELS.get(str(advice.action)) if advice else None,
    }
    template = "outcomes/_chart_section.html" if request.htmx else "outcomes/section_page.html"
    return render(request, template, context)
