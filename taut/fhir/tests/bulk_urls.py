"""Taut's URLs with the Bulk Data routes first under /fhir/ (namespace "fhir"), as
``taut.fhir.urls`` will have them, for the bulk tests; once it does, Taut's own URLs are
used as they are."""

from django.urls import NoReverseMatch, include, path, reverse

from taut import urls
from taut.fhir import bulk_urls
from taut.fhir import urls as fhir_urls


def _mounted() -> bool:
    try:
        reverse("fhir:bulk_status", args=["00000000-0000-0000-0000-000000000000"], urlconf=urls)
    except NoReverseMatch:
        return False
    return True


urlpatterns = list(urls.urlpatterns)
if not _mounted():
    fhir = [*bulk_urls.urlpatterns, *fhir_urls.urlpatterns]
    urlpatterns = [p for p in urlpatterns if str(p.pattern) != "fhir/"]
    urlpatterns.insert(0, path("fhir/", include((fhir, "fhir"))))
