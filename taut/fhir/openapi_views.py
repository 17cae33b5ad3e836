"""``/fhir/openapi.json``: the API's OpenAPI 3.1 description (``taut.fhir.openapi``), public
like ``/fhir/metadata``, built once per process (it depends only on the registry); and the
FHIR 404 for any other address under ``/fhir/``."""

import functools
import json
from importlib.metadata import version

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from taut.accounts.access import public
from taut.fhir.openapi import description
from taut.fhir.views import api


@functools.cache
def _document() -> bytes:
    return json.dumps(description(version=version("taut")), separators=(",", ":")).encode()


@public
@require_GET
def openapi(request):
    return HttpResponse(_document(), content_type="application/json")


@api
def unknown(request):
    """Any other address under ``/fhir/`` (a malformed id, say): a FHIR 404, not the app's
    HTML page, so that a client always gets an OperationOutcome. The path is not echoed: it
    may hold characters an R4 string cannot."""
    raise Http404("This address names nothing this FHIR server serves; see /fhir/metadata.")
