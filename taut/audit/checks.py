from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


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


@register(Tags.security, deploy=True)
def audit_anchors(app_configs, **kwargs):
    """Without anchors outside the database, a restored backup hides deleted events."""
    if not settings.AUDIT_ANCHOR_PATH:
        return [
            Warning(
                "AUDIT_ANCHOR_PATH is not set: taut audit-verify cannot notice a database "
                "rolled back to an older audit chain, or an emptied one.",
                hint="Set AUDIT_ANCHOR_PATH to a file outside the database and ship it "
                "elsewhere as it grows (docs/decisions/0028-audit-anchor.md).",
                id="taut.W001",
            )
        ]
    return []
