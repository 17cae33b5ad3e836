import dataclasses
import functools
import uuid
import zoneinfo
from datetime import date, datetime, time

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from taut.accounts.roles import Role
from taut.clinical import dosing, outcomes, payer, schedule
from taut.lib import fieldcrypt


@functools.cache
def time_zone_names() -> frozenset[str]:
    """The IANA time zone names this machine knows. Read once per process: the call walks
    the whole tz database on disk (20–40 ms), and every clinic's ``full_clean`` asks."""
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in time_zone_names():
        raise ValidationError(f"“{value}” is not a known time zone (e.g. Europe/London).")


def _plan_from_json(items) -> schedule.FollowupPlan:
    """The stored check-ins as a plan; ``FollowupPlan`` does the validating."""
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise ValueError("checkpoints: expected a list of {key, offset_days, label}")
    points = []
    for item in items:
        if set(item) != {"key", "offset_days", "label"}:
            raise ValueError("checkpoints: each needs exactly key, offset_days and label")
        points.append(schedule.Checkpoint(item["key"], item["offset_days"], item["label"]))
    return schedule.FollowupPlan(tuple(points), name="clinic")


def plan_for_days(days) -> schedule.FollowupPlan:
    """``schedule.plan_from_days``, with its refusal as a ValidationError in plain words."""
    try:
        return schedule.plan_from_days(days)
    except ValueError as error:
        text = str(error).removeprefix("days: ")
        raise ValidationError(f"{text[:1].upper()}{text[1:]}.") from None


def validate_followup_plan(value) -> None:
    if value in (None, []):
        return
    try:
        _plan_from_json(value)
    except ValueError as error:
        raise ValidationError(f"Not a follow-up plan: {error}.") from None


# A typo guard for the clinic's limit on ligament and tendon sites in one session (not a
# rule): the atlas has 15 such sites, most of them paired.
STRUCTURE_SITES_MAX = 30

# The longest local paragraph a clinic lead may add to its public page, per language.
PUBLIC_NOTE_MAX_CHARS = 600


