"""Reads for the schedule: a day's or a week's slots on the clinic's grid, with the visits
booked in them.

The grid comes from the clinic's settings (opening and closing time, slot length) and runs
on the clinic's clock; a visit booked off the grid shows in the slot it starts in, and a
visit before opening or after closing in the first or last slot.
"""

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.db.models.functions import TruncDate

from taut.accounts.models import Clinic, User
from taut.lib.dates import day_bounds
from taut.visits.models import Visit

WEEK_DAYS = 7
# Clinicians side by side on one page of the day view; the rest on the next pages.
COLUMNS_SHOWN = 6
# Visits one calendar page reads at most: far more than a page's slots hold (6 clinicians'
# days or one clinician's week, some 40 slots a day), so only an overbooked page is cut, and
# then it says so and points to the day list, which pages every visit.
VISITS_SHOWN = 300


@dataclass
class Cell:
    """One clinician's (day view) or one day's (week view) slot."""

    at: datetime
    clinician: User | None
    visits: list[Visit] = field(default_factory=list)
    busy: bool = False  # covered by a visit that started in an earlier slot
    past: bool = False

    @property
    def booking_query(self) -> str:
        """A free slot's link to booking: its moment and clinician (the schedule has a few
        hundred slots a page, cheaper made here than with template filters)."""
        clinician = self.clinician.public_id if self.clinician else ""
        return urlencode({"at": self.at.isoformat(), "clinician": clinician})

    @property
    def label(self) -> str:
        """The slot as a screen reader hears its link: "Sun 6 Dec 09:00 with Robin Example"."""
        who = f" with {self.clinician.display_name}" if self.clinician else ""
        return f"{self.at:%a %-d %b %H:%M}{who}"


@dataclass
class Row:
    label: str
    cells: list[Cell]


def parse_day(text: str | None, *, default: date) -> date:
    try:
        return date.fromisoformat(text) if text else default
    except ValueError:
        return default


def slot_starts(clinic: Clinic, day: date) -> list[datetime]:
    zone = clinic.zone()
    at = datetime.combine(day, clinic.opens_at, tzinfo=zone)
    closes = datetime.combine(day, clinic.closes_at, tzinfo=zone)
    step = timedelta(minutes=clinic.slot_minutes)
    starts = []
    while at < closes:
        starts.append(at)
        at = at + step
    return starts


def booked_between(
    clinic: Clinic, start: date, end: date, *, clinicians: list[User]
) -> QuerySet[Visit]:
    """The clinic's booked visits (not cancelled nor missed) from ``start`` up to ``end``
    (clinic days) for ``clinicians`` (all when empty)."""
    zone = clinic.zone()
    visits = (
        Visit.objects.filter(
            patient__clinic=clinic,
            scheduled_for__gte=day_bounds(start, zone)[0],
            scheduled_for__lt=day_bounds(end, zone)[0],
        )
        .exclude(state__in=(Visit.State.CANCELLED, Visit.State.NO_SHOW))
        .select_related("patient", "clinician")
        .order_by("scheduled_for")
    )
    return visits.filter(clinician__in=clinicians) if clinicians else visits


def booked_counts(
    clinic: Clinic, start: date, end: date, *, clinicians: list[User]
) -> dict[tuple[int | None, date], int]:
    """How many visits ``booked_between`` finds, per clinician and clinic day: one
    aggregate over the same range of the index, whatever a page then shows."""
    rows = (
        booked_between(clinic, start, end, clinicians=clinicians)
        .select_related(None)
        .order_by()
        .annotate(day=TruncDate("scheduled_for", tzinfo=clinic.zone()))
        .values_list("clinician", "day")
        .annotate(n=Count("id"))
    )
    return {(clinician, day): n for clinician, day, n in rows}


def _fill(cells: list[Cell], visits: list[Visit]) -> None:
    """Put each visit in the cell it starts in (the last one starting at or before it, the
    first for a visit before opening) and mark the later cells it runs over as busy."""
    if not cells:
        return
    starts = [cell.at for cell in cells]  # in time order
    for visit in visits:
        home = max(bisect_right(starts, visit.scheduled_for) - 1, 0)
        cells[home].visits.append(visit)
        ends = visit.ends_at
        for cell in cells[home + 1 : bisect_left(starts, ends)]:
            cell.busy = True


def day_rows(
    clinic: Clinic, day: date, *, clinicians: list[User], visits: list[Visit], now: datetime
) -> list[Row]:
    """One row per slot of ``day``, one cell per clinician."""
    starts = slot_starts(clinic, day)
    step = timedelta(minutes=clinic.slot_minutes)  # a slot under way can still be booked
    zone = clinic.zone()
    columns = []
    for clinician in clinicians:
        cells = [Cell(at=at, clinician=clinician, past=at + step <= now) for at in starts]
        _fill(cells, [v for v in visits if v.clinician_id == clinician.pk])
        columns.append(cells)
    return [
        Row(label=f"{at.astimezone(zone):%H:%M}", cells=[column[i] for column in columns])
        for i, at in enumerate(starts)
    ]


def week_rows(
    clinic: Clinic, monday: date, *, clinician: User, visits: list[Visit], now: datetime
) -> list[Row]:
    """One row per slot time, one cell per day of the week starting ``monday``."""
    step = timedelta(minutes=clinic.slot_minutes)
    zone = clinic.zone()
    columns = []
    for offset in range(WEEK_DAYS):
        day = monday + timedelta(days=offset)
        cells = [
            Cell(at=at, clinician=clinician, past=at + step <= now)
            for at in slot_starts(clinic, day)
        ]
        on_day = [v for v in visits if v.scheduled_for.astimezone(zone).date() == day]
        _fill(cells, on_day)
        columns.append(cells)
    labels = [f"{at.astimezone(zone):%H:%M}" for at in slot_starts(clinic, monday)]
    return [
        Row(label=label, cells=[column[i] for column in columns]) for i, label in enumerate(labels)
    ]
