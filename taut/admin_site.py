"""The Django admin, for superusers only (never for clinic staff)."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig


class SuperuserAdminSite(admin.AdminSite):
    site_header = "Taut administration (superusers)"

    def has_permission(self, request):
        return request.user.is_active and request.user.is_superuser


class TautAdminConfig(AdminConfig):
    default_site = "taut.admin_site.SuperuserAdminSite"
