from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "taut.audit"
    verbose_name = "Audit trail"

    def ready(self):
        from taut.audit import checks  # noqa: F401  (registers the deploy check)
