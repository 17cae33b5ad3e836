"""Pages of the second factor: the sign-in step, setting factors up and re-authenticating
(decision 0031). Writes go through ``mfa`` and ``sessions``."""

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from taut.accounts import mfa, reauth, sessions, throttles
from taut.accounts.access import actor_for, public, staff_view
from taut.accounts.models import TotpDevice
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.lib.http import same_origin_path


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=20,
        help_text="The 6-digit code from your authenticator app, or one of your recovery codes.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
    )


class EnrolCodeForm(CodeForm):
    """The code that confirms a new authenticator app (recovery codes don't count here)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].help_text = "The 6-digit code your authenticator app shows now."


class ReauthForm(forms.Form):
    secret = forms.CharField(
        label="Password or code",
        max_length=200,
        help_text="Your password, or a code from your authenticator app.",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )


@public
@sensitive_post_parameters("code")
@csrf_protect
def verify(request):
    """The second step of signing in, for members with a second factor."""
    user = sessions.pending_user(request)
    if user is None:
        return redirect("accounts:login")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa.verify_code(user=user, code=form.cleaned_data["code"])
        if device is not None:
            next_path = sessions.finish_second_factor(request, user, method=mfa.method_of(device))
            if mfa.method_of(device) == mfa.RECOVERY:
                left = mfa.recovery_codes_left(user)
                messages.warning(request, f"Recovery code used: {left} left.")
            return redirect(same_origin_path(request, next_path) or sessions.home_for(user))
        if sessions.second_factor_failed(request, user, method="code"):
            messages.error(request, "Too many wrong codes: sign in again.")
            return redirect("accounts:login")
        form.add_error("code", "That code is not right, or was already used.")
    context = {
        "form": form,
        "has_passkey": mfa.PASSKEY in {mfa.method_of(d) for d in mfa.factors(user)},
    }
    return render(request, "accounts/mfa_verify.html", context, status=400 if form.errors else 200)


@staff_view()
def security(request):
    """The member's own second factors: what is set up, add, remove, recovery codes."""
    user = request.user
    context = {
        "factors": [(mfa.factor_id(d), mfa.method_of(d), d) for d in mfa.factors(user)],
        "codes_left": mfa.recovery_codes_left(user),
        "must_enrol": request.session.get(sessions.MUST_ENROL, False),
        "recent": reauth.is_recent(request),
    }
    return render(request, "accounts/mfa_security.html", context)


@sensitive_post_parameters("code")
@staff_view()
@reauth.require_recent_auth
def totp_add(request):
    """Set up an authenticator app: a QR code (and the key to type), then a code from it."""
    form = EnrolCodeForm(request.POST or None)
    device = None
    if request.method == "POST":
        device = TotpDevice.objects.filter(user=request.user, confirmed=False).first()
        if device is None:
            return redirect("accounts:totp_add")
        if form.is_valid():
            if mfa.confirm_totp(device=device, code=form.cleaned_data["code"], actor=request.actor):
                request.session.pop(sessions.MUST_ENROL, None)
                if not mfa.recovery_codes_left(request.user):
                    return _show_codes(request)
                messages.success(request, "Authenticator app set up.")
                return redirect("accounts:security")
            form.add_error("code", "That code is not right: check the app and try the new one.")
    else:
        device = mfa.start_totp(user=request.user)
    uri = mfa.totp_uri(device)
    context = {"form": form, "qr": mfa.qr_svg(uri), "key": mfa.manual_key(device)}
    return render(request, "accounts/mfa_totp.html", context, status=400 if form.errors else 200)


def _show_codes(request):
    codes = mfa.new_recovery_codes(user=request.user, actor=request.actor)
    return render(request, "accounts/mfa_recovery.html", {"codes": codes})


@require_POST
@staff_view()
@reauth.require_recent_auth
def recovery_codes(request):
    """Ten new recovery codes (the old ones stop working), shown once."""
    if not mfa.is_enrolled(request.user):
        raise Http404
    return _show_codes(request)


@require_POST
@staff_view()
@reauth.require_recent_auth
def factor_remove(request):
    if mfa.remove_factor(
        user=request.user, device_id=request.POST.get("factor", ""), actor=request.actor
    ):
        messages.success(request, "Removed.")
    return redirect("accounts:security")


@sensitive_post_parameters("secret")
@staff_view()
def reauthenticate(request):
    """Enter the password (or a second factor) again before a sensitive action."""
    next_path = same_origin_path(request, request.POST.get("next") or request.GET.get("next", ""))
    form = ReauthForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        secret = form.cleaned_data["secret"]
        try:  # a password check costs a hash: the same shared ceiling as sign-in (0033)
            throttles.take(throttles.sign_in_limits()[2], now=timezone.now())
        except throttles.Throttled as error:
            form.add_error("secret", "Many people are signing in: try again in a moment.")
            response = render(request, "accounts/reauth.html", {"form": form, "next": next_path})
            response.status_code = 429
            response["Retry-After"] = str(error.retry_after)
            return response
        method = "password" if request.user.check_password(secret) else ""
        if not method and (device := mfa.verify_code(user=request.user, code=secret)):
            method = mfa.method_of(device)
        actor = actor_for(request)
        if method:
            reauth.mark_recent(request)
            sessions.renew_key(request)
            record_event(
                actor=actor, action=Action.LOGIN, details={"step": "reauth", "method": method}
            )
            return redirect(next_path or sessions.home_for(request.user))
        record_event(actor=actor, action=Action.LOGIN_FAILED, details={"step": "reauth"})
        if sessions.reauth_failed(request):
            return redirect("accounts:login")
        form.add_error("secret", "That is not right.")
    context = {"form": form, "next": next_path}
    return render(request, "accounts/reauth.html", context, status=400 if form.errors else 200)
