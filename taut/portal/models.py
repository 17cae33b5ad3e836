"""A patient's optional portal password (only where the clinic allows it)."""

from django.contrib.auth.hashers import is_password_usable
from django.db import models

from taut.patients.models import Patient


class PatientLogin(models.Model):
    """A patient's portal password, hashed with Django's password hashers.

    It opens a portal session (date of birth, email and password) only while the patient's
    clinic has ``portal_passwords`` on. Failed attempts (at signing in, and at proving who
    they are before setting or changing the password) are counted per patient; at the staff
    limit the login is locked for the staff cool-off (``taut.portal.services``). A row whose
    ``password`` is unusable only counts the tries made before a first password was set.
    """

    PATIENT_PATH = "patient"

    patient = models.OneToOneField(Patient, on_delete=models.CASCADE, related_name="+")
    password = models.CharField(max_length=128)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_login_at = models.DateTimeField(null=True, blank=True)
    password_changed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"portal login of patient {self.patient_id}"

    @property
    def has_password(self) -> bool:
        return is_password_usable(self.password)
