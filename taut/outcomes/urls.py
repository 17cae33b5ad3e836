from django.urls import path

from taut.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("<uuid:patient_id>/outcomes/", views.chart_section, name="chart_section"),
]
