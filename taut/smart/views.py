"""A clinic lead's pages for connected apps (``/clinic/apps/``): list, register, detail,
revoke. Writes through ``taut.smart.services``."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.debug import sensitive_variables

from taut.accounts import reauth
from taut.accounts.access import staff_view
from taut.accounts.roles import Need
from taut.lib.refusals import Refused, show_on_form
from taut.smart import queries, services
from taut.smart.forms import DEFAULT_SCOPES, AppForm, RevokeForm
from taut.smart.models import AppKind, ConnectedApp
from taut.smart.validator import origin

APPS_PAGE_SIZE = 25


def _addresses(request) -> dict[str, str]:
    """What an app's developer needs: the FHIR base and SMART's discovery document."""
    base = origin(request)
    return {
        "fhir_base": f"{base}/fhir",
        "smart_configuration": f"{base}/fhir/.well-known/smart-configuration",
        "token_endpoint": f"{base}/oauth/token",
    }


def _app(request, app_id) -> ConnectedApp:
    """An app of the lead's own clinic; any other is not found."""
    app = queries.app_for_clinic(request.user.clinic, app_id)
    if app is None:
        raise Http404("No such app")
    return app


@staff_view(Need.MANAGE_STAFF)
def app_list(request):
    page = Paginator(queries.apps_for_clinic(request.user.clinic), APPS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {"apps": page.object_list, "page": page, **_addresses(request)}
    return render(request, "smart/app_list.html", context)


@sensitive_variables("registered")
@staff_view(Need.MANAGE_STAFF)
@reauth.require_recent_auth
def app_register(request):
    form = AppForm(request.POST or None, initial={"kind": AppKind.PUBLIC,
                                                  "allowed_scopes": DEFAULT_SCOPES[AppKind.PUBLIC]})  # fmt: skip
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            registered = services.register_app(
                clinic=request.user.clinic, actor=request.actor, **form.cleaned_data
            )
        except Refused as error:
            status = show_on_form(form, error)
        else:
            # The secret is shown on this response only: it is kept hashed.
            context = {"app": registered.app, "client_secret": registered.client_secret,
                       "just_registered": True, **_addresses(request)}  # fmt: skip
            return render(request, "smart/app_detail.html", context, status=201)
    status = 400 if form.errors else status
    context = {"form": form, "defaults": DEFAULT_SCOPES}
    return render(request, "smart/app_register.html", context, status=status)


@staff_view(Need.MANAGE_STAFF)
def app_detail(request, app_id):
    context = {"app": _app(request, app_id), **_addresses(request)}
    return render(request, "smart/app_detail.html", context)


@staff_view(Need.MANAGE_STAFF)
@reauth.require_recent_auth
def app_revoke(request, app_id):
    app = _app(request, app_id)
    if not app.active:
        return redirect("smart:app_detail", app_id=app.public_id)
    form = RevokeForm(request.POST or None, initial={"version": app.version})
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke_app(app=app, version=form.cleaned_data["version"], actor=request.actor)
        except Refused as error:
            status = show_on_form(form, error)
        else:
            messages.success(request, f"{app.name} is revoked: its tokens no longer work.")
            return redirect(reverse("smart:app_detail", kwargs={"app_id": app.public_id}))
    status = 400 if status == 200 and form.errors else status
    return render(request, "smart/app_revoke.html", {"app": app, "form": form}, status=status)
