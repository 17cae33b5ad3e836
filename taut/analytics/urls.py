from django.urls import path

from taut.analytics import export_views, views

app_name = "analytics"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("sessions/", views.sessions, name="sessions"),
    path("report/", views.report, name="report"),
    path("export/", export_views.export_page, name="export"),
    path("export/download/", export_views.export_download, name="export_download"),
]
