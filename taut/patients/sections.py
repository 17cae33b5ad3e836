"""The chart's sections: each later app serves its own card of the patient's chart
(``taut.workflows.pages.CHART_SECTIONS``), which the chart loads with htmx. The same URL followed as a
plain link is a page of its own, with a way back to the chart."""

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.shortcuts import render

# Rows of a history a chart card shows at once (visits, drawings, sessions); older ones are
# on the card's own page, ``?page=2`` and on (``templates/_card_pager.html``).
CARD_PAGE_SIZE = 10


def card_page(request, rows: QuerySet, *, per_page: int = CARD_PAGE_SIZE) -> Page:
    """The page of ``rows`` (newest first, ordered by an index) that ``?page=`` asks for:
    the first when it names none or a page that is not there."""
    return Paginator(rows, per_page).get_page(request.GET.get("page"))


def render_section(request, *, title: str, template: str, context: dict, status: int = 200):
    """The card ``template`` alone when htmx asks for it; otherwise the page titled ``title``
    around it. ``context`` carries the ``patient``, as the card itself needs it."""
    if request.htmx:
        return render(request, template, context, status=status)
    page = {**context, "section_title": title, "section_template": template}
    return render(request, "patients/section_page.html", page, status=status)
