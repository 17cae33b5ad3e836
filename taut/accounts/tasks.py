"""The worker's task for account emails (reset links and security notices): a thin wrapper
taking the user's id; the work is in ``notices.send_notice``."""

from django.tasks import task

from taut.accounts.notices import Notice, send_notice


@task()
def send_account_email_task(user_id: int, notice: str) -> str:
    return send_notice(user_id=user_id, notice=Notice(notice))
