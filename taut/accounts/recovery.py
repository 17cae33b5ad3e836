"""Getting back into an account: password reset by email, a clinic lead's reset of a
member's password or second factor, and the emails that tell staff their account changed
(docs/decisions/0032-password-reset-and-breached-passwords.md).

Every write here is audited. The trail never holds an address typed on the reset page that
belongs to nobody: such a request is recorded without it. Emails go through the worker's
database queue (``notices.send_account_email_task``), committed with the change, so the
answer to "reset my password" takes about as long whether or not the address is known
(no mail server is spoken to during the request).
"""

from datetime import timedelta

from axes.utils import reset as reset_lockout
from django.contrib.auth.forms import PasswordResetForm, SetPasswordForm
from django.db import transaction

from taut.accounts import mfa, throttles
from taut.accounts.actors import Actor
from taut.accounts.models import User
from taut.accounts.notices import Notice, notify_security_change, send_account_email_task
from taut.accounts.roles import Need
from taut.accounts.services import end_sessions
from taut.audit.models import Action, AuditEvent
from taut.audit.services import record_event
from taut.lib.refusals import NotAllowed

# Asked for again within this time, a reset link is not sent again (the first still works):
# nobody can fill a member's inbox from the sign-in page.
RESET_EMAIL_GAP = timedelta(minutes=5)

# Reset requests from one client address: enough for a clinic whose staff share one address,
# too few to probe many email addresses (decision 0033's shared counts).
RESET_LIMIT = throttles.Limit("password-reset-address", 20, 3600)

# How a clinic lead checked the identity of a member before resetting their second factor.
IDENTITY_CHECKS = {
    "in_person": "In person, with photo ID",
    "video_call": "On a video call, with photo ID",
    "call_back": "By calling back the number on file",
}


def request_password_reset(*, form: PasswordResetForm, actor: Actor) -> None:
    """Email a reset link to each active member whose address is the one given (a valid
    ``PasswordResetForm``). The caller answers the same whatever happens here.

    Audited: for each member, an event about them in their clinic; for an address that
    matches nobody, one event that says so without the address. Past ``RESET_LIMIT`` for
    the client's address, ``throttles.Throttled`` before any look-up."""
    try:
        throttles.take(RESET_LIMIT, actor.address or "-", now=actor.now)
    except throttles.Throttled as error:
        if error.audited:  # the first refusal of the window
            record_event(
                actor=actor,
                action=Action.DENIED,
                object_type="user",
                details={"change": "password_reset_requested", "throttled": error.scope},
            )
        raise
    users = list(form.get_users(form.cleaned_data["email"]))
    with transaction.atomic():
        for user in users:
            again = _recently_sent(user, actor)
            record_event(
                actor=actor,
                action=Action.PRIVILEGE_CHANGE,
                obj=user,
                clinic_id=user.clinic_id,
                details={"change": "password_reset_requested", "by": "email", "sent": not again},
            )
            if not again:
                send_account_email_task.enqueue(user.pk, str(Notice.RESET_LINK))
        if not users:
            record_event(
                actor=actor,
                action=Action.DENIED,
                object_type="user",
                details={"change": "password_reset_requested", "matched": False},
            )


def _recently_sent(user: User, actor: Actor) -> bool:
    """Whether a reset link went to ``user`` from the sign-in page within the gap."""
    return AuditEvent.objects.filter(
        clinic_id=user.clinic_id,
        object_type="user",
        object_id=str(user.public_id),
        at__gte=actor.now - RESET_EMAIL_GAP,
        details__change="password_reset_requested",
        details__sent=True,
    ).exists()


def _require_lead_of(member: User, actor: Actor, why: str) -> None:
    actor.require(Need.MANAGE_STAFF, why)
    if member.clinic_id != actor.clinic_id:
        raise NotAllowed("Staff of another clinic cannot be changed here.")


def send_password_reset(*, member: User, actor: Actor) -> None:
    """A clinic lead sends ``member`` a reset link by email. Their password stays as it is
    until they use the link (the lead never sees or sets it)."""
    _require_lead_of(member, actor, "Only a clinic lead sends a password reset.")
    if not member.email:
        raise ValueError("member: has no email address to send a reset link to.")
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.PRIVILEGE_CHANGE,
            obj=member,
            details={"change": "password_reset_requested", "by": "clinic_lead"},
        )
        send_account_email_task.enqueue(member.pk, str(Notice.RESET_BY_LEAD))


def complete_password_reset(*, form: SetPasswordForm, actor: Actor) -> User:
    """Save the new password chosen through a reset link (a valid ``SetPasswordForm``),
    end every session of the account, lift its sign-in lockout (the new password may be
    used at once), audit it and email the member a notice.

    The link stops working at once: its token was signed with the old password's hash."""
    with transaction.atomic():
        user = form.save()
        ended = end_sessions(user)
        reset_lockout(username=user.get_username())
        record_event(
            actor=actor,
            action=Action.PRIVILEGE_CHANGE,
            obj=user,
            clinic_id=user.clinic_id,
            details={"change": "password_reset", "sessions_ended": ended},
        )
        notify_security_change(user=user, what=Notice.PASSWORD_RESET)
    return user


def reset_mfa(*, member: User, identity_check: str, actor: Actor) -> int:
    """A clinic lead removes every second factor of ``member`` after checking who they are
    (``identity_check``: one of ``IDENTITY_CHECKS``), e.g. when a phone was lost. Their
    sessions end; they enrol again at their next sign-in. Audited and emailed."""
    _require_lead_of(member, actor, "Only a clinic lead resets two-step sign-in.")
    if identity_check not in IDENTITY_CHECKS:
        raise ValueError(f"identity_check: must be one of {', '.join(IDENTITY_CHECKS)}.")
    with transaction.atomic():
        record_event(
            actor=actor,
            action=Action.PRIVILEGE_CHANGE,
            obj=member,
            details={"change": "mfa_reset_identity_checked", "identity_check": identity_check},
        )
        removed = mfa.reset_mfa(member=member, actor=actor)  # audited, sessions ended
        notify_security_change(user=member, what=Notice.MFA_RESET)
    return removed
