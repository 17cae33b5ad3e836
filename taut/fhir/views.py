"""The FHIR R4 read API at ``/fhir/`` (JSON): metadata, read, search, ``$everything``,
the signed notes' PDFs (Binary) and Taut's CodeSystems. Every read goes through the
patient gate and is audited like a page view (``taut.fhir.access``)."""

import base64
from functools import wraps
from importlib.metadata import version

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from taut.accounts.access import actor_for
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.fhir import capability, queries, terminology
from taut.fhir.access import (
    Caller,
    Unauthenticated,
    caller_for,
    fhir_api,
    patient_limit,
    readable,
    require,
)
from taut.fhir.mapping import search
from taut.fhir.mapping.base import Json
from taut.fhir.mapping.outcome import operation_outcome
from taut.fhir.registry import KINDS, Kind
from taut.fhir.scope import Scope
from taut.patients.access import get_patient_for_user
from taut.visits.models import Visit
from taut.workflows import printing, rendering

FHIR_JSON = "application/fhir+json"


def fhir_response(body: Json, status: int = 200, headers: dict | None = None) -> JsonResponse:
    response = JsonResponse(body, status=status, content_type=FHIR_JSON, headers=headers)
    return response


def outcome(status: int, code: str, text: str, headers: dict | None = None) -> JsonResponse:
    """An OperationOutcome: what went wrong, in words a client's developer can act on."""
    return fhir_response(operation_outcome(code, text), status=status, headers=headers)


def api(view):
    """A FHIR view: errors become OperationOutcomes (401, 403, 404, 400)."""

    @fhir_api
    @require_GET
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Unauthenticated as error:
            return outcome(401, "login", str(error), {"WWW-Authenticate": 'Bearer realm="fhir"'})
        except PermissionDenied as error:
            return outcome(403, "forbidden", str(error) or "Not allowed.")
        except Http404 as error:
            return outcome(404, "not-found", str(error) or "Not found.")
        except search.SearchError as error:
            return outcome(400, "invalid", str(error))

    return wrapper


def base_url(request) -> str:
    return request.build_absolute_uri("/fhir").rstrip("/")


def _kind(resource_type: str) -> Kind:
    kind = KINDS.get(resource_type)
    if kind is None:
        raise Http404(f"This server has no {resource_type} resources; see /fhir/metadata.")
    return kind


def _scope(request, caller: Caller, kind: Kind, patient_value: str | None) -> Scope:
    """The caller's clinic, narrowed to one patient (through the gate) when a token's
    launch patient or a ``patient=`` parameter names one."""
    requested = queries.patient_named(patient_value) if patient_value else None
    if patient_value and requested is None:
        raise search.SearchError(f"'{patient_value}' is not a patient id.")
    one = patient_limit(caller, requested)
    if one is None:
        return Scope(clinic=caller.user.clinic, base=base_url(request))
    patient = get_patient_for_user(request, one, need=kind.need)
    return Scope(clinic=patient.clinic, base=base_url(request), patient_ids=(patient.pk,))


def _audit(request, caller: Caller, action: Action, found, *, kind: str, detail: Json) -> None:
    """One event per patient whose data the response holds, like a page view of them."""
    patients = {p.pk: p for p, _ in found if p is not None}
    for patient in patients.values():
        record_event(
            actor=actor_for(request), action=action, patient=patient, object_type=f"fhir {kind}",
            object_id=detail.get("id", ""),
            details={"api": "fhir", "client": caller.client_id, **detail},
        )  # fmt: skip


@api
def metadata(request):
    body = capability.capability_statement(
        KINDS.values(), base=base_url(request), software_version=version("taut"),
        now=actor_for(request).now, smart=True,
    )  # fmt: skip
    return fhir_response(body)


@api
def read(request, resource_type: str, resource_id: str):
    kind = _kind(resource_type)
    caller = caller_for(request)
    require(request, caller, resource_type=kind.name, interaction="read", need=kind.need)
    if kind.compartment:
        owner = queries.owner(resource_id)
        if owner is None:
            raise Http404(f"{resource_type}/{resource_id} is not known here.")
        scope = _scope(request, caller, kind, str(owner))
    else:
        scope = _scope(request, caller, kind, None)
    found = queries.read(kind, scope, resource_id)
    if found is None:
        raise Http404(f"{resource_type}/{resource_id} is not known here.")
    _audit(request, caller, Action.VIEW, [found], kind=resource_type, detail={"id": resource_id})
    return fhir_response(found[1])


