"""The visit's rules through its services: states, gates, the dose guard and signing."""

from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from taut.audit.models import Action, AuditEvent
from taut.tests.cast import acting
from taut.visits import queries as visit_queries
from taut.visits.models import Visit
from taut.visits.services import intake as intake_services
from taut.visits.services import note, procedure
from taut.visits.services.common import Blocked, VisitConflict, VisitLocked
from taut.visits.tests import flow
from taut.workflows import notes


def test_it_moves_through_the_states_to_signed(cast):
    v = flow.scheduled(cast.patient, cast.clinician)
    assert v.state == Visit.State.SCHEDULED
    v = flow.with_intake(v, cast.nurse)
    assert (v.state, v.intake.verdict_status) == (Visit.State.INTAKE_DONE, "eligible")
    v = flow.examined(v, cast.clinician)
    assert v.state == Visit.State.EXAMINED
    assert v.findings.get().kind == "active"
    v = flow.consented(v, cast.nurse)
    v = flow.with_sites(v, cast.clinician, [flow.site()])
    assert v.state == Visit.State.PROCEDURE_DOCUMENTED
    v = flow.finished(v, cast.nurse)
    signed = notes.sign_note(
        visit=v, version=v.version, icd_codes=["M79.18"], actor=acting(cast.clinician)
    )
    v.refresh_from_db()
    assert v.state == Visit.State.SIGNED
    assert signed.cpt_code == "20552" and signed.muscle_count == 1
    assert visit_queries.note_is_intact(signed)
    assert "Lidocaine 1.00%" in signed.body_html or "Lidocaine 1%" in signed.body_html


def test_it_codes_three_muscles_as_20553(cast):
    v = flow.ready_to_sign(cast.patient, cast.clinician)
    signed = notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    assert (signed.cpt_code, signed.muscle_count) == ("20553", 3)


def test_it_blocks_sites_until_consent_and_time_out(cast):
    v = flow.examined(
        flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse), cast.clinician
    )
    with pytest.raises(Blocked, match="consent and the time-out"):
        procedure.add_site(
            visit=v, version=v.version, site=flow.site(), actor=acting(cast.clinician)
        )


def test_it_blocks_a_not_eligible_patient_until_a_clinician_overrides(cast):
    v = flow.scheduled(cast.patient, cast.clinician)
    v = flow.with_intake(v, cast.nurse, site_infection_or_broken_skin=True)
    assert v.intake.verdict_status == "not_eligible"
    with pytest.raises(Blocked, match="Not eligible"):
        procedure.start_procedure(
            visit=v, version=v.version, actor=acting(cast.nurse), weight_kg=70
        )
    intake_services.record_decision(
        visit=v,
        version=v.version,
        kind="override",
        reason="Infection is at a distant site; planned sites clear",
        actor=acting(cast.clinician),
    )
    v.refresh_from_db()
    assert procedure.start_procedure(
        visit=v, version=v.version, actor=acting(cast.nurse), weight_kg=70
    )
    assert AuditEvent.objects.filter(
        object_type="screening_decision", details__kind="override"
    ).exists()


def test_it_requires_a_decision_when_screening_needs_review(cast):
    v = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician), cast.nurse, anticoagulant_or_antiplatelet=True
    )
    assert v.intake.verdict_status == "needs_review"
    allowed, why = visit_queries.procedure_gate(v)
    assert not allowed and "needs review" in why
    with pytest.raises(Blocked, match="no screening verdict that calls for this"):
        intake_services.record_decision(
            visit=v,
            version=v.version,
            kind="override",
            reason="Long enough reason here",
            actor=acting(cast.clinician),
        )
    intake_services.record_decision(
        visit=v,
        version=v.version,
        kind="proceed",
        reason="INR in range; small needles; pressure after",
        actor=acting(cast.clinician),
    )
    v.refresh_from_db()
    assert visit_queries.procedure_gate(v) == (True, "")


def test_it_refuses_a_site_above_the_maximum_without_an_override(cast):
    v = flow.consented(
        flow.examined(
            flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
            cast.clinician,
            (("trapezius_upper", "left"), ("rhomboids", "left")),
        ),
        cast.nurse,
        weight=Decimal("50"),
    )
    # 50 kg plain lidocaine: min(4.5 x 50, 300) = 225 mg = 22.5 mL of 1 %.
    v = flow.with_sites(v, cast.clinician, [flow.site(ml="20")])
    before = v.version
    with pytest.raises(procedure.DoseExceeded):
        flow.with_sites(v, cast.clinician, [flow.site("rhomboids", ml="5")])
    v.refresh_from_db()
    assert v.version == before and v.procedure.sites.count() == 1
    flow.with_sites(
        v,
        cast.clinician,
        [flow.site("rhomboids", ml="5", override="Reviewed: ideal weight dosing")],
    )
    assert v.procedure.sites.count() == 2
    assert AuditEvent.objects.filter(object_type="injection_site", details__override=True).exists()


def test_it_refuses_a_concentration_outside_the_agents_range(cast):
    v = flow.consented(
        flow.examined(
            flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
            cast.clinician,
        ),
        cast.nurse,
    )
    with pytest.raises(Blocked, match="percent: lidocaine"):
        flow.with_sites(v, cast.clinician, [flow.site(percent="4")])


