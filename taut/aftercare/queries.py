"""Reads of the aftercare app, with their own ``select_related``."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db.models import Case, QuerySet, Value, When

from taut.accounts.models import Clinic
from taut.aftercare.models import Alert, CheckIn
from taut.clinical import aftercare, checkins
from taut.clinical.schedule import Checkpoint
from taut.patients.models import Patient
from taut.visits.models import Goal, InjectionSite, Intake, Visit


@dataclass(frozen=True)
class SessionFacts:
    """What the aftercare rules need to know about a session."""

    sites: tuple[tuple[str, str], ...]  # (muscle id, side)
    agents: tuple[str, ...]  # the local anaesthetics given
    goals: tuple[Goal, ...]  # the visit's active goals
    steroid: bool = False  # a corticosteroid was given at a site
    steroid_sites: tuple[str, ...] = ()  # the atlas ids of the sites given a corticosteroid
    diabetes: bool = False  # the intake says the patient has diabetes
    blood_thinner: bool = False  # the intake says they take an anticoagulant or antiplatelet

    @property
    def steroid_and_diabetes(self) -> bool:
        return self.steroid and self.diabetes

    @property
    def site_reminder(self) -> aftercare.Reminder | None:
        """The handout's ligament and tendon advice, for a check-in page (None: none)."""
        return aftercare.checkin_reminder(
            [site for site, _ in self.sites], steroid=self.steroid, steroid_sites=self.steroid_sites
        )


def session_facts(visit: Visit) -> SessionFacts:
    sites = InjectionSite.objects.filter(procedure__visit=visit).order_by("id")
    goals = Goal.objects.filter(visit=visit, active=True).order_by("id")
    intake = Intake.objects.filter(visit=visit).first()
    return SessionFacts(
        sites=tuple((s.muscle, s.side) for s in sites),
        agents=tuple(
            dict.fromkeys(
                s.agent for s in sites if s.kind == InjectionSite.Kind.ANAESTHETIC and s.agent
            )
        ),
        goals=tuple(goals),
        steroid=any(s.steroid for s in sites),
        steroid_sites=tuple(dict.fromkeys(s.muscle for s in sites if s.steroid)),
        diabetes=bool(intake and (intake.diabetes or intake.diabetes_poorly_controlled)),
        blood_thinner=bool(intake and intake.anticoagulant_or_antiplatelet),
    )


def handout_for(visit: Visit) -> aftercare.Instructions:
    """The aftercare handout of a session, as printed and as the portal shows it: its sites,
    anaesthetics and steroid, the patient's blood thinner and diabetes from the intake, and
    the clinic's name, phone and emergency number."""
    facts = session_facts(visit)
    clinic = visit.patient.clinic
    return aftercare.instructions(
        facts.sites,
        agents=facts.agents,
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
        emergency_number=clinic.emergency_number,
        steroid=facts.steroid,
        blood_thinner=facts.blood_thinner,
        diabetes=facts.diabetes,
        steroid_sites=facts.steroid_sites,
    )


def checkpoint_for(checkin: CheckIn) -> Checkpoint:
    return Checkpoint(checkin.checkpoint, checkin.offset_days, checkin.label)


def questions_for(checkin: CheckIn) -> tuple[tuple[checkins.Question, ...], SessionFacts]:
    facts = session_facts(checkin.visit)
    asked = checkins.questions(
        checkpoint_for(checkin),
        sites=facts.sites,
        agents=facts.agents,
        has_goals=bool(facts.goals),
        steroid_and_diabetes=facts.steroid_and_diabetes,
        steroid_sites=facts.steroid_sites,
    )
    return asked, facts


@dataclass(frozen=True)
class CheckInRow:
    checkin: CheckIn
    status: str  # a checkins.DueStatus value


def _rows(items: Iterable[CheckIn], *, today: date) -> list[CheckInRow]:
    return [
        CheckInRow(c, str(checkins.due_status(c.due_on, today=today, completed=c.completed)))
        for c in items
    ]


def followed_up_visits(patient: Patient) -> QuerySet[Visit]:
    """The patient's sessions that have check-ins, newest first (from the visits'
    (patient, scheduled_for) index), as a query a card pages."""
    return Visit.objects.filter(
        patient=patient, pk__in=CheckIn.objects.filter(patient=patient).values("visit_id")
    ).order_by("-scheduled_for", "-id")


def sessions_for_visits(
    visits: Sequence[Visit], *, today: date
) -> list[tuple[Visit, list[CheckInRow]]]:
    """The check-ins of ``visits`` (one page of sessions) grouped by session, in the order
    of ``visits``: one query, however many sessions the patient has had."""
    sessions: dict[int, list[CheckInRow]] = {visit.pk: [] for visit in visits}
    items = (
        CheckIn.objects.filter(visit__in=list(sessions))
        .select_related("recorded_by")
        .order_by("due_on", "id")
    )
    for row in _rows(items, today=today):
        sessions[row.checkin.visit_id].append(row)
    return [(visit, sessions[visit.pk]) for visit in visits]


def open_alerts_for_patient(patient: Patient) -> QuerySet[Alert]:
    return Alert.objects.filter(patient=patient, acknowledged_at__isnull=True).select_related(
        "checkin"
    )


def open_alerts_for_clinic(clinic: Clinic) -> list[Alert]:
    """Open alerts of the clinic, urgent first, oldest first within a severity."""
    alerts = Alert.objects.filter(
        patient__clinic=clinic, acknowledged_at__isnull=True
    ).select_related("patient", "checkin")
    return sorted(alerts, key=lambda a: (a.severity != Alert.Severity.URGENT, a.raised_at, a.pk))


def open_alerts_page_for_clinic(clinic: Clinic) -> QuerySet[Alert]:
    """Open alerts of the clinic in the order ``open_alerts_for_clinic`` gives, as a query
    a page can slice (a count and one page of rows, however many are open)."""
    urgent_first = Case(When(severity=Alert.Severity.URGENT, then=Value(0)), default=Value(1))
    return (
        Alert.objects.filter(patient__clinic=clinic, acknowledged_at__isnull=True)
        .select_related("patient", "checkin")
        .order_by(urgent_first, "raised_at", "pk")
    )


def checkins_to_chase_by_status(clinic: Clinic, *, today: date) -> dict[str, QuerySet[CheckIn]]:
    """The clinic's open check-ins that are overdue and due on ``today``, one query each
    to page (the grouping of ``checkins_to_chase``, by ``checkins.overdue_before``)."""
    first_due = checkins.overdue_before(today=today)
    open_ = (
        CheckIn.objects.filter(patient__clinic=clinic, completed_at__isnull=True)
        .select_related("patient", "visit")
        .order_by("due_on", "id")
    )
    return {
        "overdue": open_.filter(due_on__lt=first_due),
        "due": open_.filter(due_on__gte=first_due, due_on__lte=today),
    }


def checkins_to_chase(clinic: Clinic, *, today: date) -> dict[str, list[CheckInRow]]:
    """The clinic's open check-ins that are due or overdue on ``today``."""
    items = (
        CheckIn.objects.filter(patient__clinic=clinic, completed_at__isnull=True, due_on__lte=today)
        .select_related("patient", "visit")
        .order_by("due_on", "id")
    )
    found: dict[str, list[CheckInRow]] = {"overdue": [], "due": []}
    for row in _rows(items, today=today):
        if row.status in found:
            found[row.status].append(row)
    return found
