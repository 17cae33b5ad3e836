from django.apps import AppConfig


class DrawingsConfig(AppConfig):
    name = "taut.drawings"
    verbose_name = "Pain drawings"
