"""The Django admin, for superusers only (never for clinic staff).

Signing in and out goes through Taut's own login page and services, so admin sessions
are audited, locked out and timed out like everyone else's.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.shortcuts import redirect
from django.urls import reverse


# Imports of auth views and Taut services happen inside the methods: this module is
# loaded while the app registry is still being set up.
class SuperuserAdminSite(admin.AdminSite):
    site_header = "Taut administration (superusers)"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def login(self, request, extra_context=None):
        from django.contrib.auth.views import redirect_to_login

        target = request.GET.get("next") or reverse("admin:index")
        return redirect_to_login(target, login_url=reverse("accounts:login"))

    def logout(self, request, extra_context=None):
        from taut.accounts import sessions

        if request.method == "POST" and request.user.is_authenticated:
            sessions.log_out(request)
        return redirect("accounts:login")


class TautAdminConfig(AdminConfig):
    default_site = "taut.admin_site.SuperuserAdminSite"
