from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "taut.visits"
    verbose_name = "Visits and procedures"
