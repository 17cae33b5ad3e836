from django.contrib import messages
from django.contrib.auth.forms import AuthenticationForm, PasswordChangeForm
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST

from taut.accounts import mfa, queries, reauth, services, sessions, throttles
from taut.accounts.access import public, staff_view
from taut.accounts.forms import (
    ClinicSettingsForm,
    StaffCreateForm,
    StaffUpdateForm,
)
from taut.accounts.roles import Need
from taut.accounts.sessions import home_for
from taut.clinical import schedule
from taut.lib.http import client_ip, same_origin_path


@public
@sensitive_post_parameters("password")
@csrf_protect
def login_view(request):
    if request.user.is_authenticated:
        return redirect(home_for(request.user))
    form = AuthenticationForm(request, data=request.POST or None)
    if request.method == "POST":
        username = request.POST.get("username", "")[:150]
        try:  # before the password is hashed: counts shared by every worker
            sign_in = throttles.take_sign_in(
                address=client_ip(request), username=username, now=timezone.now()
            )
        except throttles.Throttled as error:
            return throttled(request, error, username=username)
        if form.is_valid():
            user = form.get_user()
            sign_in.succeeded()
            next_path = same_origin_path(request, request.POST.get("next", ""))
            # Issue 16: a member with a second factor gives it before being signed in; one
            # whose clinic requires one they lack is signed in and sent to set it up.
            if mfa.is_enrolled(user):
                sessions.begin_second_factor(request, user, next_path=next_path)
                return redirect("accounts:mfa_verify")
            must_enrol = user.clinic is not None and user.clinic.require_mfa
            sessions.log_in(request, user, must_enrol=must_enrol)
            if must_enrol:
                return redirect("accounts:security")
            return redirect(next_path or home_for(user))
        sessions.record_failed_login(
            request,
            username=request.POST.get("username", "")[:150],
            locked_out=bool(getattr(request, "axes_locked_out", False)),
        )
    next_path = same_origin_path(request, request.GET.get("next", ""))
    return render(request, "accounts/login.html", {"form": form, "next": next_path})


def throttled(request, error: throttles.Throttled, *, username: str):
    """A sign-in refused by a shared throttle, before any password was hashed: 429 with
    Retry-After. The first refusal of a window is audited (``Throttled.audited``)."""
    if error.audited:
        sessions.record_failed_login(request, username=username, throttled=error.scope)
    context = {"form": AuthenticationForm(request), "throttled": error}
    response = render(request, "accounts/login.html", context, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response


def lockout(request, original_response=None, credentials=None):
    """What a locked-out login attempt sees (django-axes calls this)."""
    form = AuthenticationForm(request)
    context = {"form": form, "locked_out": True}
    return render(request, "accounts/login.html", context, status=429)


@require_POST
@staff_view()
def logout_view(request):
    sessions.log_out(request)
    return redirect("accounts:login")


@sensitive_post_parameters()
@staff_view()
def password_change(request):
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        sessions.change_password(request, form=form)
        messages.success(request, "Your password has been changed.")
        return redirect("patients:list")
    return render(request, "accounts/password_change.html", {"form": form})


# Staff accounts per page of the staff list.
STAFF_PAGE_SIZE = 25


@staff_view(Need.MANAGE_STAFF)
def staff_list(request):
    """The clinic's staff, active first, by name, a page at a time (``?page=``)."""
    page = Paginator(queries.staff_for_clinic(request.user.clinic), STAFF_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/staff_list.html", {"staff": page.object_list, "page": page})


@sensitive_post_parameters("password")
@staff_view(Need.MANAGE_STAFF)
@reauth.require_recent_auth
def staff_add(request):
    clinic = request.user.clinic
    form = StaffCreateForm(request.POST or None, clinic=clinic)
    if request.method == "POST" and form.is_valid():
        member = services.add_staff(clinic=clinic, actor=request.actor, **form.cleaned_data)
        messages.success(request, f"{member.display_name} can now sign in as {member.username}.")
        return redirect("accounts:staff_list")
    return render(request, "accounts/staff_add.html", {"form": form})


@staff_view(Need.MANAGE_STAFF)
@reauth.require_recent_auth
def staff_edit(request, user_id):
    member = queries.staff_for_clinic(request.user.clinic).filter(public_id=user_id).first()
    if member is None:
        raise Http404
    initial = {"role": member.role, "active": member.is_active}
    form = StaffUpdateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            changes = services.update_staff(
                member=member,
                role=form.cleaned_data["role"],
                active=form.cleaned_data["active"],
                actor=request.actor,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if changes:
                messages.success(request, f"Saved changes to {member.display_name}.")
            return redirect("accounts:staff_list")
    return render(request, "accounts/staff_edit.html", {"form": form, "member": member})


@staff_view(Need.MANAGE_STAFF)
@reauth.require_recent_auth
def clinic_settings(request):
    form = ClinicSettingsForm(
        request.POST or None, instance=queries.clinic_for_settings(request.user)
    )
    conflict = ""
    if request.method == "POST" and form.is_valid() and "preview" not in request.POST:
        try:
            changed = services.update_clinic_settings(
                clinic=request.user.clinic,
                version=form.cleaned_data["version"],
                data=form.settings(),
                actor=request.actor,
            )
        except services.ClinicConflict as error:
            conflict = str(error)
            form = ClinicSettingsForm(instance=queries.clinic_for_settings(request.user))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            names = ", ".join(SETTING_NAMES.get(n, n.replace("_", " ")) for n in changed)
            messages.success(request, f"Saved: {names}. {SAVED_NOTE}" if changed else UNCHANGED)
            return redirect("accounts:clinic_settings")
    plan, policy = form.shown_plan()
    context = {
        "form": form,
        "conflict": conflict,
        "summary": queries.plan_summary(plan, policy=policy),
        "default_plan": schedule.DEFAULT_PLAN,
        "time_zones": queries.time_zones(),
    }
    # Bad input 400, a stale form 409 (one shape for refusals: taut/lib/refusals.py).
    status = 409 if conflict else 400 if form.errors else 200
    return render(request, "accounts/clinic_settings.html", context, status=status)


SETTING_NAMES = {"followup_plan": "follow-up plan", "time_zone": "time zone"}
SAVED_NOTE = (
    "Changes apply to sessions signed from now on; check-ins already scheduled keep their dates."
)
UNCHANGED = "Nothing to save: the settings are as they were."
