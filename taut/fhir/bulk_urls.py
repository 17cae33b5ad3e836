"""Bulk Data routes, for ``taut.fhir.urls`` to include under ``/fhir/`` in its namespace
("fhir"), before any ``<type>/<id>`` read route (``Group/<uuid>`` and ``Patient/$export``
must match here first):

    path("", include("taut.fhir.bulk_urls")),

Names: fhir:export, fhir:export_patients, fhir:export_group, fhir:group, fhir:bulk_status,
fhir:bulk_file.
"""

from django.urls import path

from taut.fhir import bulk_views

urlpatterns = [
    path("$export", bulk_views.export_system, name="export"),
    path("Patient/$export", bulk_views.export_patients, name="export_patients"),
    path("Group/<uuid:group_id>/$export", bulk_views.export_group, name="export_group"),
    path("Group/<uuid:group_id>", bulk_views.group, name="group"),
    path("bulk/<uuid:job_id>", bulk_views.export_status, name="bulk_status"),
    path("bulk/<uuid:job_id>/<uuid:file_id>", bulk_views.export_file, name="bulk_file"),
]
