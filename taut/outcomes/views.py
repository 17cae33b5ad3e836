from django.shortcuts import render

from taut.accounts.roles import Need
from taut.outcomes import chart, queries
from taut.patients.access import patient_view


@patient_view(Need.CLINICAL_READ)
def chart_section(request, patient):
    """Pain and PEG over time with sessions marked, and each session's response."""
    sessions = queries.sessions_for_patient(patient)
    points = queries.series_for_patient(patient, sessions)
    context = {"patient": patient, "sessions": sessions, "chart": chart.draw(points, sessions)}
    template = "outcomes/_chart_section.html" if request.htmx else "outcomes/section_page.html"
    return render(request, template, context)
