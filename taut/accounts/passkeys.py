"""Passkeys (WebAuthn) through django-otp-webauthn, as a second factor inside Taut's own
sign-in (decision 0031): the library's JSON views and browser scripts, with

- the relying party taken from the host the browser asked for (already checked against
  ``ALLOWED_HOSTS``), so one setting less to get wrong;
- authentication only for the member who has just passed the password step
  (``sessions.pending_user``), finishing with ``sessions.finish_second_factor``: the same
  audited log-in, session limits and lockout as every other sign-in. No passwordless login;
- registration only for a signed-in member who authenticated recently, audited.

The URL names stay those of the library (``otp_webauthn:…``) so its template tags work."""

from django.http import HttpRequest, JsonResponse
from django.shortcuts import resolve_url
from django.urls import path
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions
from django_otp_webauthn.helpers import WebAuthnHelper
from django_otp_webauthn.utils import rewrite_exceptions
from django_otp_webauthn.views import (
    BeginCredentialAuthenticationView,
    BeginCredentialRegistrationView,
    CompleteCredentialAuthenticationView,
    CompleteCredentialRegistrationView,
)

from taut.accounts import mfa, reauth, sessions
from taut.accounts.access import AccessPolicy, actor_for


class Helper(WebAuthnHelper):
    def get_relying_party_domain(self) -> str:
        return self.request.get_host().rsplit(":", 1)[0]

    def get_allowed_origins(self) -> list[str]:
        return [f"{self.request.scheme}://{self.request.get_host()}"]


class RecentlyAuthenticated(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_code = "reauth_required"
    default_detail = "Enter your password again before adding a passkey."


class _Registration:
    request: HttpRequest

    def get_user(self):
        user = self.request.user
        return user if user.is_authenticated and user.clinic_id else None

    def _check_user_verified(self, user) -> None:
        # Every Taut session passed the second factor at sign-in when one was set up
        # (login_view); recent authentication is the stronger check here.
        if not reauth.is_recent(self.request):
            raise RecentlyAuthenticated()


class RegisterBegin(_Registration, BeginCredentialRegistrationView):
    pass


class RegisterComplete(_Registration, CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        user = self.get_user()
        state = self.get_state()
        helper = self.get_helper()
        with rewrite_exceptions(logger=None):
            device = helper.register_complete(user=user, state=state, data=self.request.data)  # type: ignore[attr-defined]
        mfa.record_passkey_enrolled(device=device, actor=actor_for(self.request))
        self.request.session.pop(sessions.MUST_ENROL, None)
        return JsonResponse({"id": device.pk})


class _Authentication:
    request: HttpRequest

    def get_user(self):
        return sessions.pending_user(self.request)

    def check_can_authenticate(self):
        if self.get_user() is None:
            raise exceptions.NotAuthenticated()


class AuthBegin(_Authentication, BeginCredentialAuthenticationView):
    pass


class AuthComplete(_Authentication, CompleteCredentialAuthenticationView):
    def post(self, *args, **kwargs):
        user = self.get_user()
        try:
            return super().post(*args, **kwargs)
        except exceptions.OTPWebAuthnApiError:
            if user is not None:
                sessions.second_factor_failed(self.request, user, method=mfa.PASSKEY)
            raise

    def check_device_usable(self, device) -> None:
        super().check_device_usable(device)
        if device.user_id != self.get_user().pk:
            raise exceptions.CredentialNotFound()

    def complete_auth(self, device):
        self._next = sessions.finish_second_factor(self.request, device.user, method=mfa.PASSKEY)

    def get_success_url(self):
        return resolve_url(self._next or sessions.home_for(self.request.user))


def _policy(view, kind: str):
    view.access_policy = AccessPolicy(kind)
    return view


app_name = "otp_webauthn"
urlpatterns = [
    path(
        "registration/begin/",
        _policy(RegisterBegin.as_view(), "staff"),
        name="credential-registration-begin",
    ),
    path(
        "registration/complete/",
        _policy(RegisterComplete.as_view(), "staff"),
        name="credential-registration-complete",
    ),
    path(
        "authentication/begin/",
        _policy(AuthBegin.as_view(), "public"),
        name="credential-authentication-begin",
    ),
    path(
        "authentication/complete/",
        _policy(AuthComplete.as_view(), "public"),
        name="credential-authentication-complete",
    ),
    path(
        "jsi18n/",
        _policy(JavaScriptCatalog.as_view(packages=["django_otp_webauthn"]), "public"),
        name="js-i18n-catalog",
    ),
]
