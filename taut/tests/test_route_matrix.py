"""Each role against each patient-scoped route, for a patient of their own clinic and of
another: the matrix of statuses, refusals that change nothing and are audited, and one
audit event per view.

The records the routes need (an allergy, a pain drawing, a visit in progress with a finding
and a site, a signed session with a check-in, an alert and a failed reminder) are built
once for the module, for the own-clinic patient and for the other clinic's patient; each
test runs in a savepoint on its own copy (taut/tests/once.py), so a write one test lets
through is gone before the next.
"""

import pytest
from django.db.models import Max
from django.urls import reverse

from taut.accounts.access import AccessPolicy
from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.tests import flow as aftercare_flow
from taut.atlas.forms import MarkInput
from taut.audit.models import Action, AuditEvent
from taut.drawings.services import record_drawing
from taut.patients import services
from taut.patients.models import Allergy
from taut.reminders.models import Reminder
from taut.tests.cast import acting, sign_in
from taut.tests.once import built_once_per_module
from taut.tests.test_routes import all_routes
from taut.visits.tests import flow
from taut.workflows import followup, notes

READ = {"clinician": 200, "nurse": 200, "front_desk": 403, "lead": 200}
NURSING = {"clinician": 302, "nurse": 302, "front_desk": 403, "lead": 403}
ALL_200 = {"clinician": 200, "nurse": 200, "front_desk": 200, "lead": 200}
ALL_400 = {"clinician": 400, "nurse": 400, "front_desk": 400, "lead": 400}
CLINICIAN_ONLY = {"clinician": 302, "nurse": 403, "front_desk": 403, "lead": 403}

