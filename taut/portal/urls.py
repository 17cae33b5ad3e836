"""The portal's routes: the patient's pages under /p/ and, for staff, the chart section
that hands the links out (under the patient's chart, /patients/<id>/portal/)."""

from django.urls import include, path

from taut.portal import arrival_views, intake_views, views

app_name = "portal"
patient_urls = [
    # Aftercare, progress and check-ins (views.py)
    path("home/<str:token>/", views.home, name="home"),
    path("home/<str:token>/password/", views.password, name="password"),
    path("check-in/<str:token>/", views.checkin, name="checkin"),
    path("home/<str:token>/here/", arrival_views.here, name="here"),
    # The same home page through a portal session, for patients who set a password
    path("sign-in/", views.login, name="login"),
    path("sign-out/", views.logout, name="logout"),
    path("me/", views.home, name="my_home"),
    path("me/password/", views.password, name="my_password"),
    path("me/here/", arrival_views.here, name="my_here"),
    # Before a visit: intake and pain drawing (intake_views.py)
    path("before-your-visit/<str:token>/", intake_views.intake, name="intake"),
]
urlpatterns = [
    path("p/", include(patient_urls)),
    path("patients/<uuid:patient_id>/portal/", views.chart_section, name="chart_section"),
]
