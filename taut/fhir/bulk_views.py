"""FHIR Bulk Data export (IG 2.0): kick-off at three levels, status, cancel, download, and
the clinic's patients as a Group (docs/decisions/0045-bulk-export.md).

Access: ``bulk_view(need)`` builds the caller once (``exporter_for``) and refuses as FHIR
OperationOutcomes: 401 unauthenticated, 403 without the need (audited as ``denied``), 404
for anything not the caller's own. The caller is whoever ``taut.fhir.access.caller_for``
says (a signed-in member of staff, or an app's token acting as its user): a bulk export
takes every patient's record out of Taut in one go, so the user's role needs
``Need.EXPORT_RESEARCH``, the one capability that means "take the clinic's data out in
bulk", which only a clinic lead holds (a clinician's ``CLINICAL_READ`` is for one patient
at a time). Each type exported also needs the type's own need (``registry.Kind.need``) and
the token's scope for it.
"""

from functools import wraps

from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from taut.accounts.access import AccessPolicy, actor_for
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.fhir import registry
from taut.fhir.access import Unauthenticated, caller_for, readable
from taut.fhir.bulk import queries, storage
from taut.fhir.bulk.callers import Exporter
from taut.fhir.bulk.kickoff import Invalid, read_kickoff
from taut.fhir.bulk.services import Refused, cancel_export, start_export
from taut.fhir.mapping.group import group as group_resource
from taut.fhir.mapping.outcome import operation_outcome
from taut.fhir.models import ExportJob
from taut.fhir.views import base_url, fhir_response, outcome
from taut.smart.grants import bearer_token

NDJSON = "application/fhir+ndjson"
RETRY_SECONDS = 5  # Retry-After while a job runs
Level = ExportJob.Level