@api
def search_type(request, resource_type: str):
    kind = _kind(resource_type)
    caller = caller_for(request)
    require(request, caller, resource_type=kind.name, interaction="search", need=kind.need)
    pairs = [(k, v) for k in request.GET for v in request.GET.getlist(k)]
    criteria = search.parse(kind.name, pairs)
    patient_values = [v for c in criteria if c.name == "patient" for v in c.values]
    if len(patient_values) > 1:
        raise search.SearchError("Search one patient at a time (one 'patient' value).")
    scope = _scope(request, caller, kind, patient_values[0] if patient_values else None)
    if scope.patient_ids is not None:  # the gate keeps to the patient: Provenance.target
        criteria = [c for c in criteria if c.name != "patient"]  # names records, not them
    count = min(_number(request.GET.get("_count"), "_count", default=queries.DEFAULT_COUNT),
                queries.MAX_COUNT)  # fmt: skip
    offset = _number(request.GET.get("_page"), "_page", default=0)
    revinclude = request.GET.getlist("_revinclude")
    include = request.GET.getlist("_include")
    for value in revinclude:
        if value not in queries.REVINCLUDES or kind.name != "Procedure":
            raise search.SearchError(f"_revinclude={value} is not supported on {kind.name}; "
                                     f"supported on Procedure: {', '.join(queries.REVINCLUDES)}.")  # fmt: skip
    served = queries.includes(kind)
    for value in include:
        if value not in served:
            offered = ", ".join(served) or "none"
            raise search.SearchError(
                f"_include={value} is not supported on {kind.name}; supported: {offered}."
            )
    result = queries.page(
        kind, scope, criteria, offset=offset, count=count,
        revinclude=revinclude, include=include,
    )  # fmt: skip
    for other in {r["resourceType"] for _, r in result.included}:
        require(request, caller, resource_type=other, interaction="search", need=KINDS[other].need)
    seen = result.matches + result.included
    if not seen and scope.patient_ids:  # "this patient has none" is a look at their chart too
        seen = [(patient, {}) for chunk in scope.patients() for patient in chunk]
    _audit(request, caller, Action.SEARCH, seen, kind=kind.name,
           detail={"count": len(result.matches)})  # fmt: skip
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    if result.more and count:  # _count=0 asks for no entries: no page follows it
        links.append({"relation": "next", "url": _page_url(request, offset + count)})
    if offset:
        links.append({"relation": "previous", "url": _page_url(request, max(0, offset - count))})
    return fhir_response(bundle(scope.base, result.matches, result.included, links))


@api
def everything(request, patient_id):
    caller = caller_for(request)
    one = patient_limit(caller, patient_id)
    patient = get_patient_for_user(request, one, need=Need.CLINICAL_READ)
    scope = Scope(clinic=patient.clinic, base=base_url(request), patient_ids=(patient.pk,))
    types = request.GET.get("_type")
    wanted = set(types.split(",")) if types else None
    if wanted and wanted - set(KINDS):
        raise search.SearchError(f"Unknown _type: {', '.join(sorted(wanted - set(KINDS)))}.")
    for name in sorted(wanted or ()):  # _type never widens what the scopes reach
        kind = KINDS[name]
        require(request, caller, resource_type=kind.name, interaction="search", need=kind.need)
    since = request.GET.get("_since")
    criteria = [search.Criterion("_lastUpdated", (f"gt{since}",))] if since else []
    if since:
        search.date_range(since)
    found = [
        pair for pair in queries.everything(scope, types=wanted or readable(caller))
        if not criteria or pair[0] is None or search.matches(pair[1], criteria)
    ]  # fmt: skip
    _audit(request, caller, Action.VIEW, [(patient, None)], kind="Patient/$everything",
           detail={"id": str(patient.public_id), "count": len(found)})  # fmt: skip
    links = [{"relation": "self", "url": request.build_absolute_uri()}]
    return fhir_response(bundle(scope.base, found, [], links))


@api
def binary(request, resource_id: str):
    """A signed note's PDF (the DocumentReference's attachment): the PDF itself, or with
    ``Accept: application/fhir+json`` a Binary resource holding it."""
    caller = caller_for(request)
    require(request, caller, resource_type="Binary", interaction="read", need=Need.CLINICAL_READ)
    require(request, caller, resource_type="DocumentReference", interaction="read",
            need=Need.CLINICAL_READ)  # fmt: skip
    owner = queries.owner(resource_id)
    if owner is None:
        raise Http404(f"Binary/{resource_id} is not known here.")
    patient = get_patient_for_user(request, patient_limit(caller, owner), need=Need.CLINICAL_READ)
    visit = (
        Visit.objects.filter(patient=patient, public_id=resource_id).select_related("note").first()
    )
    if visit is None or getattr(visit, "note", None) is None:
        raise Http404(f"Binary/{resource_id} is not known here.")
    document = printing.stored_or_queued(rendering.note_printable(visit, patient),
                                         now=actor_for(request).now)  # fmt: skip
    if document is None:
        return outcome(503, "transient", "The PDF is being prepared; ask again shortly.",
                       {"Retry-After": "5"})  # fmt: skip
    record_event(actor=actor_for(request), action=Action.VIEW, patient=patient, obj=visit,
                 object_type="note", details={"api": "fhir", "client": caller.client_id})  # fmt: skip
    if FHIR_JSON in request.headers.get("Accept", ""):
        data = base64.b64encode(document).decode()
        body = {"resourceType": "Binary", "id": resource_id, "contentType": "application/pdf",
                "data": data}  # fmt: skip
        return fhir_response(body)
    return HttpResponse(document, content_type="application/pdf")


@api
def code_system(request, system_id: str):
    """One of Taut's own CodeSystems, so that clients and validators can resolve its codes."""
    body = terminology.code_system(system_id)
    if body is None:
        raise Http404(f"No CodeSystem {system_id}; Taut's are {', '.join(terminology.ids())}.")
    return fhir_response(body)


def bundle(base: str, matches, included, links) -> Json:
    entries = [
        {"fullUrl": f"{base}/{r['resourceType']}/{r['id']}", "resource": r,
         "search": {"mode": mode}}
        for mode, pairs in (("match", matches), ("include", included))
        for _, r in pairs
    ]  # fmt: skip
    return {"resourceType": "Bundle", "type": "searchset", "link": links, "entry": entries}


def _number(value: str | None, name: str, *, default: int) -> int:
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()):  # "¹".isdigit(), yet int("¹") fails
        raise search.SearchError(f"{name} must be a whole number, not '{value}'.")
    return int(value)


def _page_url(request, offset: int) -> str:
    query = request.GET.copy()
    query["_page"] = str(offset)
    return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")
