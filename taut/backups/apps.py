from django.apps import AppConfig


class BackupsConfig(AppConfig):
    name = "taut.backups"
    verbose_name = "Backups"
