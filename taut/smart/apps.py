from django.apps import AppConfig


class SmartConfig(AppConfig):
    name = "taut.smart"
    verbose_name = "Connected apps (SMART on FHIR)"

    def ready(self):
        from taut.smart import checks  # noqa: F401  (registers the deploy check)
