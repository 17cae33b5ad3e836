"""Reads of the portal: what a patient's own page shows, and the links staff hand out.

Every function takes the patient the gate already resolved and reads only that patient's
records; the links are made fresh (``taut.links``), nothing about them is stored.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext

from taut import links
from taut.aftercare import queries as aftercare_queries
from taut.aftercare.intake_alerts import intake_assessment
from taut.aftercare.models import CheckIn
from taut.clinical import aftercare, checkins, urgency
from taut.lib.dates import day_text
from taut.lib.patient_words import checkin_name
from taut.outcomes import chart
from taut.outcomes import queries as outcomes
from taut.patients.models import Patient
from taut.portal.models import PatientLogin
from taut.visits.models import Intake, Visit
from taut.visits.models.visit import CLOSED_STATES

OPEN_STATUSES = (checkins.DueStatus.DUE, checkins.DueStatus.OVERDUE)


@dataclass(frozen=True)
class CheckInLink:
    checkin: CheckIn
    status: str  # a checkins.DueStatus value
    expires: datetime
    url: str  # empty once the link has expired (or when links are not being issued)
    expired: bool = False


@dataclass(frozen=True)
class Row:
    """One line of the progress table, in the patient's words."""

    day: date
    what: str
    nrs: int | None
    peg: float | None


@dataclass(frozen=True)
class Progress:
    chart: chart.Chart
    rows: tuple[Row, ...]
    first: Row | None  # the first and latest pain scores, for the summary sentence
    latest: Row | None


def _status(checkin: CheckIn, today: date) -> str:
    return str(checkins.due_status(checkin.due_on, today=today, completed=checkin.completed))


def checkin_path(checkin: CheckIn) -> str:
    """The check-in's portal address on this site (a fresh token)."""
    return reverse("portal:checkin", kwargs={"token": links.checkin_token(checkin)})


def checkins_for_patient(
    patient: Patient, *, today: date, now: datetime
) -> tuple[list[CheckInLink], CheckIn | None]:
    """The patient's open check-ins that are due or overdue and whose link is still open,
    and the next one to come (None: none is booked), from one read of the open ones."""
    items = (
        CheckIn.objects.filter(patient=patient, completed_at__isnull=True)
        .select_related("patient__clinic")
        .order_by("due_on", "id")
    )
    due, coming = [], None
    for checkin in items:
        if checkin.due_on > today:
            coming = coming or checkin
            continue
        expires = links.checkin_expiry(checkin)
        if _status(checkin, today) in OPEN_STATUSES and now < expires:
            due.append(
                CheckInLink(checkin, _status(checkin, today), expires, checkin_path(checkin))
            )
    return due, coming


def sessions_for_patient(patient: Patient) -> list[outcomes.Session]:
    """The patient's signed sessions, oldest first, read once for the home page's progress
    chart and its handout (``outcomes.sessions_for_patient``)."""
    return outcomes.sessions_for_patient(patient)


def latest_session(sessions: Sequence[outcomes.Session]) -> Visit | None:
    """The most recent of the patient's signed sessions (``outcomes.sessions_for_patient``,
    oldest first), or None."""
    return sessions[-1].visit if sessions else None


def intake_message(intake: Intake) -> urgency.Message | None:
    """What the patient reads after sending an intake whose answers need a call: the
    emergency instruction first (``urgency``); None when nothing does."""
    clinic = intake.visit.patient.clinic
    return urgency.message(
        intake_assessment(intake),
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        emergency_number=clinic.emergency_number,
    )


def handout_for(visit: Visit) -> aftercare.Instructions:
    """The same aftercare handout as the printed one, for this session."""
    return aftercare_queries.handout_for(visit)


def _what(point: outcomes.Point) -> str:
    """The row's name in the patient's language (the gate activated it)."""
    if point.label == "Intake":
        return gettext("Before your session")
    return capfirst(checkin_name(point.label))


def progress_for_patient(patient: Patient, sessions: Sequence[outcomes.Session]) -> Progress | None:
    """Pain and PEG over time with the patient's signed ``sessions`` marked (the outcomes
    chart), and its data."""
    points = outcomes.series_for_patient(patient, sessions)
    drawn = chart.draw(points, sessions, day_label=day_text)
    if drawn is None:
        return None
    rows = tuple(Row(p.day, _what(p), p.nrs, p.peg) for p in points)
    scored = [row for row in rows if row.nrs is not None]
    return Progress(
        chart=drawn,
        rows=rows,
        first=scored[0] if len(scored) > 1 else None,
        latest=scored[-1] if scored else None,
    )


