from datetime import datetime, time, timedelta

from django.utils import timezone

from taut.accounts.models import User
from taut.audit.models import AuditEvent


def staff_for_clinic(clinic):
    return User.objects.filter(clinic=clinic).order_by("-is_active", "last_name", "first_name")


def audit_events_for_clinic(clinic, *, start=None, end=None, action="", username="", patient=None):
    events = AuditEvent.objects.filter(clinic_id=clinic.pk)
    tz = timezone.get_current_timezone()
    if start:
        events = events.filter(at__gte=timezone.make_aware(datetime.combine(start, time.min), tz))
    if end:
        after = end + timedelta(days=1)
        events = events.filter(at__lt=timezone.make_aware(datetime.combine(after, time.min), tz))
    if action:
        events = events.filter(action=action)
    if username:
        events = events.filter(actor_username__iexact=username)
    if patient:
        events = events.filter(patient_id=patient)
    return events.order_by("-seq")
