from django.urls import path

from taut.drawings import views

app_name = "drawings"
urlpatterns = [
    path("<uuid:patient_id>/drawings/", views.chart_section, name="chart_section"),
    path("<uuid:patient_id>/drawings/new/", views.drawing_new, name="new"),
    path("<uuid:patient_id>/drawings/compare/", views.drawing_compare, name="compare"),
    path("<uuid:patient_id>/drawings/<uuid:drawing_id>/", views.drawing_detail, name="detail"),
]
