from django.urls import path

from taut.portal import intake_views, views

app_name = "portal"
urlpatterns = [
    # Aftercare, progress and check-ins (views.py)
    path("home/<str:token>/", views.home, name="home"),
    path("check-in/<str:token>/", views.checkin, name="checkin"),
    # Before a visit: intake and pain drawing (intake_views.py)
    path("before-your-visit/<str:token>/", intake_views.intake, name="intake"),
]
