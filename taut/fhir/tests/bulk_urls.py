"""Taut's URLs with the Bulk Data routes under /fhir/ (namespace "fhir") for the bulk tests,
until ``taut.fhir.urls`` includes them; once it does, Taut's own URLs are used as they are."""

from django.urls import NoReverseMatch, include, path, reverse

from taut import urls


def _mounted() -> bool:
    try:
        reverse("fhir:bulk_status", args=["00000000-0000-0000-0000-000000000000"], urlconf=urls)
    except NoReverseMatch:
        return False
    return True


urlpatterns = list(urls.urlpatterns)
if not _mounted():
    urlpatterns.insert(0, path("fhir/", include(("taut.fhir.bulk_urls", "fhir"))))