class Clinic(models.Model):
    """An organisation: it owns its patients and its staff."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    address = models.TextField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # Empty: the deployment's TIME_ZONE (``zone()``).
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        default="",
        validators=[validate_time_zone],
        help_text="An IANA time zone, e.g. Europe/London: staff pages, reminders, due days and "
        "portal links run on the clinic's clock. Empty: the server's default time zone.",
    )
    # Clinic policies (see docs/clinical-rules.md): each has a sourced default. The
    # validators' bounds catch typos; they are not rules (next_step needs reconsider_after ≥ 1).
    weight_window_days = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
        help_text="A weight older than this many days must be measured again before dosing.",
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
        validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="Advise reconsidering injections after this many sessions in a row without "
        "a response (taut.clinical.schedule.RECONSIDER_AFTER; unverified, clinic policy).",
    )
    # What counts as "function improved" on the PEG interference items: Taut's defaults,
    # unverified (taut.clinical.outcomes.function_evidence), so each clinic may set its own.
    function_percent = models.PositiveSmallIntegerField(
        default=outcomes.FUNCTION_PERCENT,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text="Fall in PEG interference (%) suggested as improved function.",
    )
    function_min_points = models.PositiveSmallIntegerField(
        default=outcomes.FUNCTION_MIN_POINTS,
        validators=[MaxValueValidator(10)],
        help_text="Smallest fall in PEG interference (points of 10) suggested as improved.",
    )
    portal_passwords = models.BooleanField(
        default=False,
        help_text="Patients may set a password for the portal instead of using only the "
        "signed links the clinic sends.",
    )
    followup_plan = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_followup_plan],
        help_text="The clinic's check-ins after each signed session, as "
        "[{key, offset_days, label}] (taut.clinical.schedule.plan_from_days); empty for "
        "Taut's default plan.",
    )
    # Safety settings (issue 11): each a clinic policy shown with the facts it rests on.
    emergency_number = models.CharField(
        max_length=20,
        default="911",
        help_text="The number patients are told to call in an emergency (US: 911).",
    )
    observation_minutes = models.PositiveSmallIntegerField(
        default=30,
        validators=[MinValueValidator(0), MaxValueValidator(240)],
        help_text="Minutes a patient is watched after the last injection before going home "
        "(clinic policy; LAST begins 30 s to 60 min after injection [S29b]).",
    )
    steroid_limit_mg = models.PositiveSmallIntegerField(
        default=80,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text="Most corticosteroid (mg, methylprednisolone-equivalent) a patient may have "
        "in 3 months (clinic policy, unverified).",
    )
    # Issue 15: the clinic's own limit on ligament and tendon sites (distinct site and side)
    # in one session, for the payer panel (``payer.Policy.structure_sites_per_session``). No
    # payer rule seen sets one: clinic policy. Empty: no limit of the clinic's own.
    structure_sites_per_session = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(STRUCTURE_SITES_MAX)],
        help_text="The clinic's own limit on ligament and tendon sites in one session (not a "
        "Medicare rule). Empty: no limit.",
    )
    # The schedule (issue 12): the day the calendar shows and the grid it books on.
    opens_at = models.TimeField(
        default=time(8, 0), help_text="The first bookable time of the day (clinic time)."
    )
    closes_at = models.TimeField(
        default=time(17, 0), help_text="Visits end by this time (clinic time)."
    )
    slot_minutes = models.PositiveSmallIntegerField(
        default=15,
        validators=[MinValueValidator(5), MaxValueValidator(120)],
        help_text="The schedule's grid: visits start on these steps from opening time.",
    )
    # Issue 12: a site is refused without the vial's lot number and expiry when set.
    require_lot_expiry = models.BooleanField(
        default=False,
        help_text="When ticked, every injection site needs the vial's lot number and expiry.",
    )
    # The public page about trigger point injections (issue 14, taut.public): the lead may
    # switch it off (404) and add a local paragraph (parking, what to bring) per language.
    public_page_on = models.BooleanField(
        default=True,
        help_text="The clinic's public page about trigger point injections, its handout and "
        "self-check are open to anyone with the link.",
    )
    # The clinic's own results on the public page (issue 17): shown once enough patients
    # have been followed (``taut.clinical.analytics.clinic_figure``); the lead may hide them.
    public_figures_on = models.BooleanField(
        default=True,
        help_text="Once at least 30 patients treated in the last year have a 2-week score, "
        "the public page says how many had at least half their pain gone, with its range.",
    )
    public_note_en = models.TextField(
        blank=True,
        max_length=PUBLIC_NOTE_MAX_CHARS,
        validators=[MaxLengthValidator(PUBLIC_NOTE_MAX_CHARS)],
        help_text="Up to 600 characters for the English page and handout: parking, what to "
        "bring. Shown as plain text.",
    )
    public_note_es = models.TextField(
        blank=True,
        max_length=PUBLIC_NOTE_MAX_CHARS,
        validators=[MaxLengthValidator(PUBLIC_NOTE_MAX_CHARS)],
        help_text="Up to 600 characters: the same paragraph in Spanish, for the Spanish page "
        "and handout.",
    )
    # Issue 14: appointment requests from the public page expire after this many days.
    # Empty: the deployment's APPOINTMENT_REQUEST_DAYS (``request_days()``).
    appointment_request_days = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="Days an appointment request from the public page is kept before it "
        "expires and is deleted. Empty: the server's default.",
    )
    # Issue 16: staff without a second factor are sent to enrol at their next sign-in. On
    # for clinics created from now on; the migration left existing clinics off (0031).
    require_mfa = models.BooleanField(
        default=True,
        help_text="Every member of staff must set up a second factor (authenticator app or "
        "passkey) at their next sign-in.",
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def public_page_path(self, language: str) -> str:
        """The path of this clinic's public page about trigger point injections in
        ``language`` (en or es); empty while the lead has the page switched off."""
        if not self.public_page_on:
            return ""
        return reverse("public:page", kwargs={"clinic_slug": self.slug, "lang": language})

    def clean(self):
        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": "Closing time must be after opening time."})

    def plan(self) -> schedule.FollowupPlan:
        """The follow-up plan the clinic schedules check-ins from: its own, or Taut's default."""
        if not self.followup_plan:
            return schedule.DEFAULT_PLAN
        return _plan_from_json(self.followup_plan)

    def dose_table(self) -> dosing.DoseTable:
        """The dose-limit table the clinic doses by: its own, or Taut's default."""
        if not self.dosing_table:
            return dosing.DEFAULT_TABLE
        return dosing.DoseTable.from_dict(self.dosing_table)

    def payer_rules(self) -> payer.Policy:
        """The payer policy the clinic checks sessions by: its chosen payer's rules, with the
        clinic's own limit on ligament and tendon sites when it sets one."""
        policy = payer.as_policy(self.payer_policy)
        if self.structure_sites_per_session is None:
            return policy
        return dataclasses.replace(
            policy, structure_sites_per_session=self.structure_sites_per_session
        )

    def zone(self) -> zoneinfo.ZoneInfo:
        """The clinic's clock: staff pages show times, reminders go out, due days fall and
        portal links expire by it (the deployment's TIME_ZONE when the clinic has none)."""
        return zoneinfo.ZoneInfo(self.time_zone or settings.TIME_ZONE)

    def now(self) -> datetime:
        """The moment, on the clinic's clock. Only edges ask (views through the gate's
        actor, commands, tasks); services and rules are told."""
        return timezone.localtime(timezone.now(), self.zone())

    def request_days(self) -> int:
        """Days an appointment request is kept: the clinic's own, or the deployment's."""
        return self.appointment_request_days or settings.APPOINTMENT_REQUEST_DAYS

    def today(self) -> date:
        """The clinic's day: the one answer to "what is today" for this clinic."""
        return self.now().date()

    def public_note(self, language: str) -> str:
        """The lead's local paragraph for the public page in ``language`` ("en" or "es")."""
        return self.public_note_es if language == "es" else self.public_note_en


