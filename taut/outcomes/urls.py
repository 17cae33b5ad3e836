from django.urls import path

from taut.outcomes import views

app_name = "outcomes"
urlpatterns = [
    path("<uuid:patient_id>/outcomes/", views.chart_section, name="chart_section"),
    path("<uuid:patient_id>/outcomes/decide/", views.decide, name="decide"),
    path("<uuid:patient_id>/outcomes/function/", views.record_function, name="record_function"),
    path("worklist/next-step-due/", views.worklist_section, name="worklist_section"),
    path("<uuid:patient_id>/outcomes/summary.pdf", views.summary_pdf, name="summary_pdf"),
]
