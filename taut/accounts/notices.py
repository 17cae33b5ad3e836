"""Emails to a member of staff about their own account, sent by ``taut worker``
(``send_account_email_task``, queued by ``notify_security_change`` and ``recovery``).

A password reset link (asked for on the sign-in page, or sent by their clinic lead), and a
notice when their password or second factor changes, so someone whose account was taken
over hears of it. A notice holds no secret: no password, no code, no link that signs in;
it says what changed and when, and whom to tell if it was not them.

The reset link's token is Django's (``default_token_generator``): signed with the user's
password hash and last sign-in, so it stops working once used or once the password changes
by any means, and after PASSWORD_RESET_TIMEOUT seconds. It is made here, by the worker,
when the email is sent, and never stored.
"""

from collections.abc import Callable
from enum import StrEnum

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMessage
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from taut.accounts.models import User


class Notice(StrEnum):
    RESET_LINK = "reset_link"  # asked for on the sign-in page
    RESET_BY_LEAD = "reset_by_lead"  # sent by their clinic lead
    PASSWORD_CHANGED = "password_changed"  # noqa: S105  a kind of email, not a password
    PASSWORD_RESET = "password_reset"  # noqa: S105  a reset link was used
    MFA_ADDED = "mfa_added"
    MFA_REMOVED = "mfa_removed"
    MFA_RESET = "mfa_reset"  # their clinic lead removed every second factor
    RECOVERY_CODES = "recovery_codes"  # new recovery codes were made


SUBJECTS = {
    Notice.RESET_LINK: "Taut: reset your password",
    Notice.RESET_BY_LEAD: "Taut: your clinic lead sent you a password reset",
    Notice.PASSWORD_CHANGED: "Taut: your password was changed",
    Notice.PASSWORD_RESET: "Taut: your password was reset",
    Notice.MFA_ADDED: "Taut: a sign-in method was added to your account",
    Notice.MFA_REMOVED: "Taut: a sign-in method was removed from your account",
    Notice.MFA_RESET: "Taut: your two-step sign-in was reset by your clinic lead",
    Notice.RECOVERY_CODES: "Taut: new recovery codes were made for your account",
}
WITH_LINK = {Notice.RESET_LINK, Notice.RESET_BY_LEAD}


def reset_url(user: User) -> str:
    """The one-use link that lets ``user`` choose a new password, on Taut's configured
    address (PORTAL_BASE_URL), never on the Host header of whoever asked."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.PORTAL_BASE_URL.rstrip("/") + path


def message_for(user: User, notice: Notice) -> EmailMessage:
    context = {
        "user": user,
        "notice": str(notice),
        "url": reset_url(user) if notice in WITH_LINK else "",
        "minutes": settings.PASSWORD_RESET_TIMEOUT // 60,
        "sign_in": settings.PORTAL_BASE_URL.rstrip("/") + reverse("accounts:login"),
    }
    body = render_to_string("accounts/email/account_notice.txt", context)
    return EmailMessage(subject=SUBJECTS[notice], body=body.strip() + "\n", to=[user.email])


def deliver_by_mail(message: EmailMessage) -> None:
    message.send()


def send_notice(
    *, user_id: int, notice: Notice, deliver: Callable[[EmailMessage], None] = deliver_by_mail
) -> str:
    """Send one account email now. A reset link goes only to an active member who may sign
    in with a password (the account may have changed since it was asked for)."""
    user = User.objects.filter(pk=user_id).first()
    if user is None or not user.email:
        return "skipped"
    if notice in WITH_LINK and not (user.is_active and user.has_usable_password()):
        return "skipped"
    deliver(message_for(user, notice))
    return "sent"


@task()
def send_account_email_task(user_id: int, notice: str) -> str:
    """The worker's task: a thin wrapper taking the user's id."""
    return send_notice(user_id=user_id, notice=Notice(notice))


def notify_security_change(*, user: User, what: Notice) -> None:
    """Email ``user`` a notice that their password or second factor changed (no secrets).

    Call it inside the transaction of the change: the email is queued with it (a row of the
    worker's database queue) and sent once the change commits. Users without an address
    are skipped. MFA's services (decision 0031) call it with ``MFA_ADDED``,
    ``MFA_REMOVED`` and ``RECOVERY_CODES``."""
    if user.email:
        send_account_email_task.enqueue(user.pk, str(what))
