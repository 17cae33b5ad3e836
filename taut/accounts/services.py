"""Writes for clinics and staff: a clinic lead's staff changes and the clinic's settings.

Signing in and out live in ``sessions.py``: they work on the HTTP session itself."""

from dataclasses import asdict
from datetime import time
from typing import Any

from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from taut.accounts.actors import Actor
from taut.accounts.models import (
    STRUCTURE_SITES_MAX,
    Clinic,
    StaffSession,
    User,
    plan_for_days,
)
from taut.accounts.roles import Need, Role
from taut.audit.models import Action
from taut.audit.queries import changes_since
from taut.audit.services import record_event
from taut.clinical import payer, schedule
from taut.lib.refusals import Conflict, NotAllowed


def end_sessions(user: User) -> int:
    """End every session ``user`` has open. Returns how many were ended."""
    keys = list(StaffSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    StaffSession.objects.filter(user=user).delete()
    return len(keys)


def create_clinic(*, name: str, slug: str, require_mfa: bool = True, **contact: str) -> Clinic:
    clinic = Clinic(name=name, slug=slug, require_mfa=require_mfa, **contact)
    clinic.full_clean()
    clinic.save()
    return clinic


def add_staff(
    *,
    clinic: Clinic,
    username: str,
    first_name: str,
    last_name: str,
    email: str,
    role: Role,
    password: str,
    actor: Actor,
) -> User:
    """Create a staff account. ``password`` must already have passed the validators.

    ``actor`` is the clinic's lead (or Taut itself: the demo, a command, a test's cast)."""
    if actor.user is not None:
        actor.require(Need.MANAGE_STAFF, "Only a clinic lead adds staff.")
        if actor.clinic_id != clinic.pk:
            raise NotAllowed("Staff are added to your own clinic only.")
    member = User(
        clinic=clinic,
        username=username,
        first_name=first_name,
        last_name=last_name,
        email=email,
        role=role,
    )
    member.set_password(password)
    member.full_clean()
    with transaction.atomic():
        member.save()
        record_event(
            actor=actor,
            action=Action.PRIVILEGE_CHANGE,
            obj=member,
            clinic_id=clinic.pk,
            details={"change": "created", "role": str(role)},
        )
    return member


def update_staff(*, member: User, role: Role, active: bool, actor: Actor) -> list[str]:
    """Change a member's role and whether they may sign in. Returns what changed.

    Deactivating someone ends all their sessions at once. A lead cannot remove
    their own lead role or deactivate themselves (the clinic would be left
    without anyone who can manage staff).
    """
    actor.require(Need.MANAGE_STAFF, "Only a clinic lead changes staff.")
    if member.clinic_id != actor.clinic_id:
        raise NotAllowed("Staff of another clinic cannot be changed here.")
    if member.pk == actor.user_id and (role != Role.CLINIC_LEAD or not active):
        raise ValidationError("You cannot remove your own clinic lead role or deactivate yourself.")
    changes = []
    with transaction.atomic():
        if member.role != role:
            record_event(
                actor=actor,
                action=Action.PRIVILEGE_CHANGE,
                obj=member,
                details={"change": "role", "from": member.role, "to": str(role)},
            )
            member.role = role
            changes.append("role")
        if member.is_active != active:
            record_event(
                actor=actor,
                action=Action.PRIVILEGE_CHANGE,
                obj=member,
                details={"change": "activated" if active else "deactivated"},
            )
            member.is_active = active
            changes.append("active")
        if changes:
            member.full_clean()
            member.save(update_fields=["role", "is_active"])
            if not active:
                end_sessions(member)
    return changes


# -- Clinic settings ------------------------------------------------------------

CONTACT_FIELDS = ("name", "phone", "email", "address")
# Policy values are not patient data, so their audit entry keeps the old and new values.
POLICY_FIELDS = (
    "time_zone", "followup_days", "reconsider_after", "payer_policy", "weight_window_days",
    "function_percent", "function_min_points", "portal_passwords", "emergency_number",
    "observation_minutes", "steroid_limit_mg", "opens_at", "closes_at", "slot_minutes",
    "require_lot_expiry", "appointment_request_days", "structure_sites_per_session",
    "require_mfa",
)  # fmt: skip
# The public page (issue 14): switched on or off (audited with old and new values) and the
# lead's local paragraphs (audited by name, like contact details).
PUBLIC_PAGE_FIELDS = ("public_page_on", "public_figures_on", "public_note_en", "public_note_es")
SETTINGS_FIELDS = CONTACT_FIELDS + POLICY_FIELDS + PUBLIC_PAGE_FIELDS


class ClinicConflict(Conflict):
    """Someone else saved the clinic's settings after this form was opened."""


def _plain(value: Any) -> Any:
    """A setting's value as the audit trail stores it (times as "HH:MM")."""
    return value.strftime("%H:%M") if isinstance(value, time) else value


def _stored_plan(items: list[dict[str, Any]]) -> list[int]:
    return schedule.plan_days(Clinic(followup_plan=items).plan())


def _check_structure_limit(value: Any) -> None:
    """The clinic's own limit on ligament and tendon sites: None (no limit) or a whole
    number from 1 to ``STRUCTURE_SITES_MAX``."""
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, int)
        or not 1 <= value <= STRUCTURE_SITES_MAX
    ):
        raise ValidationError(
            {
                "structure_sites_per_session": (
                    f"The clinic's limit on ligament and tendon sites in one session must be a "
                    f"whole number from 1 to {STRUCTURE_SITES_MAX}, or empty for no limit "
                    f"(got {value!r})."
                )
            }
        )


