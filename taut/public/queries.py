"""Reads for the clinic's public pages: the clinic behind a public address."""

from django.http import Http404

from taut.accounts.models import Clinic


def clinic_for_public_page(slug: str) -> Clinic:
    """The clinic whose public page lives at ``slug``; 404 when there is none or its lead
    has switched the page off (the same answer, so a switched-off page reveals nothing)."""
    clinic = Clinic.objects.filter(slug=slug, public_page_on=True).first()
    if clinic is None:
        raise Http404("No such page")
    return clinic
