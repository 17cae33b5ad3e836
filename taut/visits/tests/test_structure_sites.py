"""Ligament and tendon sites (issue 15): examined by their own findings, on a side that fits
them, injected under the same dose guard as the muscles, coded apart from them (20550/20551
beside 20552/20553), with the steroid cautions of the site and prolotherapy flagged.

One prepared visit for the module (two muscles with active trigger points and the right
iliolumbar ligament examined, consent, time-out and weight recorded); each test adds what it
needs to its own copy."""

import uuid
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from taut.accounts import services as accounts
from taut.aftercare.queries import handout_for
from taut.audit.models import AuditEvent
from taut.clinical import site_checks, tpi_support
from taut.tests.cast import acting
from taut.tests.once import built_once_per_module
from taut.visits import queries
from taut.visits.models import InjectionSite, TriggerPointFinding
from taut.visits.services import exam
from taut.visits.services.common import VisitInvalid
from taut.visits.tests import flow
from taut.visits.tests.test_site_checks import add, sign, url, with_finding

LIGAMENT = {
    "point_tenderness": True,
    "recognised": True,
    "pain_on_stress": True,
    "swelling": False,
}
MUSCLES = (("trapezius_upper", "left"), ("levator_scapulae", "left"))


def _prepared(cast):
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.clinician)
    v = flow.examined(v, cast.clinician, MUSCLES)
    v = with_finding(v, cast.clinician, "iliolumbar_ligament", LIGAMENT, side="right")
    return flow.consented(v, cast.clinician)


prepared, _prepared_once = built_once_per_module(_prepared, name="prepared")


def ligament_site(**fields):
    return flow.site("iliolumbar_ligament", "right", ml="3", **fields)


def test_it_classifies_a_ligament_by_its_own_findings(client, cast, signed_in, prepared):
    """The ligament keeps its own findings (not the trigger point's) and its classification
    from ``structure_exam``; the exam page shows it as a ligament with the reasons."""
    finding = TriggerPointFinding.objects.get(visit=prepared, muscle="iliolumbar_ligament")
    assert (finding.side, finding.kind) == ("right", "symptomatic")
    assert (finding.point_tenderness, finding.pain_on_stress, finding.swelling) == (
        True,
        True,
        False,
    )
    assert finding.taut_band is None and finding.spot_tenderness is None
    result = exam.classify(finding)
    assert finding.rule_version == result.version
    signed_in(cast.clinician)
    body = client.get(url("visits:exam", prepared)).content.decode()
    assert 'Iliolumbar ligament (right) <span class="tag">ligament</span>' in body
    assert "pain on stretch or resisted movement" in body
    assert result.reasons[0].text in body
    # The site choice lists muscles, then ligaments and tendons; Midline is a side.
    assert '<optgroup label="Muscles">' in body
    assert '<optgroup label="Ligaments and tendons">' in body
    assert '<option value="midline">Midline</option>' in body


@pytest.mark.parametrize(
    ("site", "side", "why"),
    [
        ("iliolumbar_ligament", "midline", "paired site: choose Left or Right"),
        ("lumbar_supraspinous_ligament", "left", "midline structure: choose Midline"),
        ("trapezius_upper", "midline", "paired site: choose Left or Right"),
    ],
)
def test_it_refuses_a_side_that_does_not_fit_the_site(cast, prepared, site, side, why):
    """Midline only for a midline ligament, left or right for everything else: the exam and
    the site form both refuse it, naming the side field, and nothing is saved."""
    before = TriggerPointFinding.objects.count()
    with pytest.raises(VisitInvalid) as refused:
        exam.add_finding(
            visit=prepared,
            version=prepared.version,
            actor=acting(cast.clinician),
            data={"muscle": site, "side": side, "location": "", **LIGAMENT},
        )
    assert why in refused.value.errors["side"]
    with pytest.raises(VisitInvalid) as refused:
        add(prepared, cast.clinician, flow.site(site, side))
    assert why in refused.value.errors["side"]
    assert TriggerPointFinding.objects.count() == before
    assert not InjectionSite.objects.exists()


