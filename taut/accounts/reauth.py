"""Re-authentication before the riskiest actions (issue 16, decision 0031): signing a note,
changing staff or roles, changing the clinic's settings and exporting the audit log need
the member's password or second factor within the last ``settings.REAUTH_SECONDS``.

The session remembers when (``sessions.AUTHENTICATED``: set at sign-in and on the
re-authentication page); the time is read with ``time.time()`` like the session limits,
so tests move it with time-machine."""

import time
from functools import wraps
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.shortcuts import redirect, resolve_url
from django_htmx.http import HttpResponseClientRedirect

from taut.accounts.sessions import AUTHENTICATED, REAUTH_FAILURES
from taut.lib.http import same_origin_path


def is_recent(request) -> bool:
    """Whether this session's member entered a password or second factor recently."""
    at = request.session.get(AUTHENTICATED)
    return at is not None and 0 <= time.time() - at <= settings.REAUTH_SECONDS


def mark_recent(request) -> None:
    request.session[AUTHENTICATED] = time.time()
    request.session.pop(REAUTH_FAILURES, None)


def _back_to(request) -> str:
    """Where to come back to: this page for a GET, else the page the form was on."""
    if request.method == "GET":
        return request.get_full_path()
    referer = urlsplit(request.META.get("HTTP_REFERER", ""))
    if referer.netloc and referer.netloc != request.get_host():
        return ""
    path = referer.path + (f"?{referer.query}" if referer.query else "")
    return same_origin_path(request, path)


def require_recent_auth(view):
    """Send a member who has not authenticated recently to ``accounts:reauth`` and back.

    Put it inside the access decorator (it needs the signed-in member). A POST is not
    replayed: the member comes back to the form's page and submits again."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_recent(request):
            return view(request, *args, **kwargs)
        target = resolve_url("accounts:reauth")
        back = _back_to(request)
        if back:
            target += "?" + urlencode({"next": back})
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        return redirect(target)

    return wrapper