def update_clinic_settings(
    *, clinic: Clinic, version: int | str | None, data: dict[str, Any], actor: Actor
) -> list[str]:
    """Save a clinic lead's changes to ``clinic``'s settings if nobody has since ``version``.

    ``data`` holds any of ``SETTINGS_FIELDS``; ``followup_days`` is the list of days after
    the session of the clinic's check-ins (``schedule.plan_from_days``; the default days
    store an empty plan, which means Taut's default). Bad values raise ValidationError
    naming each field, an unknown payer policy included; a stale ``version`` raises
    ClinicConflict naming who changed what. Nothing is saved then. Returns the names of the
    fields changed, audited with old and new values for policies (contact details by name
    only). Changes apply to sessions signed afterwards; check-ins already scheduled stay.
    """
    actor.require(Need.MANAGE_STAFF, "Only a clinic lead changes the clinic's settings.")
    if actor.clinic_id != clinic.pk:
        raise NotAllowed("Only your own clinic's settings can be changed.")
    unknown = sorted(set(data) - set(SETTINGS_FIELDS))
    if unknown:
        raise ValueError(f"data: not clinic settings: {', '.join(unknown)}")
    if version in (None, ""):
        raise ClinicConflict("This form is missing its version: reload the page and try again.")
    values = {name: value for name, value in data.items() if name != "followup_days"}
    if "followup_days" in data:
        try:
            plan = plan_for_days(data["followup_days"])
        except ValidationError as error:
            raise ValidationError({"followup_days": error.messages}) from None
        default = plan.checkpoints == schedule.DEFAULT_PLAN.checkpoints
        values["followup_plan"] = [] if default else [asdict(p) for p in plan.checkpoints]
    if "payer_policy" in values and values["payer_policy"] not in payer.POLICIES:
        known = ", ".join(payer.POLICIES)
        raise ValidationError({"payer_policy": f"Choose one of the payer policies ({known})."})
    if "structure_sites_per_session" in values:
        _check_structure_limit(values["structure_sites_per_session"])
    with transaction.atomic():
        stored = Clinic.objects.filter(pk=clinic.pk).values(*values).get()
        changed = {name: value for name, value in values.items() if stored[name] != value}
        if not changed:
            return []
        candidate = Clinic.objects.get(pk=clinic.pk)
        for name, value in changed.items():
            setattr(candidate, name, value)
        candidate.full_clean(validate_unique=False)
        rows = Clinic.objects.filter(pk=clinic.pk, version=int(version)).update(
            **changed, version=F("version") + 1
        )
        if rows == 0:
            raise ClinicConflict(
                changes_since(
                    object_type="clinic", object_id=str(clinic.public_id), version=int(version)
                )
            )
        changes = {
            name: {"from": _plain(stored[name]), "to": _plain(value)}
            for name, value in changed.items()
            if name in POLICY_FIELDS or name in ("public_page_on", "public_figures_on")
        }
        if "followup_plan" in changed:
            changes["followup_plan"] = {
                "from": _stored_plan(stored["followup_plan"]),
                "to": data["followup_days"],
            }
        record_event(
            actor=actor,
            action=Action.UPDATE,
            obj=clinic,
            clinic_id=clinic.pk,
            details={"fields": list(changed), "version": int(version) + 1, "changes": changes},
        )
    clinic.refresh_from_db()
    return list(changed)
