import uuid
import zoneinfo

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models

from taut.accounts.roles import Role


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. Europe/London).")


class Clinic(models.Model):
    """An organisation: it owns its patients and its staff."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    time_zone = models.CharField(
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text="An IANA time zone, e.g. Europe/London: reminders go out and links expire "
        "by the clinic's clock.",
    )
    # Clinic policies (see docs/clinical-rules.md): each has a sourced default.
    weight_window_days = models.PositiveSmallIntegerField(
        default=30, help_text="A weight older than this must be measured again before dosing."
    )
    dosing_table = models.JSONField(
        default=dict, blank=True,
        help_text="The clinic's own dose-limit table (taut.clinical.dosing.DoseTable); "
        "empty for Taut's default table.",
    )  # fmt: skip
    payer_policy = models.CharField(
        max_length=30, default="L34211", help_text="Payer policy for repeat-session checks."
    )
    reconsider_after = models.PositiveSmallIntegerField(
        default=2,
        help_text="Advise reconsidering injections after this many sessions in a row without "
        "a response (taut.clinical.schedule.RECONSIDER_AFTER; unverified, clinic policy).",
    )
    portal_passwords = models.BooleanField(
        default=False,
        help_text="Patients may set a password for the portal instead of using only the "
        "signed links the clinic sends.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A member of staff (or a superuser, who belongs to no clinic)."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(
        Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    role = models.CharField(max_length=20, choices=Role, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "username"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(clinic__isnull=True, role="")
                | models.Q(clinic__isnull=False) & ~models.Q(role=""),
                name="staff_have_clinic_and_role",
            )
        ]

    def __str__(self):
        return self.display_name

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class StaffSession(models.Model):
    """Which sessions belong to whom, so deactivating someone can end them all."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"session of {self.user_id} since {self.started_at:%Y-%m-%d %H:%M}"
