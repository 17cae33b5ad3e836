from django.urls import path

from taut.smart import views

app_name = "smart"
urlpatterns = [
    path("", views.app_list, name="app_list"),
    path("new/", views.app_register, name="app_register"),
    path("<uuid:app_id>/", views.app_detail, name="app_detail"),
    path("<uuid:app_id>/revoke/", views.app_revoke, name="app_revoke"),
]
