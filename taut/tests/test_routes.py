"""Every route declares who may use it, and the patient gate enforces it.

The route-policy test walks the URL resolver: a new route without a declared
access policy fails the build. The matrix test checks each role against each
patient-scoped route, for a patient of their own clinic and of another.
"""

import pytest
from django.db.models import Max
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from taut.accounts.access import AccessPolicy
from taut.aftercare.models import Alert, CheckIn
from taut.aftercare.tests import flow as aftercare_flow
from taut.atlas.forms import MarkInput
from taut.audit.models import Action, AuditEvent
from taut.drawings.models import PainDrawing
from taut.drawings.services import record_drawing
from taut.patients import services
from taut.patients.models import Allergy
from taut.reminders.models import Reminder
from taut.tests.cast import acting, make_patient, sign_in
from taut.visits.models import Visit
from taut.visits.tests import flow
from taut.workflows import followup, notes


def walk(patterns, prefix="", namespace=None):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            yield from walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            yield namespace, prefix + str(entry.pattern), entry


def all_routes():
    return list(walk(get_resolver().url_patterns))


def test_it_declares_an_access_policy_on_every_route():
    missing = [
        f"{route} ({pattern.callback.__module__}.{pattern.callback.__name__})"
        for namespace, route, pattern in all_routes()
        if namespace != "admin" and not isinstance(
            getattr(pattern.callback, "access_policy", None), AccessPolicy
        )
    ]  # fmt: skip
    assert missing == [], f"Routes without an access policy: {missing}"


def test_it_finds_the_routes_it_checks():
    names = {f"{ns}:{p.name}" for ns, _, p in all_routes() if p.name}
    assert {"patients:chart", "accounts:login", "audit:log"} <= names


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


def test_it_has_a_matrix_row_for_every_patient_route():
    patient_routes = {
        f"{ns}:{p.name}"
        for ns, _, p in all_routes()
        if getattr(p.callback, "access_policy", AccessPolicy("public")).kind == "patient"
    }
    assert patient_routes == set(MATRIX)


def _url(name, patient, extra, entry):
    """The route's URL for ``patient``; ``entry`` is the allergy whose drawing sibling is
    looked up for DRAWING placeholders (both belong to the same patient)."""
    kwargs = {"patient_id": patient.public_id, **extra}
    if kwargs.get("entry_id") == "ENTRY":
        kwargs["entry_id"] = entry.public_id
    if kwargs.get("drawing_id") == "DRAWING":
        kwargs["drawing_id"] = PainDrawing.objects.filter(patient=patient).get().public_id
    visit = Visit.objects.filter(patient=patient).first()
    if kwargs.get("visit_id") == "VISIT":
        kwargs["visit_id"] = visit.public_id
    if kwargs.get("finding_id") == "FINDING":
        kwargs["finding_id"] = visit.findings.get().public_id
    if kwargs.get("site_id") == "SITE":
        kwargs["site_id"] = visit.procedure.sites.get().public_id
    if kwargs.get("checkin_id") == "CHECKIN":
        kwargs["checkin_id"] = CheckIn.objects.get(patient=patient, checkpoint="day_1").public_id
    if kwargs.get("reminder_id") == "REMINDER":
        kwargs["reminder_id"] = Reminder.objects.get(
            patient=patient, status=Reminder.Status.FAILED
        ).public_id
    if kwargs.get("alert_id") == "ALERT":
        kwargs["alert_id"] = Alert.objects.get(patient=patient).public_id
    return reverse(name, kwargs=kwargs)


VISIT_KEYS = {"visit_id", "finding_id", "site_id"}
# These need a signed session with its check-ins (and their reminders).
SIGNED_KEYS = {"checkin_id", "alert_id", "reminder_id"}
ROLES = ["clinician", "nurse", "front_desk", "lead"]


