from django.urls import path

from taut.atlas import views

app_name = "atlas"
urlpatterns = [
    path("", views.finder, name="finder"),
    path("muscles/", views.muscle_list, name="muscle_list"),
    path("muscles/<slug:muscle_id>/", views.muscle_detail, name="muscle_detail"),
]
