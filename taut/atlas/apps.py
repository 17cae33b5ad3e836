from django.apps import AppConfig


class AtlasConfig(AppConfig):
    name = "taut.atlas"
    verbose_name = "Referred-pain atlas"