def _allergy(patient, by, extra=None):
    """Records for the nested routes: an allergy (returned) and, when the route needs
    them, a pain drawing and a visit with one finding and one injection site."""
    extra = {"drawing_id": 1, "visit_id": 1} if extra is None else extra
    if "drawing_id" in extra:
        mark = MarkInput("head_temporal", "left", 6, ())
        record_drawing(patient=patient, marks=[mark], no_pain=False, actor=acting(by))
    if (VISIT_KEYS | SIGNED_KEYS) & set(extra):
        visit = flow.scheduled(patient, by)
        visit = flow.consented(flow.examined(flow.with_intake(visit, by), by), by)
        flow.with_sites(visit, by, [flow.site()])
    if SIGNED_KEYS & set(extra):
        visit = flow.finished(visit, by)
        notes.sign_note(visit=visit, version=visit.version, icd_codes=[], actor=acting(by))
    if "alert_id" in extra:
        checkin = CheckIn.objects.get(visit=visit, checkpoint="day_1")
        followup.record_checkin(
            checkin=checkin,
            answers=aftercare_flow.answers(checkin, infection="yes"),
            actor=acting(by),
        )
    if "reminder_id" in extra:
        Reminder.objects.filter(checkin__visit=visit, checkin__checkpoint="day_1").update(
            status=Reminder.Status.FAILED, attempts=5, last_error="SMTP down"
        )
    entry = Allergy(agent="Penicillin", reaction="Rash")
    return services.add_chart_entry(patient=patient, entry=entry, actor=acting(by))


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_applies_the_role_matrix_to_own_clinic_patients(client, cast, name):
    """Each role in turn, refused roles first so an allowed write can't hide a refusal."""
    method, extra, expected = MATRIX[name]
    entry = _allergy(cast.patient, cast.clinician, extra)
    url = _url(name, cast.patient, extra, entry)
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
def test_it_hides_other_clinics_patients_from_every_role(client, cast, name):
    method, extra, _ = MATRIX[name]
    entry = _allergy(cast.other_patient, cast.outsider, extra)
    url = _url(name, cast.other_patient, extra, entry)
    for role in ROLES:
        sign_in(client, cast.staff()[role])
        assert getattr(client, method)(url).status_code == 404, f"{role} on {name}"
    entry.refresh_from_db()
    assert entry.active


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_sends_anonymous_visitors_to_login(client, cast, name):
    method, extra, _ = MATRIX[name]
    entry = _allergy(cast.patient, cast.clinician, extra)
    response = getattr(client, method)(_url(name, cast.patient, extra, entry))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_refuses_a_record_of_another_patient_under_this_patients_url(client, cast):
    second = make_patient(cast.clinic, cast.front_desk, mrn="T0002")
    entry = _allergy(second, cast.clinician, {})
    sign_in(client, cast.nurse)
    url = reverse(
        "patients:entry_retire",
        kwargs={"patient_id": cast.patient.public_id, "kind": "allergies",
                "entry_id": entry.public_id},
    )  # fmt: skip
    assert client.post(url).status_code == 404
    entry.refresh_from_db()
    assert entry.active


@pytest.mark.parametrize("name", [n for n, row in MATRIX.items() if row[0] == "get"])
def test_it_audits_each_view_of_a_patient_exactly_once(client, cast, name):
    _, extra, _ = MATRIX[name]
    sign_in(client, cast.clinician)
    before = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    client.get(_url(name, cast.patient, extra, _allergy(cast.patient, cast.clinician, extra)))
    views = AuditEvent.objects.filter(id__gt=before, action=Action.VIEW)
    assert views.count() == 1
    event = views.get()
    assert event.patient_id == cast.patient.public_id
    assert event.actor_id == cast.clinician.pk
    assert event.client_ip == "127.0.0.1"


@pytest.mark.parametrize(
    "url",
    [
        "/patients/not-a-uuid/",
        "/patients/00000000-0000-0000-0000-000000000000/",
        "/patients/00000000-0000-0000-0000-000000000000/allergies/add/",
        "/clinic/staff/00000000-0000-0000-0000-000000000000/",
    ],
)
def test_it_answers_unknown_or_malformed_ids_with_404(client, cast, url):
    sign_in(client, cast.lead)
    assert client.get(url).status_code == 404


def test_it_answers_an_unknown_chart_section_with_404(client, cast):
    sign_in(client, cast.nurse)
    url = reverse("patients:entry_add", args=[cast.patient.public_id, "tattoos"])
    assert client.get(url).status_code == 404


def test_it_keeps_clinic_staff_out_of_the_django_admin(client, cast):
    sign_in(client, cast.lead)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
