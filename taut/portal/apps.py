from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "taut.portal"
    verbose_name = "Patient portal"
