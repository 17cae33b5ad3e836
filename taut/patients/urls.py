from django.urls import path

from taut.patients import allergy_views, views

app_name = "patients"
urlpatterns = [
    path("", views.patient_list, name="list"),
    path("new/", views.patient_new, name="new"),
    path("<uuid:patient_id>/", views.patient_chart, name="chart"),
    path("<uuid:patient_id>/edit/", views.patient_edit, name="edit"),
    path(
        "<uuid:patient_id>/allergies/<uuid:entry_id>/map/",
        allergy_views.allergy_map,
        name="allergy_map",
    ),
    path("<uuid:patient_id>/<slug:kind>/add/", views.chart_entry_add, name="entry_add"),
    path(
        "<uuid:patient_id>/<slug:kind>/<uuid:entry_id>/retire/",
        views.chart_entry_retire,
        name="entry_retire",
    ),
]
