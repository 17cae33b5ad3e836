from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "taut.aftercare"
    verbose_name = "Aftercare and follow-up"
