"""The authorization endpoint of the standalone launch: sign in (Taut's own login, second
factor and all), choose a patient when the app asks for one (``launch/patient``), then allow
or deny on the consent screen. Each page checks the app's request again (``launch.check``)."""

from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from taut.accounts.access import staff_view
from taut.smart import launch, queries
from taut.smart.forms import PatientChoiceForm, PatientSearchForm

# The parameters of the app's own request: the only ones a POSTed request may carry over.
REQUEST_PARAMS = (
    "response_type", "client_id", "redirect_uri", "scope", "state", "aud", "launch",
    "code_challenge", "code_challenge_method", "nonce", "claims", "prompt", "resource",
)  # fmt: skip


def _from_post(view):
    """SMART's ``authorize-post``: an app may POST its request (from its own page, so no
    CSRF token); it is answered with the same request as a GET, which Taut's pages keep."""

    def wrapper(request, *args, **kwargs):
        if request.method == "POST":
            params = [(k, v) for k in REQUEST_PARAMS for v in request.POST.getlist(k)]
            return HttpResponseRedirect(f"{request.path}?{urlencode(params)}", status=303)
        return view(request, *args, **kwargs)

    wrapper.__dict__.update(view.__dict__)  # the access policy
    wrapper.__name__ = view.__name__
    return wrapper


def _page(request, checked: launch.Launch, *, template: str, status: int = 200, **context):
    decide = f"{reverse('oauth2_provider:authorize_decide')}?{request.GET.urlencode()}"
    context = {"launch": checked, "app": checked.app, "decide_url": decide, **context}
    response = render(request, template, context, status=status)
    # The page's forms end in a redirect to the app, which the browser checks against the
    # policy's form-action: allow the app's own (checked) redirect address there.
    actions: list[str] = [*settings.SECURE_CSP["form-action"]]  # type: ignore[misc]
    actions.append(launch.form_action_source(checked.credentials["redirect_uri"]))
    response._csp_config = {**settings.SECURE_CSP, "form-action": actions}  # type: ignore[attr-defined]
    return response


def _checked(request):
    try:
        return launch.check(request), None
    except launch.LaunchRefused as error:
        page = render(request, "smart/launch_refused.html", {"message": str(error)},
                      status=error.status)  # fmt: skip
        return None, page


@csrf_exempt
@require_http_methods(["GET", "POST"])
@_from_post
@staff_view()
def authorize(request):
    checked, refused = _checked(request)
    if refused is not None:
        return refused
    if checked.error_redirect:
        return launch.redirect_to_app(checked.error_redirect)
    if checked.needs_patient:
        patients = queries.patients_to_pick(request.user, "")
        return _page(request, checked, template="smart/launch_patient.html",
                     patients=patients, search=PatientSearchForm())  # fmt: skip
    return _page(request, checked, template="smart/launch_consent.html")


@require_POST
@staff_view()
def authorize_decide(request):
    """The picker's search, the patient chosen, and the answer on the consent screen."""
    checked, refused = _checked(request)
    if refused is not None:
        return refused
    if checked.error_redirect:
        return launch.redirect_to_app(checked.error_redirect)
    if "q" in request.POST:
        search = PatientSearchForm(request.POST)
        text = search.cleaned_data["q"] if search.is_valid() else ""
        patients = queries.patients_to_pick(request.user, text)
        return _page(request, checked, template="smart/launch_patient.html",
                     patients=patients, search=search, searched=True)  # fmt: skip
    patient = _patient(request) if checked.needs_patient else None
    if checked.needs_patient and patient is None:
        patients = queries.patients_to_pick(request.user, "")
        return _page(request, checked, template="smart/launch_patient.html", status=400,
                     patients=patients, search=PatientSearchForm(), missing=True)  # fmt: skip
    decision = request.POST.get("decision")
    if decision not in ("allow", "deny"):
        return _page(request, checked, template="smart/launch_consent.html", patient=patient)
    return launch.answer(request, checked, allow=decision == "allow", patient=patient,
                         actor=request.actor)  # fmt: skip


def _patient(request):
    """The patient posted back (picked on the picker, or kept on the consent screen), if
    the user may choose them."""
    form = PatientChoiceForm(request.POST)
    if not form.is_valid() or form.cleaned_data["patient"] is None:
        return None
    return queries.patient_to_pick(request.user, form.cleaned_data["patient"])
