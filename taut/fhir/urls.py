from django.urls import include, path, re_path

from taut.fhir import views

app_name = "fhir"

TYPE = r"(?P<resource_type>[A-Z][A-Za-z]+)"
ID = r"(?P<resource_id>[A-Za-z0-9\-\.]{1,64})"

urlpatterns = [
    path("metadata", views.metadata, name="metadata"),
    path("", include("taut.fhir.bulk_urls")),  # before the <type>/<id> reads: Group/<id>, $export
    path("Patient/<uuid:patient_id>/$everything", views.everything, name="everything"),
    re_path(rf"^Binary/{ID}$", views.binary, name="binary"),
    re_path(r"^CodeSystem/(?P<system_id>[a-z\-]{1,64})$", views.code_system, name="code_system"),
    re_path(rf"^{TYPE}$", views.search_type, name="search"),
    re_path(rf"^{TYPE}/{ID}$", views.read, name="read"),
]
