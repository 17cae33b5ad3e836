from django.urls import path

from taut.accounts import mfa_views, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/second-step/", mfa_views.verify, name="mfa_verify"),
    path("reauthenticate/", mfa_views.reauthenticate, name="reauth"),
    path("security/", mfa_views.security, name="security"),
    path("security/app/", mfa_views.totp_add, name="totp_add"),
    path("security/recovery-codes/", mfa_views.recovery_codes, name="recovery_codes"),
    path("security/remove/", mfa_views.factor_remove, name="factor_remove"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("clinic/", views.clinic_settings, name="clinic_settings"),
    path("clinic/staff/", views.staff_list, name="staff_list"),
    path("clinic/staff/add/", views.staff_add, name="staff_add"),
    path("clinic/staff/<uuid:user_id>/", views.staff_edit, name="staff_edit"),
]
