from django.contrib import admin
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from taut.accounts.access import public
from taut.smart.oauth_views import smart_configuration


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
    # SMART on FHIR (taut.smart): apps a clinic lead connects, the OAuth endpoints, and
    # SMART's discovery document at the FHIR base (and at the root, for clients that look there).
    path("clinic/apps/", include("taut.smart.urls")),
    path("oauth/", include("taut.smart.oauth_urls")),
    path("fhir/.well-known/smart-configuration", smart_configuration, name="smart_configuration"),
    path(".well-known/smart-configuration", smart_configuration),
    path("fhir/", include("taut.fhir.urls")),  # FHIR R4 read API (issue 18)
    path("admin/", admin.site.urls),
]
