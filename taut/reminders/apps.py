from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "taut.reminders"
    verbose_name = "Reminders and notifications"
