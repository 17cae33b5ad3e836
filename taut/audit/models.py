"""The append-only, hash-chained audit trail.

Each event is chained to the one before it with an HMAC keyed from settings
(``AUDIT_HMAC_KEY``), so an edit, deletion, insertion or reordering of rows is
detectable by ``taut audit-verify``. Database triggers refuse UPDATE and DELETE.
Events hold identifiers and structured facts only, never clinical free text.
This app sits below ``accounts``: it stores the actor and clinic as plain values.
"""

import uuid

from django.db import models


class Action(models.TextChoices):
    VIEW = "view", "Viewed"
    SEARCH = "search", "Searched"
    CREATE = "create", "Created"
    UPDATE = "update", "Updated"
    DELETE = "delete", "Deleted"
    PRINT = "print", "Printed"
    EXPORT = "export", "Exported"
    LOGIN = "login", "Logged in"
    LOGOUT = "logout", "Logged out"
    LOGIN_FAILED = "login_failed", "Failed login"
    PRIVILEGE_CHANGE = "privilege_change", "Changed access"
    DENIED = "denied", "Access refused"


class AuditEvent(models.Model):
    seq = models.BigIntegerField(unique=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField()
    clinic_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_username = models.CharField(max_length=150, blank=True)
    actor_role = models.CharField(max_length=20, blank=True)
    action = models.CharField(max_length=20, choices=Action)
    object_type = models.CharField(max_length=50, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    patient_id = models.UUIDField(null=True, blank=True, db_index=True)
    client_ip = models.CharField(max_length=45, blank=True)
    # Structured, non-clinical facts: field names changed, version numbers, reasons codes.
    details = models.JSONField(default=dict, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-seq"]
        indexes = [models.Index(fields=["clinic_id", "at"])]

    def __str__(self):
        return f"#{self.seq} {self.action} {self.object_type} {self.object_id}"


class ChainHead(models.Model):
    """One row: the latest event's sequence number and hash.

    Updating it inside each event's transaction serialises writers (a row lock on
    PostgreSQL, the write lock on SQLite) and lets the verifier notice a deleted
    tail. ``mac`` binds the two values with the audit key.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    def __str__(self):
        return f"head at #{self.seq}"
