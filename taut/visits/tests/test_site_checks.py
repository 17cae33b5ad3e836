"""The site form asks for what a site needs (a high-risk landmark site's risk confirmed, the
reason for a muscle without an active trigger point), and the note codes injections and dry
needling apart, counting only muscles with a documented trigger point."""

from decimal import Decimal

import pytest
from django.urls import reverse

from taut.tests.cast import acting
from taut.visits.models import InjectionSite
from taut.visits.services import exam, procedure
from taut.visits.services.common import VisitInvalid
from taut.visits.tests import flow
from taut.workflows import notes

NOT_CONFIRMED = {**flow.ACTIVE, "referred_pain": False, "recognised": None, "twitch": None}
LATENT = {**flow.ACTIVE, "recognised": False}


def url(name, visit):
    kwargs = {"patient_id": visit.patient.public_id, "visit_id": visit.public_id}
    return reverse(name, kwargs=kwargs)


def with_finding(v, by, muscle, findings, side="left"):
    exam.add_finding(
        visit=v,
        version=v.version,
        actor=acting(by),
        data={"muscle": muscle, "side": side, "location": "", **findings},
    )
    v.refresh_from_db()
    return v


def ready(cast, muscles=(("trapezius_upper", flow.ACTIVE),)):
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.clinician)
    for muscle, findings in muscles:
        v = with_finding(v, cast.clinician, muscle, findings)
    return flow.consented(v, cast.clinician)


def add(v, by, site):
    procedure.add_site(visit=v, version=v.version, site=site, actor=acting(by))
    v.refresh_from_db()
    return v


def sign(v, by):
    v = flow.finished(v, by)
    note = notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(by))
    return note


def dry(muscle, side="left"):
    return InjectionSite(
        muscle=muscle,
        side=side,
        kind="dry_needling",
        needle_gauge=30,
        needle_length_mm=Decimal("30"),
    )


# -- High-risk sites ------------------------------------------------------------


def test_it_asks_to_confirm_a_landmark_injection_at_a_high_risk_site(cast):
    """Blocked: suboccipitals (vertebral artery) by landmark, unconfirmed; overridden: the
    clinician confirms, and the note says so."""
    v = ready(cast, [("suboccipitals", flow.ACTIVE)])
    with pytest.raises(VisitInvalid) as refused:
        add(v, cast.clinician, flow.site("suboccipitals"))
    message = refused.value.errors["high_risk_confirmed"]
    assert "vertebral artery" in message and "ultrasound guidance is suggested" in message
    assert not InjectionSite.objects.exists()
    v = add(v, cast.clinician, flow.site("suboccipitals", high_risk_confirmed=True))
    note = sign(v, cast.clinician)
    assert "High-risk site injected by landmark; the clinician confirmed the risk" in (
        note.body_html
    )
    assert "vertebral artery" in note.body_html


def test_it_needs_no_confirmation_under_ultrasound(cast):
    v = ready(cast, [("intercostals", flow.ACTIVE)])
    site = flow.site("intercostals", guidance="ultrasound")
    v = add(v, cast.clinician, site)
    assert v.procedure.sites.get().high_risk_confirmed is False


def test_it_treats_the_chest_wall_as_high_risk(cast):
    v = ready(cast, [("serratus_anterior", flow.ACTIVE)])
    with pytest.raises(VisitInvalid) as refused:
        add(v, cast.clinician, flow.site("serratus_anterior"))
    assert "pleura" in refused.value.errors["high_risk_confirmed"].lower()


