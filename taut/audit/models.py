"""The append-only, hash-chained audit trail.

An event is written unchained (no sequence number, no link) with a ``seal``: an HMAC of its
own fields keyed from settings (``AUDIT_HMAC_KEY``). Within seconds the linker gives it the
next ``seq`` and chains it to the event before it with another HMAC, so an edit, deletion,
insertion or reordering of linked rows is detectable by ``taut audit-verify``, and an edit or
forgery of a row not yet linked by its seal (decision 0016). Database triggers refuse DELETE
and every UPDATE but the one that links a row.
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
    # Empty until the linker chains the event: the order of the chain, from 1 without gaps.
    seq = models.BigIntegerField(unique=True, null=True, blank=True)
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    at = models.DateTimeField()
    clinic_id = models.BigIntegerField(null=True, blank=True)
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
    seal = models.CharField(max_length=64)  # chain.seal of the fields above, set once on insert
    prev_hash = models.CharField(max_length=64, blank=True)  # both set once, by the linker
    hash = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["clinic_id", "at"]),
            # The audit log's keyset pages: a clinic's events newest first.
            models.Index(fields=["clinic_id", "id"], name="audit_event_clinic_id_idx"),
            # The linker's queue: only the few events not linked yet.
            models.Index(
                fields=["id"], name="audit_event_unlinked_idx", condition=models.Q(seq=None)
            ),
        ]

    def __str__(self):
        where = f"#{self.seq}" if self.seq is not None else "(linking)"
        return f"{where} {self.action} {self.object_type} {self.object_id}"


class ChainHead(models.Model):
    """One row: the latest linked event's sequence number and hash.

    Only the linker updates it, under its row lock (the write lock on SQLite), so linkers
    take turns while writers of events never wait on it. It lets the verifier notice a
    deleted tail. ``mac`` binds the two values with the audit key.
    """

    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64)
    mac = models.CharField(max_length=64)

    def __str__(self):
        return f"head at #{self.seq}"
