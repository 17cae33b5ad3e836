"""Who acts, from where, and when: built once at the edge and handed to every service.

A gate (``staff_view``, ``patient_view``, the portal's ``portal_view``) or another edge (the
worker's task, a management command, the demo) builds one ``Actor`` for the request or job.
Services take it as ``actor=`` instead of the request (docs/decisions/0008-actors-and-clocks.md):

- it names who acts for the records a service writes (``actor.user``) and for the audit
  trail (``taut.audit.services.record_event``), with the client's address;
- it says what their role allows (``actor.may(need)``, ``actor.require(need, why)``), so a
  service re-checks the role itself rather than trusting the view;
- it carries the moment of the request (``actor.now``) and the clinic's day
  (``actor.today``, in the clinic's time zone), so no service reads the clock.
"""

import zoneinfo
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import Self

from django.conf import settings

from taut.accounts.models import Clinic, User
from taut.accounts.roles import Need, has_need
from taut.lib.refusals import NotAllowed

PORTAL_LABEL = "patient (portal)"
VISITOR_LABEL = "visitor (public page)"


@dataclass(frozen=True)
class Actor:
    """Who acts (a member of staff, a patient in the portal, the worker), from which
    address, at which moment (``now``, aware) and by which clinic's clock (``zone``)."""

    label: str
    now: datetime
    zone: zoneinfo.ZoneInfo
    user: User | None = None
    clinic_id: int | None = None
    patient_id: int | None = None  # the patient acting through the portal
    address: str = ""

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("now: an aware datetime is needed (timezone.now()).")

    @property
    def role(self) -> str:
        return self.user.role if self.user is not None else ""

    @property
    def user_id(self) -> int | None:
        return self.user.pk if self.user is not None else None

    @property
    def today(self) -> date:
        """The clinic's day at ``now``: what "today" means for every rule and record."""
        return self.now.astimezone(self.zone).date()

    def may(self, need: Need) -> bool:
        """Whether this actor's role grants ``need`` (patients and the worker hold none)."""
        return self.user is not None and has_need(self.user, need)

    def require(self, need: Need, why: str) -> None:
        """Refuse (``NotAllowed``, shown as 403) unless the role grants ``need``."""
        if not self.may(need):
            raise NotAllowed(why)

    def at(self, now: datetime) -> Self:
        """The same actor at another moment (the demo writes its history this way)."""
        return replace(self, now=now)

    @classmethod
    def staff(cls, user: User, *, now: datetime, address: str = "") -> Self:
        """A signed-in member of staff, by their clinic's clock."""
        clinic = user.clinic if user.clinic_id else None
        return cls(
            label=user.get_username(),
            now=now,
            zone=_zone(clinic),
            user=user,
            clinic_id=user.clinic_id,
            address=address,
        )

    @classmethod
    def patient(cls, *, patient_id: int, clinic: Clinic, now: datetime, address: str) -> Self:
        """A patient acting through the portal (not a user: named as such in the trail)."""
        return cls(
            label=PORTAL_LABEL,
            now=now,
            zone=_zone(clinic),
            clinic_id=clinic.pk,
            patient_id=patient_id,
            address=address,
        )

    @classmethod
    def system(cls, label: str, *, now: datetime, clinic: Clinic | None = None) -> Self:
        """Taut itself (the worker, a command), by ``clinic``'s clock when it has one."""
        return cls(
            label=label, now=now, zone=_zone(clinic), clinic_id=clinic.pk if clinic else None
        )

    @classmethod
    def visitor(cls, *, clinic: Clinic, now: datetime, address: str) -> Self:
        """Someone not signed in using a clinic's public page (an appointment request), by
        that clinic's clock."""
        return cls(label=VISITOR_LABEL, now=now, zone=_zone(clinic), clinic_id=clinic.pk,
                   address=address)  # fmt: skip

    @classmethod
    def anonymous(cls, label: str, *, now: datetime, address: str) -> Self:
        """Someone not signed in (a failed login names the username tried)."""
        return cls(label=label[:150], now=now, zone=_zone(None), address=address)


def _zone(clinic: Clinic | None) -> zoneinfo.ZoneInfo:
    return clinic.zone() if clinic is not None else zoneinfo.ZoneInfo(settings.TIME_ZONE)
