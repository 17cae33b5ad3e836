"""The standalone launch's authorization request, read once per page through DOT.

Every page of the launch (patient picker, consent, the answer) keeps the app's original
request in its address and has DOT and oauthlib check it again, so nothing the browser
posts back can widen it. What the user may grant is the request cut to the app's
registered scopes (``SmartValidator.validate_scopes``), then to the user's role
(``scopes.for_role``).
"""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from oauth2_provider.exceptions import FatalClientError, OAuthToolkitError
from oauth2_provider.http import OAuth2ResponseRedirect
from oauth2_provider.oauth2_backends import get_oauthlib_core
from oauth2_provider.settings import oauth2_settings
from oauthlib.oauth2.rfc6749 import errors

from taut.accounts.actors import Actor
from taut.accounts.roles import Need, has_need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.patients.models import Patient
from taut.smart import scopes
from taut.smart.models import AppKind, ConnectedApp
from taut.smart.scopes import Scopes
from taut.smart.validator import origin

# What oauthlib hands back from checking the request that creating the code needs again.
CREDENTIAL_KEYS = (
    "client_id", "redirect_uri", "response_type", "state", "code_challenge",
    "code_challenge_method", "nonce", "claims",
)  # fmt: skip


class LaunchRefused(Exception):
    """A request Taut cannot answer by redirecting to the app (unknown client, a redirect
    URI not registered, an app of another clinic): shown to the user instead."""

    def __init__(self, message: str, *, status: int = 400):
        super().__init__(message)
        self.status = status


@dataclass
class Launch:
    """An authorization request as checked: the app, what the user may grant, whether a
    patient must be chosen; or, when it cannot go on, the redirect telling the app why."""

    app: ConnectedApp | None = None
    granted: Scopes = field(default_factory=Scopes)
    credentials: dict = field(default_factory=dict)
    error_redirect: str = ""

    @property
    def needs_patient(self) -> bool:
        return self.granted.has("launch/patient") or "patient" in self.granted.contexts

    def scopes_in_words(self) -> list[str]:
        return [scopes.IDENTITY_WORDS[name] for name in scopes.IDENTITY_SCOPES
                if self.granted.has(name)] + [scopes.describe(s) for s in self.granted.resources]  # fmt: skip


def check(request) -> Launch:
    """The app's authorization request in ``request``'s address, checked by DOT, for the
    signed-in user. Raises ``LaunchRefused`` when the app cannot even be told."""
    try:
        asked, credentials = get_oauthlib_core().validate_authorization_request(request)
    except FatalClientError as error:
        message = f"This sign-in link is not valid: {error.oauthlib_error.description}"
        raise LaunchRefused(message) from None
    except OAuthToolkitError as error:
        redirect_uri = error.oauthlib_error.redirect_uri or ""
        separator = "&" if "?" in redirect_uri else "?"
        return Launch(error_redirect=f"{redirect_uri}{separator}{error.oauthlib_error.urlencoded}")
    app = ConnectedApp.objects.select_related("clinic").get(client_id=credentials["client_id"])
    if app.clinic_id != request.user.clinic_id:
        record_event(actor=request.actor, action=Action.DENIED, object_type="connected_app",
                     object_id=str(app.public_id), details={"reason": "other_clinic"})  # fmt: skip
        raise LaunchRefused("This app is not connected to your clinic.", status=404)
    challenge = credentials.get("code_challenge")
    if app.kind == AppKind.PUBLIC and not challenge:
        # oauthlib takes an empty code_challenge for one; a public app must send a real one.
        missing = errors.MissingCodeChallengeError(state=credentials.get("state"))
        return Launch(error_redirect=missing.in_uri(credentials["redirect_uri"]))
    if challenge and credentials.get("code_challenge_method") != "S256":
        # SMART 2.0: S256 only ("plain" is refused; it is also RFC 7636's default).
        plain = errors.UnsupportedCodeChallengeMethodError(state=credentials.get("state"))
        return Launch(error_redirect=plain.in_uri(credentials["redirect_uri"]))
    if request.GET.get("aud", "").rstrip("/") != f"{origin(request)}/fhir":
        # SMART 2.0: "aud" names the FHIR server the app means; a token for another is refused.
        wrong = errors.InvalidRequestError(
            description="aud must be this server's FHIR base URL.", state=credentials.get("state")
        )
        return Launch(error_redirect=wrong.in_uri(credentials["redirect_uri"]))
    clinical = has_need(request.user, Need.CLINICAL_READ)
    granted = scopes.for_role(scopes.parse(" ".join(asked)), clinical=clinical)
    kept = {key: credentials[key] for key in CREDENTIAL_KEYS if credentials.get(key) is not None}
    return Launch(app=app, granted=granted, credentials=kept)


def answer(request, launch: Launch, *, allow: bool, patient: Patient | None, actor: Actor):
    """The redirect back to the app: a code for what the user allowed (and the patient they
    chose, kept with the code), or ``access_denied``. Audited either way."""
    credentials = {**launch.credentials, "taut_patient": patient}
    try:
        uri, _headers, _body, _status = get_oauthlib_core().create_authorization_response(
            request, launch.granted.text().split(), credentials, allow and bool(launch.granted)
        )
    except OAuthToolkitError as error:
        uri = error.oauthlib_error.in_uri(error.oauthlib_error.redirect_uri)
    record_event(
        actor=actor,
        action=Action.PRIVILEGE_CHANGE,
        patient=patient,
        object_type="connected_app",
        object_id=str(launch.app.public_id) if launch.app else "",
        details={"change": "authorized" if allow else "denied",
                 "scopes": launch.granted.text() if allow else ""},
    )  # fmt: skip
    return redirect_to_app(uri)


def form_action_source(redirect_uri: str) -> str:
    """The Content-Security-Policy source that lets a form end at ``redirect_uri`` (already
    checked against the app's registration): its origin, or its scheme for an app's own
    scheme (``com.example.app:/callback``)."""
    parts = urlsplit(redirect_uri)
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}:"


def redirect_to_app(uri: str) -> OAuth2ResponseRedirect:
    return OAuth2ResponseRedirect(uri, oauth2_settings.ALLOWED_REDIRECT_URI_SCHEMES)
