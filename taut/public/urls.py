"""The clinic's public side, open without sign-in, under /c/<clinic slug>/<language>/: the
page about trigger point injections and its printable handout (``page_views``), the
self-check (``page_views``), and the appointment request (``request_views``). Staff read
the requests under /c/requests/ (``request_views``)."""

from django.urls import path, register_converter

from taut.public import page_views, request_views


class LanguageConverter:
    """A patient-facing language in a URL: ``en`` or ``es``."""

    regex = "en|es"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(LanguageConverter, "lang")

app_name = "public"
urlpatterns = [
    path("<slug:clinic_slug>/<lang:lang>/trigger-point-injections/", page_views.page, name="page"),
    path(
        "<slug:clinic_slug>/<lang:lang>/trigger-point-injections/handout.pdf",
        page_views.handout,
        name="handout",
    ),
    path("<slug:clinic_slug>/<lang:lang>/self-check/", page_views.selfcheck, name="selfcheck"),
    path(
        "<slug:clinic_slug>/<lang:lang>/appointment-request/",
        request_views.request_appointment,
        name="request",
    ),
]
