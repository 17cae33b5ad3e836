"""Writes for clinics and staff: logging in and out, and a clinic lead's staff changes."""

import time

from django.contrib.auth import login, logout
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction

from taut.accounts.models import Clinic, StaffSession, User
from taut.accounts.roles import Role
from taut.audit.models import Action
from taut.audit.services import record_event


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