class NotAllowed(Exception):
    def __init__(self, status: int, code: str, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.code, self.message, self.headers = status, code, message, headers


def exporter_for(request, *, need: Need) -> Exporter:
    """The caller of a bulk route (``taut.fhir.access.caller_for``: Taut's session, or a
    SMART token acting as its user), or ``NotAllowed``. A patient-launch token cannot
    export; the user's role needs ``need`` (audited refusal); the types it may read are
    those its role's needs and its token's scopes (``allows(type, "search")``) both cover."""
    try:
        caller = caller_for(request)
    except Unauthenticated as error:
        challenge = {"WWW-Authenticate": 'Bearer realm="fhir"'}
        raise NotAllowed(401, "login", str(error), challenge) from error
    user = caller.user
    if not user.clinic_id or caller.patient_id is not None:
        raise NotAllowed(403, "forbidden", "Only a clinic's member or backend service may export.")
    if not has_need(user, need):
        record_event(
            actor=actor_for(request), action=Action.DENIED,
            details={"api": "fhir", "need": str(need), "client": caller.client_id},
        )  # fmt: skip
        raise NotAllowed(403, "forbidden", "Your role may not do this.")
    return Exporter(
        clinic=user.clinic, user=user, client_id=caller.client_id, readable=readable(caller)
    )


_CSRF = CsrfViewMiddleware(lambda request: HttpResponse())  # only process_view is used


def _csrf_checked(request) -> HttpResponse:
    """The view ``_CSRF`` checks a session's request for (it is never called)."""
    return HttpResponse()


def bulk_view(need: Need):
    """A bulk route: the caller in ``request.exporter`` and ``request.actor``, refusals as
    OperationOutcomes."""

    def decorator(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            # A SMART token is no ambient credential: only a session's DELETE needs CSRF.
            unsafe = request.method not in ("GET", "HEAD", "OPTIONS")
            session = unsafe and bearer_token(request) is None
            if session and _CSRF.process_view(request, _csrf_checked, (), {}) is not None:
                return outcome(403, "forbidden", "The CSRF check failed: reload the page.")
            try:
                request.exporter = exporter_for(request, need=need)
            except NotAllowed as refusal:
                return outcome(refusal.status, refusal.code, refusal.message, refusal.headers)
            actor_for(request)
            return view(request, *args, **kwargs)

        wrapper.access_policy = AccessPolicy("fhir", need)  # type: ignore[attr-defined]
        return wrapper

    return decorator


@bulk_view(Need.EXPORT_RESEARCH)
@require_GET
def export_system(request):
    return _kickoff(request, level=Level.SYSTEM)


@bulk_view(Need.EXPORT_RESEARCH)
@require_GET
def export_patients(request):
    return _kickoff(request, level=Level.PATIENT)


@bulk_view(Need.EXPORT_RESEARCH)
@require_GET
def export_group(request, group_id):
    if group_id != request.exporter.clinic.public_id:
        return outcome(404, "not-found", "No such Group.")
    return _kickoff(request, level=Level.GROUP)


def _kickoff(request, *, level: str):
    exporter, exportable = request.exporter, queries.exportable_types(level)
    try:
        kickoff = read_kickoff(
            params=dict(request.GET.lists()),
            accept=request.headers.get("Accept", ""),
            prefer=request.headers.get("Prefer", ""),
            exportable=exportable,
            known=tuple(registry.KINDS),
        )
        job = start_export(
            exporter=exporter, actor=request.actor, level=level, kickoff=kickoff,
            exportable=exportable, request_url=request.build_absolute_uri(),
            base_url=base_url(request),
        )  # fmt: skip
    except Invalid as invalid:
        return outcome(400, invalid.code, invalid.message)
    except Refused as refused:
        record_event(actor=request.actor, action=Action.DENIED,
                     details={"types": list(refused.types), "step": "export"})  # fmt: skip
        return outcome(403, "forbidden", f"Your access does not cover {', '.join(refused.types)}.")
    response = _informational("Export queued.")
    response["Content-Location"] = request.build_absolute_uri(
        reverse("fhir:bulk_status", args=[job.public_id])
    )
    return response


def _informational(text: str):
    """A 202's body: what happened, as an informational OperationOutcome."""
    return fhir_response(operation_outcome("informational", text, severity="information"), 202)


@bulk_view(Need.EXPORT_RESEARCH)
@require_http_methods(["GET", "DELETE"])
def export_status(request, job_id):
    job = queries.job_for(request.exporter, job_id, now=request.actor.now)
    if job is None:
        return outcome(404, "not-found", "No such export: it may have expired or been cancelled.")
    if request.method == "DELETE":
        cancel_export(job=job, actor=request.actor)
        return _informational("Export cancelled; its files are deleted.")
    if job.state in (ExportJob.State.QUEUED, ExportJob.State.RUNNING):
        response = HttpResponse(status=202)
        response["X-Progress"] = job.progress or "Queued"
        response["Retry-After"] = str(RETRY_SECONDS)
        return response
    if job.state == ExportJob.State.FAILED:
        return outcome(500, "exception", job.error)

    def url(file):
        path = reverse("fhir:bulk_file", args=[job.public_id, file.public_id])
        return request.build_absolute_uri(path)

    response = JsonResponse(queries.manifest(job, url=url))
    response["Expires"] = http_date(job.expires_at.timestamp())
    return response


@bulk_view(Need.EXPORT_RESEARCH)
@require_GET
def export_file(request, job_id, file_id):
    job = queries.job_for(request.exporter, job_id, now=request.actor.now)
    file = queries.file_for(job, file_id) if job is not None else None
    if job is None or file is None:
        return outcome(404, "not-found", "No such file: the export may have expired.")
    record_event(
        actor=request.actor, action=Action.EXPORT, obj=job,
        details={"file": f"{file.resource_type} {file.seq}", "count": file.count,
                 "client": job.client_id, "step": "downloaded"},
    )  # fmt: skip
    response = StreamingHttpResponse(storage.chunks(file.name), content_type=NDJSON)
    response["Content-Length"] = str(file.size)
    return response


@bulk_view(Need.DEMOGRAPHICS_READ)
@require_GET
def group(request, group_id):
    """The clinic's patients as a Group (base R4): the id ``Group/[id]/$export`` takes."""
    clinic = request.exporter.clinic
    if group_id != clinic.public_id:
        return outcome(404, "not-found", "No such Group.")
    return fhir_response(group_resource(clinic, quantity=queries.patient_count(clinic)))
