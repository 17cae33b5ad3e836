"""The clinic's audit log (page and CSV export) for the clinic lead.

It lives with the patients because it names them: each event's patient is read through the
patient gate (``patients_for_user``), so a lead sees names only of their own clinic's
patients and a role without demographics sees ids only. Reading the log is itself audited.
"""

import csv
import uuid

from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse

from taut.accounts import queries
from taut.accounts.access import staff_view
from taut.accounts.forms import AuditFilterForm
from taut.accounts.reauth import require_recent_auth
from taut.accounts.roles import Need, Role, has_need
from taut.audit.describe import describe, facts, object_label
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.access import patients_for_user

AUDIT_PAGE_SIZE = 50


@staff_view(Need.READ_AUDIT)
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    before, after = _cursor(request.GET.get("before")), _cursor(request.GET.get("after"))
    page = queries.audit_page_for_clinic(
        request.user.clinic, size=AUDIT_PAGE_SIZE, before=before, after=after, **filters
    )
    names = _patient_names(request.user, {e.patient_id for e in page.events if e.patient_id})
    clinical = has_need(request.user, Need.CLINICAL_READ)
    rows = [
        {
            "event": event,
            "patient_name": names.get(event.patient_id, ""),
            "role": _role_label(event.actor_role),
            "description": describe(event, patient_name=names.get(event.patient_id, "")),
            "facts": facts(event),
            "record": object_label(event.object_type),
            "record_url": _record_url(event) if clinical and event.patient_id in names else "",
        }
        for event in page.events
    ]
    which = "older" if before is not None else "newer" if after is not None else "newest"
    record_event(
        actor=request.actor,
        action=Action.VIEW,
        object_type="audit_log",
        details={"page": which, "patients_named": len(names)},
    )
    context = {"form": form, "page": page, "rows": rows, "query": _without_page(request)}
    return render(request, "accounts/audit_log.html", context)


@staff_view(Need.READ_AUDIT)
@require_recent_auth
def audit_export(request):
    form = AuditFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    events = queries.audit_events_for_clinic(request.user.clinic, **filters)
    record_event(actor=request.actor, action=Action.EXPORT, object_type="audit_log")
    response = StreamingHttpResponse(_audit_rows(events), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="taut-audit-log.csv"'
    return response


def _patient_names(user, ids) -> dict:
    """Names of the page's patients the user may read (one query; none without the need)."""
    if not ids or not has_need(user, Need.DEMOGRAPHICS_READ):
        return {}
    found = patients_for_user(user).filter(public_id__in=ids)
    people = found.only("public_id", "given_name", "family_name")
    return {p.public_id: f"{p.given_name} {p.family_name}" for p in people}


# The pages that show a visit's records, for the log to link the visit or note an event
# names (each page checks access again; the id is the visit's public id).
RECORD_PAGES = {
    "visit": "visits:detail",
    "note": "visits:note",
    "aftercare_instructions": "aftercare:instructions",
}


def _record_url(event) -> str:
    page = RECORD_PAGES.get(event.object_type)
    try:
        visit_id = uuid.UUID(event.object_id) if page else None
    except ValueError:
        visit_id = None
    return reverse(page, args=[event.patient_id, visit_id]) if page and visit_id else ""


def _role_label(value: str) -> str:
    return Role(value).label if value in Role.values else value


class _Echo:
    def write(self, value):
        return value


AUDIT_COLUMNS = [
    "seq", "at", "actor_username", "actor_role", "action", "object_type", "object_id",
    "patient_id", "client_ip", "details", "hash",
]  # fmt: skip


def _audit_rows(events):
    writer = csv.writer(_Echo(), quoting=csv.QUOTE_ALL)  # every cell quoted (OWASP)
    yield writer.writerow(AUDIT_COLUMNS)
    for event in events.iterator(chunk_size=2000):
        yield writer.writerow([csv_safe(getattr(event, name)) for name in AUDIT_COLUMNS])


# A spreadsheet reads a cell starting with one of these as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """``value`` as an exported cell, a leading formula character neutralised by a single
    quote (CSV injection): a username such as ``=HYPERLINK(…)`` is read as text."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cursor(value: str | None) -> int | None:
    """An event id from ``?before=`` / ``?after=``; anything else reads as no cursor."""
    if value and value.isascii() and value.isdigit() and len(value) < 19:
        return int(value)
    return None


def _without_page(request):
    query = request.GET.copy()
    for cursor in ("before", "after", "page"):
        query.pop(cursor, None)
    return query.urlencode()
