"""Signed, expiring, single-patient links: how a patient reaches the portal.

Below both the portal (whose gate reads them) and the reminders (whose emails carry them),
so neither of those depends on the other.

A link carries a token made with ``django.core.signing`` (HMAC with SECRET_KEY and a
salt per purpose, so a token made for one purpose is refused for another). The token names
the patient, the one record it opens and when it expires. Nothing is stored: a token that
was altered fails its signature; an old one fails its expiry; one whose record is already
done (a completed check-in, a submitted intake) is refused by the portal's gate
(``taut/portal/access.py``).
"""

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

SALT = "taut.portal.link."


class Purpose(StrEnum):
    CHECKIN = "checkin"  # one check-in: object is the CheckIn's public_id
    INTAKE = "intake"  # the pre-visit intake and pain drawing: object is the Visit's public_id
    HOME = "home"  # the patient's aftercare and progress: object is the Patient's public_id


class LinkRefused(Exception):
    """A link that opens nothing. ``reason`` is one of ``MESSAGES``."""

    def __init__(self, reason: str):
        self.reason = reason
        super().__init__(MESSAGES[reason])

    @property
    def message(self) -> str:
        """In the active language (the portal's gate chose it)."""
        return gettext(MESSAGES[self.reason])


# What the patient reads; none of it says whose link it was or what it pointed at.
MESSAGES = {
    "invalid": gettext_noop(
        "This link is not valid. Please use the most recent link the clinic sent you, "
        "or call the clinic."
    ),
    "expired": gettext_noop("This link has expired. Please call the clinic and ask for a new one."),
    "used": gettext_noop(
        "This has already been sent. Thank you. You do not need to do anything else."
    ),
    "closed": gettext_noop("This is no longer open. Please call the clinic if you need anything."),
}


@dataclass(frozen=True)
class Link:
    purpose: Purpose
    patient_id: str  # Patient.public_id
    object_id: str
    expires: datetime


def make_token(*, purpose: Purpose, patient, object_id, expires: datetime) -> str:
    payload = {
        "p": str(patient.public_id),
        "o": str(object_id),
        "e": int(expires.timestamp()),
    }
    return signing.dumps(payload, salt=SALT + str(purpose))


def read_token(token: str, *, purpose: Purpose, now: datetime) -> Link:
    """The link in ``token`` at ``now``, or ``LinkRefused`` ("invalid" or "expired")."""
    try:
        payload = signing.loads(token, salt=SALT + str(purpose))
    except signing.BadSignature:
        raise LinkRefused("invalid") from None
    if not isinstance(payload, dict) or not {"p", "o", "e"} <= set(payload):
        raise LinkRefused("invalid")
    try:
        expires = datetime.fromtimestamp(int(payload["e"]), tz=UTC)
    except (TypeError, ValueError, OverflowError):
        raise LinkRefused("invalid") from None
    if now >= expires:
        raise LinkRefused("expired")
    return Link(Purpose(purpose), str(payload["p"]), str(payload["o"]), expires)


def _end_of_day(day, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time.max, tzinfo=zone)


def checkin_expiry(checkin) -> datetime:
    """A check-in link stays open PORTAL_CHECKIN_GRACE_DAYS after the check-in is due, to
    the end of that day in the clinic's time zone (where its reminder was sent)."""
    last_day = checkin.due_on + timedelta(days=settings.PORTAL_CHECKIN_GRACE_DAYS)
    return _end_of_day(last_day, checkin.patient.clinic.zone())


def intake_expiry(visit) -> datetime:
    """A pre-visit link closes when the visit starts."""
    return visit.scheduled_for


def home_expiry(now: datetime, *, lifetime: timedelta | None = None) -> datetime:
    """A home link made at ``now`` stays open ``lifetime``, by default PORTAL_HOME_DAYS."""
    if lifetime is None:
        lifetime = timedelta(days=settings.PORTAL_HOME_DAYS)
    return now + lifetime


def thanks_lifetime() -> timedelta:
    """How long the home link on a check-in's "thank you" page stays open: short, as whoever
    answered a (perhaps forwarded) check-in link gets it (PORTAL_THANKS_LINK_HOURS)."""
    return timedelta(hours=settings.PORTAL_THANKS_LINK_HOURS)


def checkin_token(checkin) -> str:
    return make_token(
        purpose=Purpose.CHECKIN,
        patient=checkin.patient,
        object_id=checkin.public_id,
        expires=checkin_expiry(checkin),
    )


def intake_token(visit) -> str:
    return make_token(
        purpose=Purpose.INTAKE,
        patient=visit.patient,
        object_id=visit.public_id,
        expires=intake_expiry(visit),
    )


def home_token(patient, *, now: datetime, lifetime: timedelta | None = None) -> str:
    return make_token(
        purpose=Purpose.HOME,
        patient=patient,
        object_id=patient.public_id,
        expires=home_expiry(now, lifetime=lifetime),
    )


def absolute(path: str) -> str:
    """A full URL for an email: PORTAL_BASE_URL (e.g. https://taut.example.org) + path."""
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def checkin_url(checkin) -> str:
    return absolute(reverse("portal:checkin", kwargs={"token": checkin_token(checkin)}))


def intake_url(visit) -> str:
    return absolute(reverse("portal:intake", kwargs={"token": intake_token(visit)}))


def home_url(patient, *, now: datetime) -> str:
    return absolute(reverse("portal:home", kwargs={"token": home_token(patient, now=now)}))
