"""The patient portal's session, in a cookie of its own (docs/decisions/0029)."""

from importlib import import_module

from django.conf import settings
from django.utils.cache import patch_vary_headers


def portal_session(get_response):
    """``request.portal_session``: the session of a patient signed in to the portal with a
    password, kept apart from staff's ``request.session``. Its own cookie
    (``PORTAL_SESSION_COOKIE_NAME``), sent only to the portal's pages
    (``PORTAL_SESSION_COOKIE_PATH``), and its own row in the session table: signing in or
    out of one never touches the other, and staff pages never receive a patient's key."""
    store = import_module(settings.SESSION_ENGINE).SessionStore

    def middleware(request):
        request.portal_session = store(request.COOKIES.get(settings.PORTAL_SESSION_COOKIE_NAME))
        response = get_response(request)
        _keep(request, response)
        return response

    return middleware


def _keep(request, response) -> None:
    """As Django's SessionMiddleware: save a changed session and (re)send its cookie, or
    delete the cookie of one that was emptied; the cookie lasts until the browser closes
    (the session's own limits are the gate's: taut.portal.access)."""
    session = request.portal_session
    name, path = settings.PORTAL_SESSION_COOKIE_NAME, settings.PORTAL_SESSION_COOKIE_PATH
    if session.accessed:
        patch_vary_headers(response, ("Cookie",))
    if session.is_empty():
        if name in request.COOKIES:
            response.delete_cookie(name, path=path, samesite="Lax")
        return
    if session.modified and response.status_code < 500:
        session.save()
        response.set_cookie(
            name,
            session.session_key,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
