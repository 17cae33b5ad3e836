from django.utils import timezone

from taut.audit.models import Action, AuditEvent


def changes_since(*, object_type: str, object_id: str, version: int) -> str:
    """Who changed which fields of a record after ``version``, from the audit trail.

    Used for conflict messages: field names and times only, never values.
    """
    updates = AuditEvent.objects.filter(
        action=Action.UPDATE,
        object_type=object_type,
        object_id=str(object_id),
        details__version__gt=version,
    ).order_by("id")  # in the order written: the latest may not be linked yet
    parts = []
    for event in updates:
        what = event.details.get("change") or ", ".join(
            name.replace("_", " ") for name in event.details.get("fields", [])
        )
        when = timezone.localtime(event.at).strftime("%H:%M on %d %b")
        parts.append(f"{event.actor_username} changed {what or 'the record'} at {when}")
    who = "; ".join(parts) or "Someone else saved this record"
    return (
        f"{who} after you opened this form. Your changes were not saved: review and re-enter them."
    )
