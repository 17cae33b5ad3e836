"""Taut's side of each connected app and launch, beside django-oauth-toolkit's own models.

DOT's models (``oauth2_provider.Application``, ``Grant``, ``AccessToken``, ``RefreshToken``)
are used as they ship, never swapped (docs/decisions/0043-smart-on-dot.md): Taut's facts sit
in its own rows that point at them.
"""

import uuid

from django.conf import settings
from django.db import models
from oauth2_provider.models import AccessToken, Application, Grant, RefreshToken

from taut.accounts.models import Clinic
from taut.patients.models import Patient


class AppKind(models.TextChoices):
    PUBLIC = "public", "Standalone app, public (PKCE, no secret)"
    CONFIDENTIAL = "confidential", "Standalone app, confidential (client secret and PKCE)"
    BACKEND = "backend", "Backend service (client credentials, signed JWT)"


class ConnectedApp(models.Model):
    """An app a clinic lead registered: which clinic it reads for, what it may ask for.

    ``application`` is DOT's client (its client id, hashed secret, redirect URIs); revoking
    the app deletes that row, and with it every grant and token DOT holds for it, while this
    row stays to say who registered and revoked it. A backend service acts as its own
    ``service_user`` (role "Connected app", an unusable password)."""

    AUDIT_TYPE = "connected_app"

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="connected_apps")
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="taut_app"
    )
    client_id = models.CharField(max_length=255, unique=True)
    name = models.CharField(max_length=100)
    kind = models.CharField(max_length=20, choices=AppKind)
    redirect_uris = models.TextField(blank=True)
    allowed_scopes = models.TextField(help_text="Space-separated SMART scopes the app may ask for.")
    # A backend service's public keys (a JWK Set), to check its signed assertions.
    jwks = models.JSONField(default=dict, blank=True)
    service_user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="service_app",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    registered_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["clinic", "name"], name="connected_app_clinic_name")]

    def __str__(self):
        return self.name

    @property
    def active(self) -> bool:
        return self.revoked_at is None

    @property
    def is_backend(self) -> bool:
        return self.kind == AppKind.BACKEND


class LaunchPatient(models.Model):
    """The patient a user chose at launch (``launch/patient``), held with each DOT object
    of that launch: the authorization code, then every access and refresh token made from
    it (a refresh carries the patient on). Each row belongs to exactly one of them and goes
    when it goes."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="+")
    grant = models.OneToOneField(
        Grant, null=True, blank=True, on_delete=models.CASCADE, related_name="taut_launch"
    )
    access_token = models.OneToOneField(
        AccessToken, null=True, blank=True, on_delete=models.CASCADE, related_name="taut_launch"
    )
    refresh_token = models.OneToOneField(
        RefreshToken, null=True, blank=True, on_delete=models.CASCADE, related_name="taut_launch"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(grant__isnull=False, access_token=None, refresh_token=None)
                | models.Q(grant=None, access_token__isnull=False, refresh_token=None)
                | models.Q(grant=None, access_token=None, refresh_token__isnull=False),
                name="launch_patient_of_one_object",
            )
        ]

    def __str__(self):
        return f"launch patient {self.patient_id}"


class UsedAssertion(models.Model):
    """A backend service's signed assertion already used (its ``jti``), kept until it
    expires, so the same assertion cannot buy a second token (SMART Backend Services)."""

    client_id = models.CharField(max_length=255)
    jti = models.CharField(max_length=255)
    expires_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["client_id", "jti"], name="assertion_used_once")
        ]
        indexes = [models.Index(fields=["expires_at"], name="used_assertion_expiry")]

    def __str__(self):
        return f"assertion {self.jti} of {self.client_id}"
