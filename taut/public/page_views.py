"""The clinic's public page about trigger point injections, its handout and the self-check:
open to anyone, in English or Spanish (the language is in the address). Nothing a visitor
types is stored or logged; the self-check's answers travel only in a signed token, posted
(never put in an address) to the appointment request form."""

from django.core import signing
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from taut.accounts.access import public
from taut.clinical import patient_education as education
from taut.public import display, queries
from taut.public import handout as handouts
from taut.public.forms import SelfCheckForm
from taut.public.own_numbers import own_numbers

#: The signing salt of the self-check's answers token, posted to ``public:request`` (field
#: ``answers``, with ``start``); the request page reads them with max_age 1 day.
ANSWERS_SALT = "taut.public.selfcheck"
# Seconds the "Preparing the handout…" page waits before it asks again.
PREPARING_REFRESH_SECONDS = 2


def answers_token(answers: dict[str, object]) -> str:
    return signing.dumps(answers, salt=ANSWERS_SALT)


@public
@require_http_methods(["GET", "HEAD"])
def page(request, clinic_slug, lang):
    clinic = queries.clinic_for_public_page(clinic_slug)
    with translation.override(lang):
        context = display.page_context(clinic, lang)
        context["own_numbers"] = own_numbers(clinic, today=clinic.today())
        return render(request, "public/page.html", context)


@public
@require_http_methods(["GET", "HEAD"])
def handout(request, clinic_slug, lang):
    clinic = queries.clinic_for_public_page(clinic_slug)
    document = handouts.stored_or_queued(clinic, lang, now=timezone.now())
    with translation.override(lang):
        context = {
            **display.page_context(clinic, lang),
            "again": request.get_full_path(),
            "refresh": PREPARING_REFRESH_SECONDS,
        }
        template = "public/handout_preparing.html"
        if document is None:
            return render(request, f"{template}#status" if request.htmx else template, context)
        if request.htmx:  # the preparing page's poll: ready, the browser downloads it
            return render(request, f"{template}#ready", context)
    response = HttpResponse(document, content_type="application/pdf")
    filename = f"{clinic.slug}-trigger-point-injections-{lang}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def selfcheck(request, clinic_slug, lang):
    clinic = queries.clinic_for_public_page(clinic_slug)
    with translation.override(lang):
        context = display.page_context(clinic, lang)
        form = SelfCheckForm.for_request(request.POST if request.method == "POST" else None)
        if not form.is_valid():
            status = 400 if form.is_bound else 200
            context["form"] = form
            if form.on_map:
                context.update(display.map_context(form.marked()))
            return render(request, "public/selfcheck.html", context, status=status)
        answers = form.answers()
        outcome = education.selfcheck(answers)
        context["outcome"] = display.outcome_context(outcome, clinic)
        if outcome.offer_request:
            context["request_url"] = reverse(
                "public:request", kwargs={"clinic_slug": clinic.slug, "lang": lang}
            )
            context["answers_token"] = answers_token(answers)
        return render(request, "public/selfcheck_result.html", context)