def test_it_requires_pneumothorax_in_consent_for_a_neck_site(cast):
    v = flow.examined(
        flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
        cast.clinician,
        (("scalenes", "left"),),
    )
    with pytest.raises(Blocked, match="pneumothorax"):
        procedure.record_consent(
            visit=v,
            version=v.version,
            consented_by="The patient",
            consented_at=v.scheduled_for,
            risks=["bleeding", "infection", "soreness", "vasovagal", "nerve_injury"],
            actor=acting(cast.nurse),
        )


def test_it_refuses_a_stale_version_and_names_the_change(cast):
    v = flow.scheduled(cast.patient, cast.clinician)
    stale = v.version
    flow.with_intake(v, cast.nurse)
    with pytest.raises(VisitConflict, match="nurse changed intake at"):
        intake_services.save_intake(
            visit=v,
            version=stale,
            data=flow.ELIGIBLE,
            goals=[("Walk the dog", -1)],
            actor=acting(cast.clinician),
        )
    v.refresh_from_db()
    assert list(v.goals.values_list("text", flat=True)) == ["Sleep through the night"]


def test_it_keeps_a_signed_visit_closed(cast):
    v = flow.ready_to_sign(cast.patient, cast.clinician)
    notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    v.refresh_from_db()
    with pytest.raises(VisitLocked):
        flow.with_sites(v, cast.clinician, [flow.site("deltoid")])


def test_it_adds_addenda_without_touching_the_note(cast):
    v = flow.ready_to_sign(cast.patient, cast.clinician)
    signed = notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    body, digest = signed.body_html, signed.sha256
    note.add_addendum(
        note=signed, text="Volume at rhomboids was 4 mL, not 5 mL.", actor=acting(cast.clinician)
    )
    signed.refresh_from_db()
    assert (signed.body_html, signed.sha256) == (body, digest)
    assert signed.addenda.get().text.startswith("Volume at rhomboids")
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="addendum").exists()


def test_it_will_not_sign_before_the_immediate_pain_scores(cast):
    v = flow.consented(
        flow.examined(
            flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
            cast.clinician,
        ),
        cast.nurse,
    )
    v = flow.with_sites(v, cast.clinician, [flow.site()])
    with pytest.raises(Blocked, match="pain scores just before and after"):
        notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))


def test_it_refuses_an_agent_the_patient_is_allergic_to(cast):
    from taut.patients import services as patients
    from taut.patients.models import Allergy

    # An ester allergy: the patient stays eligible (an amide allergy stops the whole
    # procedure until a clinician overrides: test_allergies.py), so the site check decides.
    patients.add_chart_entry(
        patient=cast.patient, actor=acting(cast.nurse),
        entry=Allergy(agent="Procaine", anaesthetic="procaine", reaction="Hives"),
    )  # fmt: skip
    # The intake lists the chart's allergy (the form pre-fills it); one the screening has
    # not seen blocks the procedure (test_decision_lapse.py).
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse,
                         anaesthetic_allergies=["procaine"])  # fmt: skip
    assert v.intake.verdict_status == "eligible"
    v = flow.consented(flow.examined(v, cast.clinician), cast.nurse)
    with pytest.raises(Blocked, match="allergic to procaine"):
        flow.with_sites(v, cast.clinician, [flow.site(agent="procaine", percent="1")])
    # An allergy rules out its whole class (issue 11), not only the agent named.
    with pytest.raises(Blocked, match="Chloroprocaine is an ester"):
        flow.with_sites(v, cast.clinician, [flow.site(agent="chloroprocaine", percent="1")])
    assert not v.procedure.sites.exists()
    flow.with_sites(v, cast.clinician, [flow.site(agent="lidocaine", percent="1")])
    assert v.procedure.sites.get().agent == "lidocaine"


def test_it_checks_payer_rules_as_of_the_session_day_not_the_signing_day(cast):
    from datetime import timedelta

    from django.utils import timezone

    v = flow.ready_to_sign(cast.patient, cast.clinician)
    later = timezone.now() + timedelta(days=3)
    signed = notes.sign_note(
        visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician, now=later)
    )
    assert signed.signed_at == later
    assert visit_queries.session_date(v) == timezone.localdate(v.scheduled_for)


def test_it_refuses_an_intake_whose_answers_contradict(cast):
    v = flow.scheduled(cast.patient, cast.clinician)
    with pytest.raises(Blocked, match="Worst pain cannot be lower"):
        flow.with_intake(v, cast.nurse, nrs_worst=2)
    with pytest.raises(Blocked, match="leave the side empty"):
        flow.with_intake(v, cast.nurse, index_region="sternum", index_side="left")


def test_it_audits_the_first_intake_as_a_creation(cast):
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse)
    flow.with_intake(v, cast.nurse, reason="Corrected reason")
    events = AuditEvent.objects.filter(object_type="intake").order_by("id")
    actions = list(events.values_list("action", flat=True))
    assert actions == [Action.CREATE, Action.UPDATE]


def test_it_will_not_sign_a_visit_on_a_later_day(cast):
    """A note documents what was done: a visit booked for tomorrow cannot be signed today."""
    tomorrow = timezone.now() + timedelta(days=1)
    v = flow.scheduled(cast.patient, cast.clinician, when=tomorrow)
    v = flow.examined(flow.with_intake(v, cast.nurse), cast.clinician)
    v = flow.consented(v, cast.nurse)
    v = flow.finished(flow.with_sites(v, cast.clinician, [flow.site()]), cast.nurse)
    with pytest.raises(Blocked, match="its note can be signed from that day"):
        notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    with time_machine.travel(tomorrow):
        notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    assert Visit.objects.get(pk=v.pk).state == Visit.State.SIGNED
