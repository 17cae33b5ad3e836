from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def audit_key(app_configs, **kwargs):
    """In production the audit chain needs its own secret key."""
    key = settings.AUDIT_HMAC_KEY
    if key == settings.DEV_AUDIT_HMAC_KEY or len(key) < 16:
        return [
            Error(
                "AUDIT_HMAC_KEY is the development default or shorter than 16 characters.",
                hint="Set AUDIT_HMAC_KEY (or AUDIT_HMAC_KEY_FILE) to a long random secret.",
                id="taut.E001",
            )
        ]
    return []