def test_the_site_form_asks_for_the_confirmation_and_saves_nothing(client, cast, signed_in):
    v = ready(cast, [("suboccipitals", flow.ACTIVE)])
    signed_in(cast.clinician)
    data = {"version": v.version, "muscle": "suboccipitals", "side": "left",
            "kind": "anaesthetic", "agent": "lidocaine", "percent": "1", "volume_ml": "2",
            "needle_gauge": "25", "needle_length_mm": "25", "guidance": "landmark"}  # fmt: skip
    response = client.post(url("visits:site_add", v), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "I confirm the risk of this high-risk site by landmark" in body
    assert "ultrasound guidance is suggested" in body
    assert not InjectionSite.objects.exists()
    ok = client.post(url("visits:site_add", v), {**data, "high_risk_confirmed": "on"})
    assert ok.status_code == 302
    assert InjectionSite.objects.get().high_risk_confirmed is True


# -- Unconfirmed points ---------------------------------------------------------


def test_it_asks_for_a_reason_to_inject_a_muscle_without_a_trigger_point(cast):
    """Blocked without a reason; with one, the site is recorded, not billed, and the note
    gives the reason."""
    v = ready(cast, [("trapezius_upper", flow.ACTIVE), ("rhomboids", NOT_CONFIRMED)])
    v = add(v, cast.clinician, flow.site())
    with pytest.raises(VisitInvalid) as refused:
        add(v, cast.clinician, flow.site("rhomboids", ml="2"))
    assert "no trigger point confirmed" in refused.value.errors["point_reason"]
    v = add(v, cast.clinician, flow.site("rhomboids", ml="2", point_reason="Tender band"))
    note = sign(v, cast.clinician)
    assert (note.cpt_code, note.muscle_count) == ("20552", 1)
    assert "reason to inject: Tender band" in note.body_html
    assert "Injected but not counted toward 20552/20553" in note.body_html


def test_the_site_form_asks_for_the_reason(client, cast, signed_in):
    # An active point elsewhere lets the visit have sites at all (exam support).
    v = ready(cast, [("levator_scapulae", flow.ACTIVE), ("trapezius_upper", NOT_CONFIRMED)])
    signed_in(cast.clinician)
    data = {"version": v.version, "muscle": "trapezius_upper", "side": "left",
            "kind": "anaesthetic", "agent": "lidocaine", "percent": "1", "volume_ml": "2",
            "needle_gauge": "25", "needle_length_mm": "25", "guidance": "landmark"}  # fmt: skip
    response = client.post(url("visits:site_add", v), data)
    assert response.status_code == 400
    assert "Reason to inject (no active trigger point found here)" in response.content.decode()
    assert not InjectionSite.objects.exists()
    ok = client.post(url("visits:site_add", v), {**data, "point_reason": "Patient's choice"})
    assert ok.status_code == 302


def test_it_bills_a_latent_point_only_with_its_reason(cast):
    v = ready(
        cast,
        [
            ("trapezius_upper", flow.ACTIVE),
            ("levator_scapulae", flow.ACTIVE),
            ("rhomboids", LATENT),
        ],
    )
    v = add(v, cast.clinician, flow.site(ml="2"))
    v = add(v, cast.clinician, flow.site("levator_scapulae", ml="2"))
    v = add(v, cast.clinician, flow.site("rhomboids", ml="2", point_reason="Limits reaching"))
    note = sign(v, cast.clinician)
    assert (note.cpt_code, note.muscle_count) == ("20553", 3)


def test_it_asks_no_reason_for_dry_needling(cast):
    # An active point elsewhere lets the visit have sites at all (exam support).
    v = ready(cast, [("trapezius_upper", flow.ACTIVE), ("rhomboids", NOT_CONFIRMED)])
    v = add(v, cast.clinician, dry("rhomboids"))
    assert v.procedure.sites.count() == 1


# -- Mixed sessions -------------------------------------------------------------


def test_it_codes_a_mixed_session_separately(cast):
    """Two injected muscles and three dry-needled ones: 20552 and 20561, never 20553."""
    v = ready(cast, [("trapezius_upper", flow.ACTIVE), ("levator_scapulae", flow.ACTIVE)])
    v = add(v, cast.clinician, flow.site(ml="2"))
    v = add(v, cast.clinician, flow.site("levator_scapulae", ml="2"))
    for muscle in ("rhomboids", "infraspinatus", "supraspinatus"):
        v = add(v, cast.clinician, dry(muscle))
    note = sign(v, cast.clinician)
    assert (note.cpt_code, note.dry_needling_code, note.muscle_count) == ("20552", "20561", 2)
    assert "Dry needling is coded on its own" in note.body_html
    assert "exclude dry needling" in note.body_html


def test_the_draft_note_shows_both_codes_and_the_warning(client, cast, signed_in):
    v = ready(cast)
    v = add(v, cast.clinician, flow.site(ml="2"))
    v = flow.finished(add(v, cast.clinician, dry("rhomboids")), cast.clinician)
    signed_in(cast.clinician)
    body = client.get(url("visits:note", v)).content.decode()
    assert "Dry needling: CPT <strong>20560</strong>" in body
    assert "never count toward 20552/20553" in body


def test_the_procedure_page_says_what_each_examined_muscle_would_ask(client, cast, signed_in):
    """Before a site is chosen: a high-risk muscle shows the ultrasound suggestion, a muscle
    without a confirmed point says it is not billed, in words (no identifiers)."""
    v = ready(cast, [("suboccipitals", flow.ACTIVE), ("rhomboids", NOT_CONFIRMED)])
    signed_in(cast.clinician)
    body = client.get(url("visits:procedure", v)).content.decode()
    assert "Suboccipital group" in body and "ultrasound guidance is suggested" in body
    assert "no trigger point confirmed on the exam" in body
    assert "It is not counted toward 20552/20553." in body
    assert "Not_confirmed" not in body