class PublicHandout(models.Model):
    """A clinic's printable handout about trigger point injections, in one language,
    rendered once by the worker and served from here (docs/decisions/0024-public-page.md,
    as 0019 for patient PDFs): an anonymous download never renders.

    ``fingerprint`` digests what the PDF is made of (the content's version, the clinic's
    name, address, phone, emergency number and local paragraph): a handout made before the
    lead changed them is never served. The row exists from the moment the render is asked
    for (so it is queued once, however many people ask); ``content`` is empty until the
    worker has rendered it. No patient data.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    language = models.CharField(max_length=8)
    fingerprint = models.CharField(max_length=64)
    content = models.BinaryField(null=True, blank=True)
    requested_at = models.DateTimeField()
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "language", "fingerprint"], name="public_handout_once"
            )
        ]

    def __str__(self):
        state = f"rendered {self.rendered_at:%Y-%m-%d %H:%M}" if self.rendered_at else "queued"
        return f"Public handout ({self.language}, {state})"

    @property
    def ready(self) -> bool:
        return self.rendered_at is not None


class User(AbstractUser):  # type: ignore[django-manager-missing]
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


class TotpDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (RFC 6238 TOTP, 6 digits every 30 s) with its secret encrypted.

    django-otp's own ``TOTPDevice`` keeps the secret in plain hex; this one keeps it as a
    Fernet token (``taut.lib.fieldcrypt``) and otherwise checks codes as it does: the
    current step and one either side, each step used at most once, and django-otp's
    throttling (a growing delay after each wrong code)."""

    secret = models.TextField(help_text="The shared secret, encrypted (taut.lib.fieldcrypt).")
    last_t = models.BigIntegerField(default=-1, help_text="The last time step used.")

    STEP = 30
    DIGITS = 6
    TOLERANCE = 1

    class Meta(Device.Meta):
        verbose_name = "authenticator app"

    @property
    def bin_key(self) -> bytes:
        return fieldcrypt.decrypt(self.secret)

    def verify_token(self, token) -> bool:
        allowed, _ = self.verify_is_allowed()
        if not allowed:
            return False
        token = str(token).strip().replace(" ", "")
        if not (len(token) == self.DIGITS and token.isdigit()):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.STEP, 0, self.DIGITS, 0)
            totp.time = timezone.now().timestamp()
            verified = totp.verify(int(token), self.TOLERANCE, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
        if verified:
            self.throttle_reset(commit=False)
            self.set_last_used_timestamp(commit=False)
            self.save()
        else:
            self.throttle_increment()
        return verified

    def get_throttle_factor(self) -> int:
        return 1


class ThrottleCount(models.Model):
    """How many times one key was counted in one fixed window (``taut.accounts.throttles``):
    a sign-in's address or username (a keyed hash of it, never the value), the password
    hashes of every process in one second, a portal address's refused links. Rows in the
    database, so every server process counts together; one upsert adds to a count."""

    key = models.CharField(max_length=100)  # "<scope>:<hmac hex>" or "<scope>"
    window_start = models.DateTimeField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window_start"], name="throttle_count_window"),
        ]
        indexes = [models.Index(fields=["window_start"], name="throttle_count_start")]

    def __str__(self):
        return f"{self.key} from {self.window_start}: {self.count}"
