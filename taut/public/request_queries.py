"""Reads of appointment requests: the clinic's open list, counts, and the registry's possible
matches for one request (never merged by themselves: staff choose)."""

from datetime import datetime

from django.db.models import QuerySet

from taut.accounts.models import Clinic
from taut.clinical import patient_education
from taut.lib.search import fold
from taut.patients.models import Patient
from taut.public.models import AppointmentRequest

# Patients offered as possible matches for one request: more would mean the name and date
# of birth do not tell people apart, and staff should search the registry instead.
MATCHES_SHOWN = 10


def open_requests_for_clinic(clinic: Clinic, *, now: datetime) -> QuerySet[AppointmentRequest]:
    """The clinic's requests still to call back, oldest first; expired ones are hidden (and
    deleted by ``taut purge-requests``)."""
    return AppointmentRequest.objects.filter(
        clinic=clinic, status=AppointmentRequest.Status.OPEN, expires_at__gt=now
    ).order_by("created_at", "id")


# The top bar's count stops here ("99+"): it reads at most this many ids, and no COUNT, on
# every staff page (the audit log's pages count nothing at all).
NAV_COUNT_CAP = 100


def open_count_label(clinic_id: int, *, now: datetime) -> str:
    """How many requests wait to be called back, as the top bar shows it ("" for none)."""
    ids = AppointmentRequest.objects.filter(
        clinic_id=clinic_id, status=AppointmentRequest.Status.OPEN, expires_at__gt=now
    ).values_list("id", flat=True)[:NAV_COUNT_CAP]
    count = len(ids)
    if count >= NAV_COUNT_CAP:
        return f"{NAV_COUNT_CAP - 1}+"
    return str(count) if count else ""


def name_key(given_name: str, family_name: str) -> tuple[str, str]:
    """How a match compares names: the folded family name (accents and case gone, as the
    registry's search compares them) and the folded first given name."""
    given = fold(given_name).split()
    return fold(family_name), given[0] if given else ""


def possible_matches(appointment_request: AppointmentRequest) -> list[Patient]:
    """Patients of the request's clinic born on the same day with the same family name and
    first given name, compared folded (``José`` and ``JOSE`` match; a different date of
    birth never does). Read from the (clinic, date of birth) index."""
    wanted = name_key(appointment_request.given_name, appointment_request.family_name)
    born = Patient.objects.filter(
        clinic_id=appointment_request.clinic_id, date_of_birth=appointment_request.date_of_birth
    ).order_by("family_name", "given_name", "pk")
    found = [p for p in born[:200] if name_key(p.given_name, p.family_name) == wanted]
    return found[:MATCHES_SHOWN]


def selfcheck_lines(appointment_request: AppointmentRequest) -> list[str]:
    """The attached self-check as plain English lines for staff
    (``patient_education.selfcheck_summary``), [] when none is attached, or one line saying
    the answers could not be read (stored by an older self-check)."""
    if appointment_request.answers is None:
        return []
    try:
        return patient_education.selfcheck_summary(appointment_request.answers)
    except ValueError:
        return ["The attached self-check answers could not be read: ask when you call."]
