from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "taut.demo"
    verbose_name = "Demo clinic"