def test_two_muscles_and_the_iliolumbar_ligament_sign_20552_and_20550(
    client, cast, signed_in, prepared
):
    """The dose guard adds the ligament's volume; the note codes the two muscles as 20552 x1
    and the ligament as 20550 x1, each with its sites, stores every code line, and never
    counts the ligament as a muscle."""
    v = add(prepared, cast.clinician, flow.site("trapezius_upper", ml="2"))
    v = add(v, cast.clinician, flow.site("levator_scapulae", ml="2"))
    muscles_only = queries.dose_check(v.procedure).total_mg_by_agent["lidocaine"]
    v = add(v, cast.clinician, ligament_site())
    total = queries.dose_check(v.procedure).total_mg_by_agent["lidocaine"]
    assert (muscles_only, total) == (pytest.approx(40), pytest.approx(70))  # 1 % = 10 mg/mL
    note = sign(v, cast.clinician)
    assert (note.cpt_code, note.muscle_count) == ("20552", 2)
    lines = {line["code"]: line for line in note.codes}
    assert set(lines) == {"20552", "20550"}
    assert (lines["20552"]["units"], lines["20550"]["units"]) == (1, 1)
    assert [(s["id"], s["side"]) for s in lines["20552"]["sites"]] == list(MUSCLES)
    assert lines["20550"]["sites"] == [
        {"id": "iliolumbar_ligament", "side": "right", "name": "Iliolumbar ligament"}
    ]
    body = note.body_html
    assert "<td>20550</td><td>1</td>" in body and "Iliolumbar ligament (right)" in body
    assert "lidocaine 70.0 mg" in body
    signed_in(cast.clinician)
    assert "<strong>20550</strong> ×1" in client.get(url("visits:note", v)).content.decode()
    handout = handout_for(v)  # the aftercare handout names the ligament in plain words
    assert "the ligament between your low back and pelvis" in [
        line.text for section in handout.sections for line in section.lines
    ]


ACHILLES_REASON = "Peritendinous, under ultrasound, not into the tendon"


def achilles_steroid(**fields):
    return flow.site(
        "achilles_insertion",
        "left",
        ml="1",
        steroid="methylprednisolone",
        steroid_mg=Decimal("20"),
        point_reason="Insertional tendinopathy seen on ultrasound",
        **fields,
    )


def test_a_steroid_at_a_tendon_needs_a_reason_and_prolotherapy_is_flagged(
    client, cast, signed_in, prepared
):
    """A steroid at the Achilles insertion (the atlas: no steroid into this tendon) is
    refused without the clinician's reason, naming the field, with the atlas's caution and
    source, and nothing is saved (hazard H18); with the reason it is recorded, audited (that
    a reason was given, not its words) and the note shows the reason beside the caution.
    Dextrose at the ligament is recorded as prolotherapy and the draft note flags it as not
    covered by Medicare (NCD 150.7)."""
    v = add(prepared, cast.clinician, flow.site(ml="2"))
    before = InjectionSite.objects.count()
    with pytest.raises(VisitInvalid) as refused:
        add(v, cast.clinician, achilles_steroid())
    message = refused.value.errors["steroid_site_reason"]
    caution = site_checks.steroid_reason_needed("achilles_insertion", steroid=True)
    assert caution is not None
    assert message.startswith("“Reason for a steroid at this tendon” is required here.")
    assert caution.text in message and caution.source in message
    assert InjectionSite.objects.count() == before
    v = add(v, cast.clinician, achilles_steroid(steroid_site_reason=f"  {ACHILLES_REASON} "))
    achilles = InjectionSite.objects.get(muscle="achilles_insertion")
    assert achilles.steroid_site_reason == ACHILLES_REASON
    event = AuditEvent.objects.filter(object_type="injection_site").latest("id")
    assert event.details["steroid_site_reason"] is True
    assert ACHILLES_REASON not in str(event.details)
    # A reason typed where none is needed is not kept (never on the note).
    v = add(v, cast.clinician, ligament_site(sclerosant="dextrose", steroid_site_reason="x"))
    assert InjectionSite.objects.get(muscle="iliolumbar_ligament").steroid_site_reason == ""
    v = flow.finished(v, cast.clinician)
    signed_in(cast.clinician)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert "Avoid steroid here — Achilles" in page
    assert f"Your reason: {ACHILLES_REASON}" in page
    assert "prolotherapy</span> Dextrose" in page
    draft = client.get(url("visits:note", v)).content.decode()
    assert "NCD 150.7" in draft and "prolotherapy: Dextrose (prolotherapy)" in draft
    assert f"{caution.text} {caution.source}<br><strong>Clinician's reason for the steroid " \
        f"here:</strong> {ACHILLES_REASON}" in draft.replace("&#x27;", "'")  # fmt: skip
    with pytest.raises(VisitInvalid) as refused:
        add(v, cast.clinician, flow.site("rhomboids", sclerosant="dextrose"))
    assert "ligament or tendon" in refused.value.errors["sclerosant"]