# --- the staff side: links to hand out ------------------------------------------------------


@dataclass(frozen=True)
class VisitLink:
    visit: Visit
    expires: datetime
    url: str  # empty once the form is in (or when links are not being issued)
    done: bool  # the patient (or staff) already filled in the form


@dataclass(frozen=True)
class PatientLinks:
    checkins: tuple[CheckInLink, ...]
    visits: tuple[VisitLink, ...]
    home_url: str  # empty unless the links were issued
    home_expires: datetime
    more_checkins: bool = False  # open check-ins past the first CARD_CHECKINS
    more_visits: bool = False  # upcoming visits past the first CARD_VISITS

    def issued(self) -> list[dict[str, str]]:
        """What the audit trail records: which links were shown, not the tokens."""
        shown = [
            {"purpose": "checkin", "object": str(row.checkin.public_id)}
            for row in self.checkins
            if row.url
        ]
        shown += [
            {"purpose": "intake", "object": str(row.visit.public_id)}
            for row in self.visits
            if row.url
        ]
        return [*shown, {"purpose": "home", "object": ""}] if self.home_url else shown


# The most rows the staff card lists (the oldest open check-ins, the soonest visits): the
# Follow-up and Visits cards page the rest.
CARD_CHECKINS = 20
CARD_VISITS = 10


def links_for_patient(patient: Patient, *, today: date, now: datetime, issue: bool) -> PatientLinks:
    """The patient's open check-ins (the oldest CARD_CHECKINS) and upcoming visits (the
    soonest CARD_VISITS), with their links (full URLs) and the home page link when
    ``issue``; without, the same rows and no links."""
    rows = []
    items = CheckIn.objects.filter(patient=patient, completed_at__isnull=True).select_related(
        "visit", "patient__clinic"
    )
    # One row past the cap says whether there are more (no count).
    found = list(items.order_by("due_on", "id")[: CARD_CHECKINS + 1])
    for checkin in found[:CARD_CHECKINS]:
        expires = links.checkin_expiry(checkin)
        expired = now >= expires
        url = links.checkin_url(checkin) if issue and not expired else ""
        rows.append(CheckInLink(checkin, _status(checkin, today), expires, url, expired))
    visits = []
    upcoming = (
        Visit.objects.filter(patient=patient, scheduled_for__gt=now)
        .exclude(state__in=CLOSED_STATES)
        .select_related("patient", "intake")
        .order_by("scheduled_for", "id")
    )
    soonest = list(upcoming[: CARD_VISITS + 1])
    for visit in soonest[:CARD_VISITS]:
        done = getattr(visit, "intake", None) is not None
        url = links.intake_url(visit) if issue and not done else ""
        visits.append(VisitLink(visit, links.intake_expiry(visit), url, done))
    return PatientLinks(
        checkins=tuple(rows),
        visits=tuple(visits),
        more_checkins=len(found) > CARD_CHECKINS,
        more_visits=len(soonest) > CARD_VISITS,
        home_url=_home_url(patient, now) if issue else "",
        home_expires=links.home_expiry(now),
    )


def _home_url(patient: Patient, now: datetime) -> str:
    token = links.home_token(patient, now=now)
    return links.absolute(reverse("portal:home", kwargs={"token": token}))


def home_path(patient: Patient, *, now: datetime, lifetime: timedelta | None = None) -> str:
    """The patient's home page on this site, with a token made at ``now`` and open
    ``lifetime`` (by default PORTAL_HOME_DAYS)."""
    token = links.home_token(patient, now=now, lifetime=lifetime)
    return reverse("portal:home", kwargs={"token": token})


# --- the patient's password -------------------------------------------------------------------


def login_for_patient(patient: Patient) -> PatientLogin | None:
    """The patient's portal login, if they set a password (not a row that only counts the
    tries made before one was set)."""
    login = PatientLogin.objects.filter(patient=patient).first()
    return login if login is not None and login.has_password else None
