from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "taut.audit"
    verbose_name = "Audit trail"
