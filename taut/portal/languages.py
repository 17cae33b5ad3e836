"""The language of the portal's pages (English or Spanish), chosen in one place.

The order is ``taut.lib.languages.choose_language``: the switch the patient clicked (a
cookie that only the portal's pages under /p/ receive), then the patient's preferred
language in the registry (English or Spanish, else English), and before the patient is
known (sign-in, a link that cannot be opened) the browser's Accept-Language.

The gate (``taut.portal.access.portal_view``) and the sign-in page (``in_portal_language``)
run their view inside ``translation.override(...)``; ``<html lang>`` and the switch in
``portal/base.html`` follow the active language. The switch is a plain link to the same page
with ``?lang=es``: it sets the cookie and never writes to the registry (front desk changes
the preferred language there).
"""

from functools import wraps

from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers

from taut.lib.languages import choose_language, offered

COOKIE = "taut_portal_language"
COOKIE_PATH = "/p/"  # the patient's pages (taut/portal/urls.py); staff pages never see it
COOKIE_AGE = 365 * 24 * 3600
PARAM = "lang"


def switched(request: HttpRequest) -> str | None:
    """The language the reader picked: on this request (``?lang=``) or earlier (the cookie)."""
    return offered(request.GET.get(PARAM)) or offered(request.COOKIES.get(COOKIE))


def language_for(request: HttpRequest, patient=None) -> str:
    """The language of this portal page; ``patient`` once the gate knows whose page it is."""
    return choose_language(
        switched=switched(request),
        preferred=getattr(patient, "preferred_language", None),
        known=patient is not None,
        accept_language=request.headers.get("Accept-Language"),
    )


def remember(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Keep the reader's switch (``?lang=``) in a cookie for the portal's pages, and mark
    the response as one that depends on the language."""
    picked = offered(request.GET.get(PARAM))
    if picked:
        response.set_cookie(
            COOKIE,
            picked,
            max_age=COOKIE_AGE,
            path=COOKIE_PATH,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    patch_vary_headers(response, ("Cookie", "Accept-Language"))
    return response


def in_portal_language(view):
    """Decorate a portal view that has no patient yet (the sign-in page): it runs in the
    language the switch or the browser asks for."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        language = language_for(request)
        with translation.override(language):
            response = view(request, *args, **kwargs)
        response.headers.setdefault("Content-Language", language)
        return remember(request, response)

    return wrapper
