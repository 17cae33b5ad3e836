"""The visit pages over HTTP: roles, bad input, conflicts, the dose guard, signing, the PDF."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from taut.audit.models import Action, AuditEvent
from taut.clinical import sites
from taut.tests.cast import acting
from taut.visits.models import InjectionSite, Intake, TriggerPointFinding
from taut.visits.tests import flow
from taut.workflows import notes


def url(name, visit, **extra):
    return reverse(name, kwargs={"patient_id": visit.patient.public_id,
                                 "visit_id": visit.public_id, **extra})  # fmt: skip


def intake_post(visit, **changes):
    from taut.clinical import screening

    data = {
        "version": visit.version,
        "reason": "Neck pain",
        "index_region": "shoulder_top",
        "index_side": "left",
        "pain_months": "6",
        "nrs_now": "6",
        "nrs_average": "5",
        "nrs_worst": "8",
        "peg_pain": "6",
        "peg_enjoyment": "5",
        "peg_activity": "5",
        "indications": ["myofascial_pain"],
        "site_infection_or_broken_skin": "false",
        "acute_muscle_trauma_at_site": "false",
        "pregnant": "false",
        "bleeding_disorder": "false",
        "anticoagulant_or_antiplatelet": "false",
        "needle_phobia": "false",
        "steroid_planned": "false",
        "conservative_care": "Stretching",
        "conservative_care_weeks": "8",
        "previous_tpi": "false",
        "goal_1": "Turn my head when driving",
        "goal_1_level": "-1",
        "goal_2": "Sleep through the night",
        "goal_2_level": "-2",
    }
    for question in screening.NECK_RED_FLAGS + screening.BACK_RED_FLAGS:
        data[f"rf:{question.id}"] = "false"
    data.update(changes)
    return data


@pytest.fixture
def visit(cast):
    return flow.scheduled(cast.patient, cast.clinician)


def test_it_saves_an_intake_and_shows_the_verdict(client, cast, signed_in, visit):
    signed_in(cast.nurse)
    response = client.post(url("visits:intake", visit), intake_post(visit))
    assert response.status_code == 302
    page = client.get(url("visits:intake", visit)).content.decode()
    assert 'class="verdict-label">Eligible' in page
    intake = Intake.objects.get(visit=visit)
    assert intake.verdict_status == "eligible"
    assert [g.text for g in visit.goals.all()] == [
        "Turn my head when driving",
        "Sleep through the night",
    ]


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("nrs_now", "11", "less than or equal to 10"),
        ("nrs_worst", "2", "Worst pain cannot be lower"),
        ("index_region", "spleen", "Select a valid choice"),
        ("goal_1", "", "This field is required"),
        ("conservative_care_weeks", "-1", "greater than or equal to 0"),
    ],
)
def test_it_refuses_a_bad_intake_and_saves_nothing(client, cast, signed_in, visit, field, value,
                                                   message):  # fmt: skip
    signed_in(cast.nurse)
    response = client.post(url("visits:intake", visit), intake_post(visit, **{field: value}))
    assert response.status_code == 400
    assert message in response.content.decode()
    visit.refresh_from_db()
    assert not Intake.objects.exists() and visit.version == 1


def test_it_refuses_intake_to_front_desk(client, cast, signed_in, visit):
    signed_in(cast.front_desk)
    assert client.post(url("visits:intake", visit), intake_post(visit)).status_code == 403
    assert not Intake.objects.exists()


def test_it_refuses_a_stale_intake_and_names_who_changed_it(client, cast, signed_in, visit):
    stale = intake_post(visit, reason="My version")
    signed_in(cast.nurse)
    client.post(url("visits:intake", visit), intake_post(visit, reason="Nurse's version"))
    signed_in(cast.clinician)
    response = client.post(url("visits:intake", visit), stale)
    assert response.status_code == 409  # a conflict, naming who changed what
    assert "nurse changed intake at" in response.content.decode()
    assert Intake.objects.get().reason == "Nurse's version"


def test_it_classifies_a_finding_and_refuses_unknown_muscles(client, cast, signed_in, visit):
    visit = flow.with_intake(visit, cast.nurse)
    signed_in(cast.clinician)
    base = {"version": visit.version, "side": "left", "taut_band": "true",
            "spot_tenderness": "true", "referred_pain": "true", "recognised": "false",
            "ppt": "3", "ppt_unit": "kg/cm2"}  # fmt: skip
    bad = client.post(url("visits:exam", visit), {**base, "muscle": "spleen"})
    assert bad.status_code == 400 and not TriggerPointFinding.objects.exists()
    client.post(url("visits:exam", visit), {**base, "muscle": "trapezius_upper"})
    finding = TriggerPointFinding.objects.get()
    assert finding.kind == "latent"
    assert finding.ppt_kpa == Decimal("294.2")  # 3 kg/cm² = 294.1995 kPa


def test_it_refuses_exam_findings_from_a_nurse(client, cast, signed_in, visit):
    visit = flow.with_intake(visit, cast.nurse)
    signed_in(cast.nurse)
    response = client.post(url("visits:exam", visit), {"version": visit.version,
                                                       "muscle": "trapezius_upper",
                                                       "side": "left"})  # fmt: skip
    assert response.status_code == 403


def ready_for_sites(cast, weight=Decimal("60")):
    v = flow.scheduled(cast.patient, cast.clinician)
    v = flow.examined(flow.with_intake(v, cast.nurse), cast.clinician)
    return flow.consented(v, cast.nurse, weight=weight)


def site_post(visit, **changes):
    data = {"version": visit.version, "muscle": "trapezius_upper", "side": "left",
            "kind": "anaesthetic", "agent": "lidocaine", "percent": "1", "volume_ml": "5",
            "needle_gauge": "25", "needle_length_mm": "25", "guidance": "landmark"}  # fmt: skip
    data.update(changes)
    return data


def test_it_previews_the_dose_guard_turning_amber(client, cast, signed_in):
    visit = ready_for_sites(cast)  # 60 kg: 270 mg of plain lidocaine
    signed_in(cast.clinician)
    calm = client.post(url("visits:dose_preview", visit), site_post(visit, volume_ml="10"),
                       headers={"HX-Request": "true"})  # fmt: skip
    assert "dose-ok" in calm.content.decode()
    amber = client.post(url("visits:dose_preview", visit), site_post(visit, volume_ml="22"),
                        headers={"HX-Request": "true"})  # fmt: skip
    body = amber.content.decode()
    assert "dose-caution" in body and "81%" in body
    assert "Table in force" in body and not InjectionSite.objects.exists()


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"volume_ml": "0"}, "The volume must be more than 0 mL."),
        ({"percent": "5"}, "percent: lidocaine"),
        ({"muscle": "spleen"}, "Select a valid choice"),
        ({"needle_gauge": "40"}, "less than or equal to 32"),
    ],
)
def test_it_refuses_bad_sites_and_saves_nothing(client, cast, signed_in, changes, message):
    visit = ready_for_sites(cast)
    signed_in(cast.clinician)
    response = client.post(url("visits:site_add", visit), site_post(visit, **changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not InjectionSite.objects.exists()


def test_it_refuses_a_site_over_the_maximum_unless_overridden(client, cast, signed_in):
    visit = ready_for_sites(cast)
    signed_in(cast.clinician)
    over = client.post(url("visits:site_add", visit), site_post(visit, volume_ml="28"))
    assert over.status_code == 400
    assert "above the weight-based maximum" in over.content.decode()
    assert not InjectionSite.objects.exists()
    visit.refresh_from_db()
    overridden = site_post(visit, volume_ml="28",
                           override_reason="Dosed by ideal weight; monitored 30 min")  # fmt: skip
    summary = client.post(url("visits:site_add", visit), overridden)
    assert "Confirm the override" in summary.content.decode()
    assert not InjectionSite.objects.exists()  # shown, not saved, until confirmed
    ok = client.post(url("visits:site_add", visit), {**overridden, "confirmed": "yes"})
    assert ok.status_code == 302
    assert InjectionSite.objects.get().override_reason.startswith("Dosed by ideal weight")


def test_it_lets_nurses_record_consent_but_not_sites(client, cast, signed_in):
    visit = ready_for_sites(cast)
    signed_in(cast.nurse)
    assert client.post(url("visits:site_add", visit), site_post(visit)).status_code == 403
    assert not InjectionSite.objects.exists()


def signed_visit(cast):
    visit = flow.ready_to_sign(cast.patient, cast.clinician)
    notes.sign_note(
        visit=visit, version=visit.version, icd_codes=["M79.18"], actor=acting(cast.clinician)
    )
    visit.refresh_from_db()
    return visit


def test_it_signs_through_the_page_and_only_for_clinicians(client, cast, signed_in):
    visit = flow.ready_to_sign(cast.patient, cast.clinician)
    signed_in(cast.nurse)
    assert client.post(url("visits:sign", visit), {"version": visit.version}).status_code == 403
    signed_in(cast.clinician)
    draft = client.get(url("visits:note", visit)).content.decode()
    assert "20553" in draft and "Draft" in draft
    client.post(url("visits:sign", visit),
                {"version": visit.version, "icd_codes": ["M79.18"], "confirmed": "yes"})  # fmt: skip
    visit.refresh_from_db()
    assert visit.state == "signed" and visit.note.icd_codes == ["M79.18"]


def test_it_prints_the_signed_note_as_a_pdf_and_audits_it(client, cast, signed_in):
    visit = signed_visit(cast)
    signed_in(cast.nurse)
    response = client.get(url("visits:pdf", visit))
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert AuditEvent.objects.filter(
        action=Action.PRINT, patient_id=cast.patient.public_id
    ).exists()


def test_it_keeps_the_original_when_an_addendum_is_added(client, cast, signed_in):
    visit = signed_visit(cast)
    original = visit.note.body_html
    signed_in(cast.clinician)
    client.post(url("visits:addendum", visit), {"text": "Rhomboids received 4 mL, not 5 mL."})
    visit.note.refresh_from_db()
    assert visit.note.body_html == original
    page = client.get(url("visits:note", visit)).content.decode()
    assert "Rhomboids received 4 mL" in page and "Signed by" in page


def test_it_refuses_changes_to_a_signed_visit(client, cast, signed_in):
    visit = signed_visit(cast)
    signed_in(cast.clinician)
    response = client.post(url("visits:site_add", visit), site_post(visit, muscle="deltoid"))
    assert response.status_code in (400, 403)
    assert "addendum" in response.content.decode()
    assert visit.procedure.sites.count() == 3


def test_it_lists_todays_visits_with_their_state(client, cast, signed_in):
    flow.scheduled(cast.patient, cast.clinician, when=timezone.now())
    flow.scheduled(cast.patient, cast.clinician, when=timezone.now() - timedelta(days=2))
    signed_in(cast.front_desk)
    response = client.get(reverse("visits:day_list"))
    assert len(response.context["visits"]) == 1
    assert "Scheduled" in response.content.decode()


def test_it_lists_a_patients_visits_on_the_chart(client, cast, signed_in):
    section = reverse("visits:chart_section", args=[cast.patient.public_id])
    signed_in(cast.clinician)
    assert b"No visits yet" in client.get(section).content
    visit = signed_visit(cast)
    body = client.get(section, headers={"HX-Request": "true"}).content.decode()
    assert reverse("visits:detail", args=[cast.patient.public_id, visit.public_id]) in body
    assert "CPT 20553, 3 muscles" in body


def test_it_shows_a_saved_intakes_steroid_answer_or_undecided(client, cast, signed_in, visit):
    """The steroid question has three answers: a saved "no" shows as No, and an intake
    without a decision shows Undecided (issue 11: never a forced "no")."""
    signed_in(cast.clinician)
    for saved, shown in ((False, "false"), (None, "")):
        flow.with_intake(visit, cast.clinician, steroid_planned=saved)
        page = client.get(url("visits:intake", visit)).content.decode()
        checked = re.findall(r'name="steroid_planned" value="(\w*)"[^>]*checked', page)
        assert checked == [shown]


def test_it_shows_a_saved_intakes_yes_no_answers_selected(client, cast, signed_in, visit):
    flow.with_intake(visit, cast.clinician, needle_phobia=True, pregnant=False)
    signed_in(cast.clinician)
    page = client.get(url("visits:intake", visit)).content.decode()
    for name, value in (("needle_phobia", "true"), ("pregnant", "false")):
        select = page[
            page.index(f'name="{name}"') : page.index("</select>", page.index(f'name="{name}"'))
        ]
        assert f'<option value="{value}" selected>' in select, name


def test_it_starts_a_new_site_from_the_sourced_defaults(client, cast, signed_in):
    """A new site's form is filled from taut.clinical.sites.NEW_SITE, and the page names
    the source of those starting values."""
    visit = ready_for_sites(cast)
    signed_in(cast.clinician)
    response = client.get(url("visits:procedure", visit))
    form = response.context["site_form"]
    start = sites.NEW_SITE
    assert (form["agent"].value(), form["needle_gauge"].value()) == (start.agent, 25)
    assert form["volume_ml"].value() == start.volume_ml == Decimal("2")
    assert form["needle_length_mm"].value() == Decimal("38")
    assert "[S11] about 2 mL per point" in response.content.decode()


def test_it_audits_a_visit_page_as_a_view_of_that_visit(client, cast, signed_in):
    """The trail names the record seen: the visit for its pages, the note once signed."""
    visit = signed_visit(cast)
    signed_in(cast.nurse)
    before = AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
    client.get(url("visits:exam", visit))
    client.get(url("visits:note", visit))
    seen = AuditEvent.objects.filter(id__gt=before, action=Action.VIEW).order_by("id")
    assert [(e.object_type, e.object_id) for e in seen] == [
        ("visit", str(visit.public_id)),
        ("note", str(visit.public_id)),  # a note is named by its visit, as when it was signed
    ]
    assert {e.patient_id for e in seen} == {cast.patient.public_id}
