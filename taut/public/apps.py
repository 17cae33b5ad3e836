from django.apps import AppConfig


class PublicConfig(AppConfig):
    name = "taut.public"
    verbose_name = "Public pages"
