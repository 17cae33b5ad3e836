from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "taut.outcomes"
    verbose_name = "Outcomes"
