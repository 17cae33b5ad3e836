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
    path("requests/", request_views.request_list, name="request_list"),
    path("requests/section/", request_views.day_list_section, name="day_list_section"),
    path("requests/<uuid:request_id>/", request_views.request_detail, name="request_detail"),
    path("requests/<uuid:request_id>/book/", request_views.request_book, name="request_book"),
    path(
        "requests/<uuid:request_id>/dismiss/",
        request_views.request_dismiss,
        name="request_dismiss",
    ),
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
    path(
        "<slug:clinic_slug>/<lang:lang>/appointment-request/sent/",
        request_views.request_sent,
        name="request_sent",
    ),
]
