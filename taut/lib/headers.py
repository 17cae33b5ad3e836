"""Headers every response carries, static files included (first in ``MIDDLEWARE``, so
before WhiteNoise answers)."""

from django.conf import settings


def policy_header(policy: dict[str, list[str]]) -> str:
    """``{"camera": [], "publickey-credentials-get": ["self"]}`` as a ``Permissions-Policy``
    value: ``camera=(), publickey-credentials-get=(self)``."""
    return ", ".join(f"{feature}=({' '.join(allowed)})" for feature, allowed in policy.items())


def permissions_policy(get_response):
    """Deny the browser features Taut does not use (camera, microphone, location, payment,
    USB…) to every page and anything it embeds; allow the few it does
    (``settings.PERMISSIONS_POLICY``)."""
    value = policy_header(settings.PERMISSIONS_POLICY)

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Permissions-Policy", value)
        return response

    return middleware
