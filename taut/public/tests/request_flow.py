"""Requests made through the real service, as a visitor's form would."""

from datetime import date

from django.utils import timezone

from taut.accounts.actors import Actor
from taut.public import request_services as services


def visitor(**overrides) -> services.Visitor:
    fields = {
        "given_name": "José",
        "family_name": "Núñez",
        "date_of_birth": date(1975, 2, 14),
        "phone": "555 010 4242",
        "email": "jose.nunez@example.org",
        "language": "es",
        "preferred_time": "afternoons",
        "consent": True,
        "answers": None,
    }
    fields.update(overrides)
    return services.Visitor(**fields)


def visitor_actor(clinic, *, now=None, address="192.0.2.10") -> Actor:
    return Actor.visitor(clinic=clinic, now=now or timezone.now(), address=address)


def make_request(clinic, *, now=None, address="192.0.2.10", **overrides):
    return services.submit_request(
        clinic=clinic,
        visitor=visitor(**overrides),
        actor=visitor_actor(clinic, now=now, address=address),
    )
