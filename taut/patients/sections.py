"""The chart's sections: each later app serves its own card of the patient's chart
(``taut.workflows.pages.CHART_SECTIONS``), which the chart loads with htmx. The same URL followed as a
plain link is a page of its own, with a way back to the chart."""

from django.shortcuts import render


def render_section(request, *, title: str, template: str, context: dict, status: int = 200):
    """The card ``template`` alone when htmx asks for it; otherwise the page titled ``title``
    around it. ``context`` carries the ``patient``, as the card itself needs it."""
    if request.htmx:
        return render(request, template, context, status=status)
    page = {**context, "section_title": title, "section_template": template}
    return render(request, "patients/section_page.html", page, status=status)
