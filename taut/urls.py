from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from taut.accounts.access import public


@public
def home(request):
    return redirect("patients:list" if request.user.is_authenticated else "accounts:login")


@public
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("", home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("", include("taut.accounts.urls")),
    path("passkeys/", include("taut.accounts.passkeys")),  # WebAuthn JSON (decision 0031)
    path("patients/", include("taut.patients.urls")),
    path("clinic/audit/", include("taut.patients.audit_urls")),
    path("patients/", include("taut.drawings.urls")),
    path("patients/", include("taut.visits.urls")),
    path("patients/", include("taut.aftercare.urls")),
    path("patients/", include("taut.outcomes.urls")),
    path("patients/", include("taut.reminders.urls")),
    path("atlas/", include("taut.atlas.urls")),
    path("", include("taut.portal.urls")),  # /p/… for patients, /patients/<id>/portal/
    path("c/", include("taut.public.urls")),
    path("clinic/analytics/", include("taut.analytics.urls")),  # a clinic's public pages
    path("fhir/", include("taut.fhir.urls")),  # FHIR R4 read API (issue 18)
    path("admin/", admin.site.urls),
]
