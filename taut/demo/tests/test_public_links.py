"""`taut demo` prints the demo clinic's public page in English and Spanish, and the links
open the page."""

from django.test import Client

from taut.accounts import services
from taut.demo.management.commands.demo import Command
from taut.demo.seed import CLINIC_SLUG


def test_it_prints_the_public_page_in_both_languages():
    text = Command().public_example("http://127.0.0.1:8000/")
    assert f"  English: http://127.0.0.1:8000/c/{CLINIC_SLUG}/en/trigger-point-injections/" in text
    assert f"  Spanish: http://127.0.0.1:8000/c/{CLINIC_SLUG}/es/trigger-point-injections/" in text


def test_its_links_open_the_demo_clinics_page(db):
    services.create_clinic(name="Demo Clinic", slug=CLINIC_SLUG)
    text = Command().public_example("http://testserver")
    for line in text.splitlines()[1:]:
        path = line.split("http://testserver", 1)[1]
        assert Client().get(path).status_code == 200