def test_the_site_form_asks_the_reason_for_a_steroid_at_a_tendon(client, cast, signed_in, prepared):
    """The site form has the reason field (with the tendons it is for); a steroid at the
    Achilles insertion posted without it comes back (400) with the caution under the field,
    nothing saved; the live dose guard says the reason is needed."""
    signed_in(cast.clinician)
    data = {"version": prepared.version, "muscle": "achilles_insertion", "side": "left",
            "kind": "anaesthetic", "agent": "lidocaine", "percent": "1", "volume_ml": "1",
            "needle_gauge": "25", "needle_length_mm": "25", "guidance": "ultrasound",
            "steroid": "methylprednisolone", "steroid_mg": "20",
            "point_reason": "Insertional tendinopathy"}  # fmt: skip
    guard = client.post(url("visits:dose_preview", prepared), data).content.decode()
    assert "Recording it needs your reason" in guard
    response = client.post(url("visits:site_add", prepared), data)
    assert response.status_code == 400
    errors = response.context["site_form"].errors["steroid_site_reason"]
    assert "No steroid into the Achilles tendon" in errors[0]
    page = response.content.decode()
    assert 'name="steroid_site_reason"' in page and 'id="id_steroid_site_reason_error"' in page
    assert "Only for a steroid where the atlas says no steroid into the tendon" in page
    assert not InjectionSite.objects.exists()


def test_the_exam_form_asks_a_ligament_its_own_questions_and_refuses_a_wrong_side(
    client, cast, signed_in, prepared
):
    """A ligament asks for its point tenderness (not the trigger point's cluster), and a
    paired ligament posted as midline comes back on the form with the reason, nothing
    saved."""
    signed_in(cast.clinician)
    exam_url = url("visits:exam", prepared)
    posted = {"version": prepared.version, "muscle": "sacrotuberous_ligament", "side": "left"}
    response = client.post(exam_url, posted)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"point_tenderness"}
    response = client.post(exam_url, {**posted, "side": "midline", "point_tenderness": "true"})
    assert response.status_code == 400
    assert "choose Left or Right" in response.context["form"].errors["side"][0]
    assert not prepared.findings.filter(muscle="sacrotuberous_ligament").exists()


def test_a_session_over_the_clinics_limit_on_ligament_and_tendon_sites_is_not_met(
    client, cast, signed_in, prepared
):
    """The clinic's own limit (a clinic setting, not a Medicare rule) reaches the payer
    checks: two ligament sites against a limit of one show the check as not met on the
    note page, listed among the warnings to confirm before signing; the session signs (a
    session of ligaments only: the TPI LCDs' repeat checks pass over it)."""
    accounts.update_clinic_settings(
        clinic=cast.clinic,
        version=cast.clinic.version,
        data={"structure_sites_per_session": 1},
        actor=acting(cast.lead),
    )
    v = add(prepared, cast.clinician, ligament_site())
    second = flow.site(
        "posterior_sacroiliac_ligaments", "right", ml="1", point_reason="Tender on palpation"
    )
    v = flow.finished(add(v, cast.clinician, second), cast.clinician)
    limit = {c.code: c for c in queries.structure_payer_checks(v)}["structure_limit"]
    assert (limit.passed, limit.source) == (False, "clinic policy")
    signed_in(cast.clinician)
    response = client.post(url("visits:sign", v), {"version": v.version})
    assert response.status_code == 200
    page = response.content.decode()
    text = "2 ligament and tendon sites in this session; the clinic&#x27;s policy allows 1."
    assert text in page.split('id="sign-confirm"')[1]  # a warning to confirm, not met
    # It warns, it does not stop: signed, and the next-step panel reads it as no TPI session.
    assert sign(v, cast.clinician).codes[0]["code"] == "20550"


def test_a_session_of_ligament_sites_only_signs_and_shows_its_outcomes(
    client, cast, signed_in, prepared
):
    """No muscle injected: the payer's repeat checks get the session's sites (a ligament has
    no TPI region, so none of the TPI rules applies [S49], [S50]) instead of an empty set,
    which they refuse. Before the fix the signing (its draft note) and the patient's outcomes
    page failed with a ValueError."""
    v = add(prepared, cast.clinician, ligament_site())
    note = sign(v, cast.clinician)
    assert [line["code"] for line in note.codes] == ["20550"]
    assert (note.cpt_code, note.muscle_count) == ("", 0)
    signed_in(cast.clinician)
    outcomes = client.get(
        reverse("outcomes:chart_section", kwargs={"patient_id": cast.patient.public_id})
    )
    assert outcomes.status_code == 200
    assert "Iliolumbar ligament" in outcomes.content.decode()


def test_the_exam_support_banner_holds_back_muscles_only():
    """Without an active trigger point the procedure page warns that no muscle can be
    injected, not that no site can be recorded: a ligament or tendon site can be
    (``services.procedure.add_site`` asks the exam support only of a muscle)."""
    ids = SimpleNamespace(public_id=uuid.uuid4())
    html = render_to_string(
        "visits/_exam_support.html",
        {
            "exam_support": tpi_support.exam_supports_tpi([], []),
            "visit": SimpleNamespace(locked=False, public_id=uuid.uuid4()),
            "patient": ids,
        },
    )
    assert "No muscle can be injected yet" in html
    assert "ligament or tendon site" in html and "No injection site can be recorded" not in html
