from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "taut.analytics"
    verbose_name = "Clinic analytics"
