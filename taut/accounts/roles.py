"""Staff roles and what each may do. The one table every access check reads."""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    NURSE = "nurse", "Nurse / medical assistant"
    FRONT_DESK = "front_desk", "Front desk"
    CLINIC_LEAD = "clinic_lead", "Clinic lead"
    # A backend service a clinic lead connected (taut.smart): the user its API reads act as.
    # It reads and never signs in (an unusable password); not a choice on the staff pages.
    SERVICE = "service", "Connected app (reads only)"


class Need(StrEnum):
    """A capability a route or service requires."""

    DEMOGRAPHICS_READ = "demographics_read"
    DEMOGRAPHICS_WRITE = "demographics_write"
    CLINICAL_READ = "clinical_read"
    # Consent, vitals and weight, immediate pain scores, complications, allergies,
    # medications and conditions: what nurses and medical assistants document.
    NURSING_WRITE = "nursing_write"
    # Screening decisions, exam findings, procedure sites and doses.
    CLINICAL_WRITE = "clinical_write"
    SIGN = "sign"
    MANAGE_STAFF = "manage_staff"
    READ_AUDIT = "read_audit"
    # The clinic's analytics: figures across all its patients, and the sessions behind them.
    READ_ANALYTICS = "read_analytics"
    # The de-identified export for research and quality work (a clinic lead only).
    EXPORT_RESEARCH = "export_research"


_ALL_CLINICAL = {Need.CLINICAL_READ, Need.NURSING_WRITE, Need.CLINICAL_WRITE, Need.SIGN}
_DEMOGRAPHICS = {Need.DEMOGRAPHICS_READ, Need.DEMOGRAPHICS_WRITE}

ROLE_NEEDS: dict[str, frozenset[Need]] = {
    Role.CLINICIAN: frozenset(_DEMOGRAPHICS | _ALL_CLINICAL | {Need.READ_ANALYTICS}),
    Role.NURSE: frozenset(_DEMOGRAPHICS | {Need.CLINICAL_READ, Need.NURSING_WRITE}),
    Role.FRONT_DESK: frozenset(_DEMOGRAPHICS),
    # A clinic lead runs the clinic: staff, audit, and reading charts for review.
    # A lead who also treats patients has a second, clinician account.
    Role.CLINIC_LEAD: frozenset(
        _DEMOGRAPHICS
        | {
            Need.CLINICAL_READ,
            Need.MANAGE_STAFF,
            Need.READ_AUDIT,
            Need.READ_ANALYTICS,
            Need.EXPORT_RESEARCH,
        }
    ),
    # A backend service reads, and may take the clinic's data out in bulk (FHIR $export),
    # which is what a lead connects one for; its token's system/ scopes narrow both.
    Role.SERVICE: frozenset({Need.DEMOGRAPHICS_READ, Need.CLINICAL_READ, Need.EXPORT_RESEARCH}),
}

# The roles a clinic lead gives staff on the staff pages (a connected app's user is made by
# taut.smart when the app is registered).
STAFF_ROLES = [(value, label) for value, label in Role.choices if value != Role.SERVICE]


def has_need(user, need: Need) -> bool:
    """Whether an active staff member of a clinic has ``need`` through their role."""
    if not (user.is_authenticated and user.is_active and user.clinic_id):
        return False
    return need in ROLE_NEEDS.get(user.role, frozenset())
