from django.urls import path

from taut.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("clinic/", views.clinic_settings, name="clinic_settings"),
    path("clinic/staff/", views.staff_list, name="staff_list"),
    path("clinic/staff/add/", views.staff_add, name="staff_add"),
    path("clinic/staff/<uuid:user_id>/", views.staff_edit, name="staff_edit"),
]
