"""Facts about the HTTP request that several apps need."""

from django.conf import settings


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
