"""``/fhir/openapi.json``: the API's OpenAPI 3.1 description (``taut.fhir.openapi``), public
like ``/fhir/metadata``, built once per process (it depends only on the registry); and the
FHIR 404 for any other address under ``/fhir/``."""

import functools
import json
from importlib.metadata import version

from django.http import HttpResponse
from django.views.decorators.http import require_GET

from taut.accounts.access import public
from taut.fhir.access import fhir_api
from taut.fhir.openapi import description
from taut.fhir.views import outcome


@functools.cache
def _document() -> bytes:
    return json.dumps(description(version=version("taut")), separators=(",", ":")).encode()


@public
@require_GET
def openapi(request):
    return HttpResponse(_document(), content_type="application/json")


@fhir_api
def unknown(request):
    """Any other address under ``/fhir/`` (a malformed id, say), with any method: a FHIR 404,
    not the app's HTML page, so that a client always gets an OperationOutcome. The path is
    not echoed: it may hold characters an R4 string cannot."""
    return outcome(404, "not-found", "This address names nothing this FHIR server serves; "
                   "see /fhir/metadata.")  # fmt: skip
