"""The staff list, the audit log (page and CSV export) and the clinic settings run the same
number of queries however many staff, audit events and follow-up check-ins there are."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taut.accounts.roles import Role
from taut.audit.models import AuditEvent
from taut.tests.cast import make_patient, make_staff
from taut.tests.query_counts import queries_to_get

AUDIT_LOG = reverse("audit:log")


def more_staff(cast, count):
    for number in range(count):
        make_staff(cast.clinic, f"nurse{number}", Role.NURSE, "More", f"Nurse{number}")


def more_events(cast, count, *, first=0):
    """``count`` more audit events in the clinic: one for each patient registered."""
    for number in range(first, first + count):
        make_patient(cast.clinic, cast.front_desk, mrn=f"T{number + 2:04d}")


def test_it_lists_staff_in_the_same_number_of_queries_however_many(client, cast, signed_in):
    signed_in(cast.lead)
    few = queries_to_get(client, reverse("accounts:staff_list"))
    more_staff(cast, 6)
    assert len(queries_to_get(client, reverse("accounts:staff_list"))) == len(few)


def test_it_shows_the_audit_log_in_the_same_number_of_queries_however_many_events(
    client, cast, signed_in
):
    signed_in(cast.lead)
    few = queries_to_get(client, AUDIT_LOG)
    more_events(cast, 60)
    assert AuditEvent.objects.filter(clinic_id=cast.clinic.pk).count() > 60  # over a page
    assert len(queries_to_get(client, AUDIT_LOG)) == len(few)
    filtered = {"action": "create", "username": "desk"}
    assert len(queries_to_get(client, AUDIT_LOG, data=filtered)) == len(few)
    # An older page asks one more question (is there anything newer?), whatever the size.
    older = {"before": client.get(AUDIT_LOG).context["page"].older}
    assert len(queries_to_get(client, AUDIT_LOG, data=older)) == len(few) + 1
    more_events(cast, 60, first=60)
    older = {"before": client.get(AUDIT_LOG).context["page"].older}
    assert len(queries_to_get(client, AUDIT_LOG, data=older)) == len(few) + 1


def test_it_exports_the_audit_log_in_the_same_number_of_queries_however_many_events(
    client, cast, signed_in
):
    """Up to a chunk of 2000 rows: the export reads the log in chunks as it streams."""

    def export():
        with CaptureQueriesContext(connection) as run:
            response = client.get(reverse("audit:export"))
            rows = b"".join(response.streaming_content).count(b"\n")
        return len(run), rows

    signed_in(cast.lead)
    few, few_rows = export()
    more_events(cast, 60)
    count, rows = export()
    assert rows > few_rows + 60 and count == few


def test_it_shows_clinic_settings_in_the_same_number_of_queries_however_many(
    client, cast, signed_in
):
    """More staff, patients and check-ins in the follow-up plan."""
    url = reverse("accounts:clinic_settings")
    signed_in(cast.lead)
    few = queries_to_get(client, url)
    more_staff(cast, 4)
    more_events(cast, 4)
    cast.clinic.followup_plan = [
        {"key": f"day_{day}", "offset_days": day, "label": f"Day {day}"} for day in range(1, 30, 3)
    ]
    cast.clinic.save(update_fields=["followup_plan"])
    assert len(queries_to_get(client, url)) == len(few)
