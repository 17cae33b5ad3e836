from django.urls import path

from taut.aftercare import views

app_name = "aftercare"
P = "<uuid:patient_id>/"
urlpatterns = [
    path("worklist/", views.worklist, name="worklist"),
    path(P + "follow-up/", views.chart_section, name="chart_section"),
    path(P + "follow-up/<uuid:checkin_id>/", views.checkin, name="checkin"),
    path(P + "alerts/<uuid:alert_id>/acknowledge/", views.acknowledge, name="acknowledge"),
    path(P + "visits/<uuid:visit_id>/aftercare/", views.instructions, name="instructions"),
    path(
        P + "visits/<uuid:visit_id>/aftercare.pdf", views.instructions_pdf, name="instructions_pdf"
    ),
]
