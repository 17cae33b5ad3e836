from django.urls import path

from taut.reminders import views

app_name = "reminders"
urlpatterns = [
    path("worklist/reminders/", views.worklist_section, name="worklist_section"),
    path("<uuid:patient_id>/reminders/<uuid:reminder_id>/retry/", views.retry, name="retry"),
]
