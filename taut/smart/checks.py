from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def oidc_key(app_configs, **kwargs):
    """In production connected apps' id_tokens are signed with the deployment's own key."""
    if settings.DEV_OIDC_KEY_PATH.read_text() == settings.OIDC_RSA_PRIVATE_KEY:
        return [
            Error(
                "OIDC_RSA_PRIVATE_KEY is the development key shipped with Taut.",
                hint="Set OIDC_RSA_PRIVATE_KEY_FILE to an RSA private key (PEM) of your own: "
                "openssl genrsa -out oidc.pem 2048 (docs/smart.md).",
                id="taut.E010",
            )
        ]
    return []
