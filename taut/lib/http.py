"""Facts about the HTTP request that several apps need."""

from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme


def client_ip(request) -> str:
    """The client's address, trusting ``X-Forwarded-For`` only behind known proxies.

    With ``TRUSTED_PROXY_COUNT = n`` the n-th address from the right of the
    header is the client (each trusted proxy appends the address it saw). With
    0, the header is ignored: anyone can forge it.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or ""


def same_origin_path(request, target: str) -> str:
    """``target`` when it is a path on this site (``/patients/…``), else "".

    Where to go after a form (the login's ``next``): never another site, never a full URL
    (even this site's, which over HTTPS could name plain ``http:``), never ``//host`` or
    ``/\\host``, which browsers read as another site."""
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return ""
    safe = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if safe else ""
