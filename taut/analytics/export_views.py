"""The de-identified research export: a page saying what is and is not in it, and the
download (a clinic lead only, after re-authentication, one audit event per export)."""

from django import forms
from django.http import StreamingHttpResponse
from django.shortcuts import render

from taut.accounts.access import staff_view
from taut.accounts.reauth import require_recent_auth
from taut.accounts.roles import Need
from taut.analytics.export import TABLES, ResearchExport, csv_chunks, parquet_chunks
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import analytics, deidentify
from taut.lib.periods import PeriodForm
from taut.patients.access import patients_for_user

FORMATS = {"csv": "text/csv; charset=utf-8", "parquet": "application/vnd.apache.parquet"}


class ExportForm(PeriodForm):
    table = forms.ChoiceField(
        choices=[
            ("sessions", "Sessions (one row per signed session)"),
            ("followups", "Follow-ups (one row per answered check-in)"),
            ("aggregate", "Counts by muscle, agent, indication… (small cells suppressed)"),
        ]
    )
    format = forms.ChoiceField(choices=[("csv", "CSV"), ("parquet", "Parquet")])
    start = forms.DateField(
        required=False, label="Sessions from", widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        required=False, label="Sessions to", widget=forms.DateInput({"type": "date"})
    )


@staff_view(Need.EXPORT_RESEARCH)
def export_page(request):
    return _page(request, ExportForm(initial={"table": "sessions", "format": "csv"}))


@staff_view(Need.EXPORT_RESEARCH)
@require_recent_auth
def export_download(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _page(request, form, status=400)
    table, kind = TABLES[form.cleaned_data["table"]], form.cleaned_data["format"]
    export = ResearchExport(
        clinic=request.user.clinic,
        patients=patients_for_user(request.user, need=Need.EXPORT_RESEARCH),
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
    )
    start, end = export.start, export.end
    record_event(
        actor=request.actor,
        action=Action.EXPORT,
        object_type="research_export",
        details={
            "table": table.name,
            "format": kind,
            **export.counts(table.name),
            "from": start.isoformat() if start else "",
            "to": end.isoformat() if end else "",
            "rule_version": deidentify.VERSION,
        },
    )
    rows = export.rows(table.name)
    chunks = csv_chunks(rows, table) if kind == "csv" else parquet_chunks(rows, table)
    response = StreamingHttpResponse(chunks, content_type=FORMATS[kind])
    response["Content-Disposition"] = f'attachment; filename="taut-research-{table.name}.{kind}"'
    return response


def _page(request, form, *, status=200):
    context = {"form": form, "min_cell": analytics.MIN_CELL_PATIENTS}
    return render(request, "analytics/export.html", context, status=status)
