from django.apps import AppConfig


class PatientsConfig(AppConfig):
    name = "taut.patients"
    verbose_name = "Patient registry"