# Route name -> (method, extra URL kwargs, expected status per own-clinic role).
# An empty POST from an allowed role is refused as bad input (400) or, with no version to
# check, as a conflict (409), or redirected (302).
# Statuses are written out by hand from the role table in docs/architecture.md,
# not derived from the code under test.
MATRIX = {
    "patients:chart": (
        "get", {}, {"clinician": 200, "nurse": 200, "front_desk": 200, "lead": 200},
    ),
    "patients:edit": (
        "get", {}, {"clinician": 200, "nurse": 200, "front_desk": 200, "lead": 200},
    ),
    "patients:entry_add": (
        "get", {"kind": "allergies"},
        {"clinician": 200, "nurse": 200, "front_desk": 403, "lead": 403},
    ),
    "patients:entry_retire": (
        "post", {"kind": "allergies", "entry_id": "ENTRY"},
        {"clinician": 302, "nurse": 302, "front_desk": 403, "lead": 403},
    ),
    "patients:allergy_map": ("post", {"entry_id": "ENTRY"}, CLINICIAN_ONLY),
    "drawings:chart_section": (
        "get", {}, {"clinician": 200, "nurse": 200, "front_desk": 403, "lead": 200},
    ),
    "drawings:new": (
        "get", {}, {"clinician": 200, "nurse": 200, "front_desk": 403, "lead": 403},
    ),
    "drawings:compare": (
        "get", {}, {"clinician": 200, "nurse": 200, "front_desk": 403, "lead": 200},
    ),
    "drawings:detail": (
        "get", {"drawing_id": "DRAWING"},
        {"clinician": 200, "nurse": 200, "front_desk": 403, "lead": 200},
    ),
    "visits:chart_section": ("get", {}, ALL_200),
    "outcomes:chart_section": ("get", {}, READ),
    "portal:chart_section": ("get", {}, READ),
    "outcomes:decide": ("post", {}, {**CLINICIAN_ONLY, "clinician": 400}),
    "outcomes:record_function": ("post", {}, {**CLINICIAN_ONLY, "clinician": 400}),
    "outcomes:summary_pdf": ("get", {}, READ),
    "reminders:retry": ("post", {"reminder_id": "REMINDER"}, NURSING),
    "visits:schedule": ("get", {}, {"clinician": 200, "nurse": 200, "front_desk": 200, "lead": 200}),
    "visits:detail": ("get", {"visit_id": "VISIT"}, READ),
    "visits:booking": ("get", {"visit_id": "VISIT"}, ALL_200),
    "visits:move": ("post", {"visit_id": "VISIT"}, ALL_400),
    "visits:cancel": ("post", {"visit_id": "VISIT"}, ALL_400),
    "visits:arrival": ("post", {"visit_id": "VISIT"}, ALL_400),
    "visits:no_show": ("post", {"visit_id": "VISIT"}, ALL_400),
    "visits:intake": ("get", {"visit_id": "VISIT"}, READ),
    "visits:exam": ("get", {"visit_id": "VISIT"}, READ),
    "visits:procedure": ("get", {"visit_id": "VISIT"}, READ),
    "visits:note": ("get", {"visit_id": "VISIT"}, READ),
    "visits:pdf": ("get", {"visit_id": "VISIT"}, {**READ, "clinician": 302, "nurse": 302, "lead": 302}),
    "visits:dose_preview": ("post", {"visit_id": "VISIT"}, READ),
    "visits:end": ("post", {"visit_id": "VISIT"}, {**CLINICIAN_ONLY, "clinician": 400}),
    "visits:decision": ("post", {"visit_id": "VISIT"}, {**CLINICIAN_ONLY, "clinician": 400}),
    "visits:finding_remove": (
        "post", {"visit_id": "VISIT", "finding_id": "FINDING"},
        {**CLINICIAN_ONLY, "clinician": 409},
    ),
    "visits:site_add": ("post", {"visit_id": "VISIT"}, {**CLINICIAN_ONLY, "clinician": 400}),
    "visits:site_remove": (
        "post", {"visit_id": "VISIT", "site_id": "SITE"}, {**CLINICIAN_ONLY, "clinician": 409},
    ),
    "visits:other_dose_add": ("post", {"visit_id": "VISIT"}, {**CLINICIAN_ONLY, "clinician": 400}),
    "visits:other_dose_remove": (
        "post", {"visit_id": "VISIT", "index": 0}, {**CLINICIAN_ONLY, "clinician": 400},
    ),
    "visits:dose_reductions": ("post", {"visit_id": "VISIT"}, {**CLINICIAN_ONLY, "clinician": 400}),
    "visits:sign": ("post", {"visit_id": "VISIT"}, {**CLINICIAN_ONLY, "clinician": 400}),
    "visits:addendum": ("post", {"visit_id": "VISIT"}, {**CLINICIAN_ONLY, "clinician": 400}),
    "visits:fm_survey": ("post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400}),
    "visits:intake_review": (
        "post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400},
    ),
    "visits:consent": ("post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400}),
    "visits:time_out": ("post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400}),
    "visits:weight": ("post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400}),
    "visits:immediate": ("post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400}),
    "visits:discharge": ("post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400}),
    "visits:last_steps": (
        "post", {"visit_id": "VISIT"}, {**NURSING, "clinician": 400, "nurse": 400},
    ),
    "aftercare:chart_section": ("get", {}, READ),
    "aftercare:instructions": ("get", {"visit_id": "VISIT"}, READ),
    "aftercare:instructions_pdf": ("get", {"visit_id": "VISIT"}, READ),
    "aftercare:checkin": (
        "get", {"checkin_id": "CHECKIN"},
        {"clinician": 200, "nurse": 200, "front_desk": 403, "lead": 403},
    ),
    "aftercare:acknowledge": (
        "post", {"alert_id": "ALERT"},
        {"clinician": 400, "nurse": 400, "front_desk": 403, "lead": 403},
    ),
}  # fmt: skip


# What a view's audit event names when the page shows one record of the patient (the
# visit, its note, a drawing…), by the key of its id; any other page names the patient.
SEEN = {
    "aftercare:checkin": ("checkin", "checkin_id"),
    "aftercare:instructions": ("aftercare_instructions", "visit_id"),
    "aftercare:instructions_pdf": ("aftercare_instructions", "visit_id"),  # being prepared
    "drawings:detail": ("pain_drawing", "drawing_id"),
    "outcomes:summary_pdf": ("outcomes_summary", "patient_id"),  # being prepared
    **{
        f"visits:{name}": ("visit", "visit_id")  # the note is named once signed (test_views)
        for name in ("booking", "detail", "intake", "exam", "procedure", "note", "pdf")
    },
}

ROLES = ["clinician", "nurse", "front_desk", "lead"]


def _records(patient, by):
    """What the routes' URLs name, for ``patient``, recorded by ``by``."""
    mark = MarkInput("head_temporal", "left", 6, ())
    drawing = record_drawing(patient=patient, marks=[mark], no_pain=False, actor=acting(by))
    session = flow.finished(
        flow.with_sites(
            flow.consented(
                flow.examined(flow.with_intake(flow.scheduled(patient, by), by), by), by
            ),
            by,
            [flow.site()],
        ),
        by,
    )
    notes.sign_note(visit=session, version=session.version, icd_codes=[], actor=acting(by))
    checkin = CheckIn.objects.get(visit=session, checkpoint="day_1")
    followup.record_checkin(
        checkin=checkin,
        answers=aftercare_flow.answers(checkin, infection="yes"),
        actor=acting(by),
    )
    reminder = Reminder.objects.filter(checkin__visit=session, checkin__checkpoint="day_1")
    reminder.update(status=Reminder.Status.FAILED, attempts=5, last_error="SMTP down")
    # The visit the visit routes open: in progress, with one finding and one site.
    visit = flow.scheduled(patient, by)
    visit = flow.consented(flow.examined(flow.with_intake(visit, by), by), by)
    flow.with_sites(visit, by, [flow.site()])
    visit.refresh_from_db()
    entry = services.add_chart_entry(
        patient=patient, entry=Allergy(agent="Penicillin", reaction="Rash"), actor=acting(by)
    )
    return {
        "patient_id": patient.public_id,
        "entry_id": entry.public_id,
        "drawing_id": drawing.public_id,
        "visit_id": visit.public_id,
        "finding_id": visit.findings.get().public_id,
        "site_id": visit.procedure.sites.get().public_id,
        "checkin_id": checkin.public_id,
        "reminder_id": reminder.get().public_id,
        "alert_id": Alert.objects.get(patient=patient).public_id,
        "entry": entry,
    }


def _build(cast):
    return {
        "own": _records(cast.patient, cast.clinician),
        "other": _records(cast.other_patient, cast.outsider),
    }


records, _records_once = built_once_per_module(_build, name="records")


def _url(name, ids):
    """The route's URL, its placeholders (ENTRY, VISIT…) filled from ``ids``."""
    _, extra, _ = MATRIX[name]
    kwargs = {"patient_id": ids["patient_id"]}
    for key, value in extra.items():
        kwargs[key] = ids[key] if isinstance(value, str) and value.isupper() else value
    return reverse(name, kwargs=kwargs)


def test_it_has_a_matrix_row_for_every_patient_route():
    patient_routes = {
        f"{ns}:{p.name}"
        for ns, _, p in all_routes()
        if getattr(p.callback, "access_policy", AccessPolicy("public")).kind == "patient"
    }
    assert patient_routes == set(MATRIX)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_applies_the_role_matrix_to_own_clinic_patients(client, cast, records, name):
    """Each role in turn, refused roles first so an allowed write can't hide a refusal."""
    method, _, expected = MATRIX[name]
    entry = records["own"]["entry"]
    url = _url(name, records["own"])
    for role in sorted(ROLES, key=lambda role: expected[role] != 403):
        sign_in(client, cast.staff()[role])
        response = getattr(client, method)(url)
        assert response.status_code == expected[role], f"{role} on {name}"
        if expected[role] == 403:
            entry.refresh_from_db()
            assert entry.active, "a refused request must change nothing"
            denied = AuditEvent.objects.filter(action=Action.DENIED, actor_id=cast.staff()[role].pk)
            assert denied.exists(), f"{role}'s refusal on {name} is not audited"


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_hides_other_clinics_patients_from_every_role(client, cast, records, name):
    method, _, _ = MATRIX[name]
    url = _url(name, records["other"])
    for role in ROLES:
        sign_in(client, cast.staff()[role])
        assert getattr(client, method)(url).status_code == 404, f"{role} on {name}"
    entry = records["other"]["entry"]
    entry.refresh_from_db()
    assert entry.active


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_sends_anonymous_visitors_to_login(client, records, name):
    method, _, _ = MATRIX[name]
    response = getattr(client, method)(_url(name, records["own"]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("name", [n for n, row in MATRIX.items() if row[0] == "get"])
def test_it_audits_each_view_of_a_patient_exactly_once(client, cast, records, name):
    sign_in(client, cast.clinician)
    before = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    client.get(_url(name, records["own"]))
    views = AuditEvent.objects.filter(id__gt=before, action=Action.VIEW)
    assert views.count() == 1
    event = views.get()
    assert event.patient_id == cast.patient.public_id
    object_type, key = SEEN.get(name, ("patient", "patient_id"))
    assert (event.object_type, event.object_id) == (object_type, str(records["own"][key]))
    assert event.actor_id == cast.clinician.pk
    assert event.client_ip == "127.0.0.1"
