"""Writes for clinics and staff: logging in and out, a clinic lead's staff changes and the
clinic's settings."""

import time
from dataclasses import asdict

from django.contrib.auth import login, logout
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F

from taut.accounts.models import Clinic, StaffSession, User, plan_for_days
from taut.accounts.roles import Role
from taut.audit.models import Action
from taut.audit.queries import changes_since
from taut.audit.services import record_event
from taut.clinical import payer, schedule
from taut.lib.refusals import Conflict


def log_in(request, user: User) -> None:
    with transaction.atomic():
        login(request, user)
        now = time.time()
        request.session["taut_started"] = now
        request.session["taut_seen"] = now
        request.session.save()
        StaffSession.objects.get_or_create(user=user, session_key=request.session.session_key)
        record_event(action=Action.LOGIN, request=request, actor=user)


def log_out(request, *, reason: str = "user") -> None:
    user = request.user
    with transaction.atomic():
        StaffSession.objects.filter(session_key=request.session.session_key).delete()
        record_event(action=Action.LOGOUT, request=request, actor=user, details={"reason": reason})
        logout(request)


def record_failed_login(request, *, username: str, locked_out: bool) -> None:
    record_event(
        action=Action.LOGIN_FAILED,
        request=request,
        actor_username=username,
        details={"locked_out": locked_out},
    )


def end_sessions(user: User) -> int:
    """End every session ``user`` has open. Returns how many were ended."""
    keys = list(StaffSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    StaffSession.objects.filter(user=user).delete()
    return len(keys)


def create_clinic(*, name: str, slug: str, **contact) -> Clinic:
    clinic = Clinic(name=name, slug=slug, **contact)
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
    by: User | None,
    request=None,
) -> User:
    """Create a staff account. ``password`` must already have passed the validators."""
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
            action=Action.PRIVILEGE_CHANGE,
            request=request,
            actor=by,
            clinic_id=clinic.pk,
            object_type="user",
            object_id=str(member.public_id),
            details={"change": "created", "role": str(role)},
        )
    return member


def update_staff(*, member: User, role: Role, active: bool, by: User, request=None) -> list[str]:
    """Change a member's role and whether they may sign in. Returns what changed.

    Deactivating someone ends all their sessions at once. A lead cannot remove
    their own lead role or deactivate themselves (the clinic would be left
    without anyone who can manage staff).
    """
    if member.pk == by.pk and (role != Role.CLINIC_LEAD or not active):
        raise ValidationError("You cannot remove your own clinic lead role or deactivate yourself.")
    changes = []
    with transaction.atomic():
        if member.role != role:
            record_event(
                action=Action.PRIVILEGE_CHANGE,
                request=request,
                actor=by,
                object_type="user",
                object_id=str(member.public_id),
                details={"change": "role", "from": member.role, "to": str(role)},
            )
            member.role = role
            changes.append("role")
        if member.is_active != active:
            record_event(
                action=Action.PRIVILEGE_CHANGE,
                request=request,
                actor=by,
                object_type="user",
                object_id=str(member.public_id),
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


def change_password(*, request, form) -> None:
    """Save a validated PasswordChangeForm, keep this session and end the others."""
    from django.contrib.auth import update_session_auth_hash

    with transaction.atomic():
        user = form.save()
        keep = request.session.session_key
        others = StaffSession.objects.filter(user=user).exclude(session_key=keep)
        Session.objects.filter(session_key__in=others.values("session_key")).delete()
        others.delete()
        update_session_auth_hash(request, user)
        StaffSession.objects.filter(session_key=keep).update(
            session_key=request.session.session_key
        )
        record_event(
            action=Action.PRIVILEGE_CHANGE,
            request=request,
            object_type="user",
            object_id=str(user.public_id),
            details={"change": "password"},
        )


# -- Clinic settings ------------------------------------------------------------

CONTACT_FIELDS = ("name", "phone", "email", "address")
# Policy values are not patient data, so their audit entry keeps the old and new values.
POLICY_FIELDS = (
    "time_zone", "followup_days", "reconsider_after", "payer_policy", "weight_window_days",
    "function_percent", "function_min_points", "portal_passwords",
)  # fmt: skip
SETTINGS_FIELDS = CONTACT_FIELDS + POLICY_FIELDS


class ClinicConflict(Conflict):
    """Someone else saved the clinic's settings after this form was opened."""


def _stored_plan(items) -> list[int]:
    return schedule.plan_days(Clinic(followup_plan=items).plan())


def update_clinic_settings(*, clinic: Clinic, version, data: dict, by: User, request=None) -> list:
    """Save a clinic lead's changes to ``clinic``'s settings if nobody has since ``version``.

    ``data`` holds any of ``SETTINGS_FIELDS``; ``followup_days`` is the list of days after
    the session of the clinic's check-ins (``schedule.plan_from_days``; the default days
    store an empty plan, which means Taut's default). Bad values raise ValidationError
    naming each field, an unknown payer policy included; a stale ``version`` raises
    ClinicConflict naming who changed what. Nothing is saved then. Returns the names of the
    fields changed, audited with old and new values for policies (contact details by name
    only). Changes apply to sessions signed afterwards; check-ins already scheduled stay.
    """
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
                changes_since(object_type="clinic", object_id=clinic.public_id, version=version)
            )
        changes = {
            name: {"from": stored[name], "to": value}
            for name, value in changed.items()
            if name in POLICY_FIELDS
        }
        if "followup_plan" in changed:
            changes["followup_plan"] = {
                "from": _stored_plan(stored["followup_plan"]),
                "to": data["followup_days"],
            }
        record_event(
            action=Action.UPDATE,
            request=request,
            actor=by,
            clinic_id=clinic.pk,
            object_type="clinic",
            object_id=str(clinic.public_id),
            details={"fields": list(changed), "version": int(version) + 1, "changes": changes},
        )
    clinic.refresh_from_db()
    return list(changed)
