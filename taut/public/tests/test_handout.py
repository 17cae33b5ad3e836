"""The public page's PDF handout: rendered once by the worker per clinic, language and
change of the clinic's details, served stored; an anonymous download never renders."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from taut.accounts.models import Clinic, PublicHandout
from taut.public import handout
from taut.public.handout import render_handout_task


def url(lang="en"):
    return reverse("public:handout", kwargs={"clinic_slug": "test", "lang": lang})


def queued(clinic, lang="en") -> int:
    return DBTaskResult.objects.filter(
        task_path=render_handout_task.module_path, args_kwargs__args=[clinic.pk, lang]
    ).count()


def is_preparing(response, text="Preparing the handout") -> bool:
    return response.status_code == 200 and text in response.content.decode()


def render(clinic, lang="en"):
    return handout.render_handout(clinic_id=clinic.pk, language=lang, now=timezone.now())


def test_it_queues_the_render_once_however_many_ask(client, cast):
    clinic = cast.clinic
    assert is_preparing(client.get(url())) and is_preparing(client.get(url()))
    assert queued(clinic) == 1
    assert PublicHandout.objects.get(clinic=clinic, language="en").content is None
    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert is_preparing(client.get(url()))  # the task was lost: asked again, once
    assert queued(clinic) == 2


def test_it_serves_the_stored_pdf_without_rendering(client, cast, monkeypatch):
    client.get(url())
    assert render(cast.clinic) == "rendered"
    assert render(cast.clinic) == "already stored"

    def no_render(*args, **kwargs):
        raise AssertionError("a request rendered a PDF")

    monkeypatch.setattr(handout, "pdf_bytes", no_render)
    response = client.get(url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="test-trigger-point-injections-en.pdf"' in response["Content-Disposition"]


def test_it_prints_the_clinic_and_content_in_the_language(cast):
    Clinic.objects.filter(pk=cast.clinic.pk).update(
        phone="555-0100", public_note_es="Estacione atrás.", public_note_en="Park behind."
    )
    cast.clinic.refresh_from_db()
    english = handout.handout_html(cast.clinic, "en")
    assert "Test Clinic" in english and "555-0100" in english and "Park behind." in english
    assert "What are trigger points" in english and "[P1]" in english
    assert "Take the self-check online" in english
    assert "http://127.0.0.1:8000/c/test/en/self-check/" in english
    spanish = handout.handout_html(cast.clinic, "es")
    assert '<html lang="es">' in spanish
    assert "Estacione atrás." in spanish and "¿Qué son los puntos gatillo" in spanish
    assert "Haga la autoevaluación en línea" in spanish
    assert "What are trigger points" not in spanish


def test_it_makes_a_new_handout_when_the_clinic_changes_its_details(client, cast):
    client.get(url())
    render(cast.clinic)
    assert client.get(url()).content.startswith(b"%PDF")
    Clinic.objects.filter(pk=cast.clinic.pk).update(public_note_en="New parking rules.")
    assert is_preparing(client.get(url()))  # never the old handout for the new facts
    render(Clinic.objects.get(pk=cast.clinic.pk))
    assert client.get(url()).content.startswith(b"%PDF")
    assert PublicHandout.objects.filter(clinic=cast.clinic, language="en").count() == 1


def test_it_keeps_each_language_apart(client, cast):
    client.get(url("es"))
    assert queued(cast.clinic, "es") == 1 and queued(cast.clinic, "en") == 0
    assert is_preparing(client.get(url("es")), "Preparando la hoja informativa")


def test_it_sends_the_preparing_pages_poll_on_to_the_download(client, cast):
    page = client.get(url()).content.decode()
    assert f'hx-get="{url()}"' in page and "every 2s" in page
    poll = client.get(url(), headers={"HX-Request": "true"}).content.decode()
    assert 'id="pdf-status"' in poll and "<html" not in poll
    render(cast.clinic)
    ready = client.get(url(), headers={"HX-Request": "true"}).content.decode()
    assert f'data-download="{url()}"' in ready and "hx-get" not in ready


def test_it_is_not_found_when_the_page_is_off(client, cast):
    Clinic.objects.filter(pk=cast.clinic.pk).update(public_page_on=False)
    assert client.get(url()).status_code == 404
    assert queued(cast.clinic) == 0


@pytest.mark.parametrize("lang", ["en", "es"])
def test_it_renders_a_real_pdf_in_the_worker(cast, lang):
    assert render(cast.clinic, lang) == "rendered"
    stored = PublicHandout.objects.get(clinic=cast.clinic, language=lang)
    assert bytes(stored.content).startswith(b"%PDF") and stored.ready
