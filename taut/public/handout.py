"""The public page's printable handout: a PDF per clinic and language, rendered once by the
worker and served stored (docs/decisions/0024-public-page.md, following 0019).

An anonymous download never renders: it serves the stored PDF of the facts as they stand
(``fingerprint``), or asks for it once and shows "Preparing the handout…". However many
visitors ask, each clinic's handout is rendered at most once per language and per change
of its facts (the unique key lets one request queue it; a lost task is queued again after
``ASK_AGAIN_AFTER``).
"""

import hashlib
import json
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone, translation

from taut import links
from taut.accounts.models import Clinic, PublicHandout
from taut.clinical import patient_education
from taut.patients.printing import pdf_bytes
from taut.public import display

# Bumped when the handout's template changes what it prints.
TEMPLATE_VERSION = "1"
ASK_AGAIN_AFTER = timedelta(minutes=2)
ASKED = 10  # queue priority: someone is waiting (emails use 0)


def fingerprint(clinic: Clinic, language: str) -> str:
    """A digest of everything the handout prints: the content's and template's versions,
    the language, the clinic's name, address, phone, emergency number and note, and the
    address Taut is reached at (the handout prints the self-check's)."""
    facts = [
        patient_education.VERSION,
        TEMPLATE_VERSION,
        language,
        clinic.name,
        clinic.address,
        clinic.phone,
        clinic.emergency_number,
        clinic.public_note(language),
        links.absolute("/"),
    ]
    return hashlib.sha256(json.dumps(facts).encode()).hexdigest()


def handout_html(clinic: Clinic, language: str) -> str:
    with translation.override(language):
        context = display.page_context(clinic, language)
        context["online"] = links.absolute(display.page_links(clinic, language)["selfcheck"])
        return render_to_string("public/handout_pdf.html", context)


def render_handout(*, clinic_id: int, language: str, now: datetime) -> str:
    """Render and store the clinic's handout in ``language`` unless the PDF of the same
    facts is stored already (the task may run twice). Says what it did."""
    clinic = Clinic.objects.filter(pk=clinic_id).first()
    if clinic is None:
        return "no such clinic"
    digest = fingerprint(clinic, language)
    stored = PublicHandout.objects.filter(
        clinic=clinic, language=language, fingerprint=digest
    ).first()
    if stored is not None and stored.ready:
        return "already stored"
    content = pdf_bytes(handout_html(clinic, language), base_url="/")
    with transaction.atomic():
        PublicHandout.objects.update_or_create(
            clinic=clinic,
            language=language,
            fingerprint=digest,
            defaults={"content": content, "rendered_at": now},
            create_defaults={"content": content, "rendered_at": now, "requested_at": now},
        )
        # Handouts of older facts are never served again.
        PublicHandout.objects.filter(clinic=clinic, language=language).exclude(
            fingerprint=digest
        ).delete()
    return "rendered"


@task(queue_name="printing")
def render_handout_task(clinic_id: int, language: str) -> str:
    """Render and store one clinic's public handout (``render_handout``)."""
    return render_handout(clinic_id=clinic_id, language=language, now=timezone.now())


def _ask(clinic: Clinic, language: str, digest: str, *, now: datetime) -> bool:
    """Whether this request should queue the render: the first to ask inserts the row (two
    racing requests insert one between them), or the ask went unanswered for a while."""
    try:
        with transaction.atomic():
            PublicHandout.objects.create(
                clinic=clinic, language=language, fingerprint=digest, requested_at=now
            )
    except IntegrityError:
        unanswered = PublicHandout.objects.filter(
            clinic=clinic,
            language=language,
            fingerprint=digest,
            rendered_at__isnull=True,
            requested_at__lt=now - ASK_AGAIN_AFTER,
        )
        return unanswered.update(requested_at=now) == 1
    return True


def stored_or_queued(clinic: Clinic, language: str, *, now: datetime) -> bytes | None:
    """The stored handout of the clinic's facts as they stand; or None, its render queued
    (once) for the worker."""
    digest = fingerprint(clinic, language)
    stored = (
        PublicHandout.objects.filter(clinic=clinic, language=language, fingerprint=digest)
        .only("content")
        .first()
    )
    if stored is not None and stored.content is not None:
        return bytes(stored.content)  # PostgreSQL hands out a memoryview
    if _ask(clinic, language, digest, now=now):
        # The task is a row of the same database: it commits with the ask.
        render_handout_task.using(priority=ASKED).enqueue(clinic.pk, language)
    return None
