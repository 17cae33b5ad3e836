"""A screening decision lapses when the facts change (issue 11, point 2): through the
services and the pages. The rule is taut.clinical.screening.decision_covers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from taut.patients import services as chart
from taut.patients.models import Allergy, Medication
from taut.tests.cast import acting
from taut.tests.test_visible_text import visible_problems
from taut.visits import queries as visit_queries
from taut.visits.models import ScreeningDecision
from taut.visits.services import intake as intake_services
from taut.visits.services import procedure
from taut.visits.services.common import Blocked
from taut.visits.tests import flow
from taut.workflows import notes

FEVER = "red_flag.fever_or_infection"


def url(name, visit):
    return reverse(name, kwargs={"patient_id": visit.patient.public_id,
                                 "visit_id": visit.public_id})  # fmt: skip


def fever():
    return {**flow.red_flag_answers(), "neck.fever": True}


def decide(v, by, kind, reason="Weighed with the patient; safe to go ahead", named=()):
    intake_services.record_decision(
        visit=v, version=v.version, kind=kind, reason=reason, named=named, actor=acting(by)
    )
    v.refresh_from_db()
    return v


def reviewed(cast):
    """Needs review (an antithrombotic), and a clinician decided to proceed."""
    v = flow.scheduled(cast.patient, cast.clinician)
    v = flow.with_intake(v, cast.nurse, anticoagulant_or_antiplatelet=True)
    return decide(v, cast.clinician, "proceed")


def test_it_records_the_reasons_a_decision_was_made_on(cast):
    v = reviewed(cast)
    decision = v.decisions.get()
    assert [c["code"] for c in decision.covers] == ["anticoagulant_or_antiplatelet"]
    assert decision.covers[0]["text"] == v.intake.verdict_reasons[0]["text"]
    assert decision.verdict_version == v.intake.verdict_version
    assert visit_queries.procedure_gate(v) == (True, "")


def test_it_voids_a_proceed_when_a_red_flag_is_added_and_blocks_until_decided_again(cast):
    v = reviewed(cast)
    v = flow.with_intake(v, cast.nurse, anticoagulant_or_antiplatelet=True, red_flags=fever())
    allowed, why = visit_queries.procedure_gate(v)
    assert not allowed
    assert "decision has lapsed" in why
    assert "New since the decision: Red flag: fever or a possible infection" in why
    with pytest.raises(Blocked, match="decision has lapsed"):
        procedure.start_procedure(
            visit=v, version=v.version, actor=acting(cast.nurse), weight_kg=70
        )
    # Going ahead over a red flag needs a fresh decision that names it.
    with pytest.raises(Blocked, match="Name each red flag"):
        decide(v, cast.clinician, "override")
    assert v.decisions.count() == 1
    v = decide(v, cast.clinician, "override", "Fever was a cold, now gone; afebrile", [FEVER])
    assert visit_queries.procedure_gate(v) == (True, "")
    assert procedure.start_procedure(
        visit=v, version=v.version, actor=acting(cast.nurse), weight_kg=70
    )
    named = {c["code"]: c.get("named", False) for c in v.decisions.first().covers}
    assert named[FEVER] is True


def test_it_blocks_sites_and_signing_when_a_new_reason_appears_after_the_sites(cast):
    v = reviewed(cast)
    v = flow.examined(v, cast.clinician)
    v = flow.consented(v, cast.nurse)
    v = flow.with_sites(v, cast.clinician, [flow.site()])
    v = flow.finished(v, cast.nurse)
    # A new medicine question answered yes elsewhere: bleeding disorder found later.
    v = flow.with_intake(v, cast.nurse, anticoagulant_or_antiplatelet=True, bleeding_disorder=True)
    with pytest.raises(Blocked, match="a screening decision that stands"):
        notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    with pytest.raises(Blocked, match="Known bleeding disorder"):
        procedure.add_site(
            visit=v, version=v.version, site=flow.site("rhomboids"), actor=acting(cast.clinician)
        )
    v = decide(v, cast.clinician, "proceed", "Mild von Willebrand; pressure after each site")
    signed = notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    assert "Mild von Willebrand" in signed.body_html
    assert "The decision covered: " in signed.body_html
    assert "Known bleeding disorder" in signed.body_html.split("The decision covered: ")[1]


def test_it_treats_a_decision_recorded_before_coverage_as_lapsed(cast):
    v = flow.scheduled(cast.patient, cast.clinician)
    v = flow.with_intake(v, cast.nurse, anticoagulant_or_antiplatelet=True)
    ScreeningDecision.objects.create(
        visit=v,
        kind="proceed",
        reason="Recorded before decisions kept their reasons",
        verdict_status="needs_review",
        decided_at=timezone.now(),
        decided_by=cast.clinician,
    )
    allowed, why = visit_queries.procedure_gate(v)
    assert not allowed and "recorded before Taut kept the reasons" in why


def test_it_lets_do_not_proceed_over_a_red_flag_without_naming_it(cast):
    v = flow.scheduled(cast.patient, cast.clinician)
    v = flow.with_intake(v, cast.nurse, red_flags=fever())
    v = decide(v, cast.clinician, "do_not_proceed", "Refer to the GP today for the fever")
    assert visit_queries.procedure_gate(v) == (False, "A clinician decided not to proceed today.")


def test_it_shows_why_the_decision_lapsed_on_the_intake_and_procedure_pages(
    client, cast, signed_in
):
    v = reviewed(cast)
    v = flow.with_intake(v, cast.nurse, anticoagulant_or_antiplatelet=True, red_flags=fever())
    signed_in(cast.clinician)
    page = client.get(url("visits:intake", v)).content.decode()
    assert 'id="decision-lapsed"' in page and ">Lapsed<" in page
    assert "<li>New since the decision: Red flag: fever or a possible infection." in page
    assert "Red flags I have assessed" in page
    assert visible_problems(page) == []
    procedure_page = client.get(url("visits:procedure", v)).content.decode()
    assert "New since the decision: Red flag: fever" in procedure_page


def test_it_refuses_an_override_that_does_not_name_the_red_flag_and_saves_nothing(
    client, cast, signed_in
):
    v = flow.scheduled(cast.patient, cast.clinician)
    v = flow.with_intake(v, cast.nurse, red_flags=fever())
    signed_in(cast.clinician)
    post = {"version": v.version, "kind": "override", "reason": "Fever was a cold; afebrile now"}
    response = client.post(url("visits:decision", v), post)
    assert response.status_code == 400
    assert "Name each red flag you have assessed" in response.content.decode()
    assert not v.decisions.exists()
    response = client.post(url("visits:decision", v), {**post, "named": [FEVER]})
    assert response.status_code == 302
    assert v.decisions.get().covers[0] | {"named": True} == v.decisions.get().covers[0]
    v.refresh_from_db()
    assert visit_queries.procedure_gate(v) == (True, "")


def test_it_refuses_decisions_to_a_nurse(client, cast, signed_in):
    v = flow.scheduled(cast.patient, cast.clinician)
    v = flow.with_intake(v, cast.nurse, red_flags=fever())
    signed_in(cast.nurse)
    post = {"version": v.version, "kind": "override", "reason": "Fever was a cold; afebrile now"}
    response = client.post(url("visits:decision", v), {**post, "named": [FEVER]})
    assert response.status_code == 403
    assert not v.decisions.exists()


def test_it_voids_a_decision_when_an_allergy_is_added_to_the_chart(cast):
    v = reviewed(cast)
    entry = Allergy(agent="Lidocaine", anaesthetic="lidocaine", reaction="Hives")
    chart.add_chart_entry(patient=v.patient, entry=entry, actor=acting(cast.nurse))
    allowed, why = visit_queries.procedure_gate(v)
    assert not allowed
    assert "Allergy to Lidocaine (amide) added to the chart" in why
    # Screened again with it: the allergy is a new reason, so the decision has lapsed.
    v = flow.with_intake(
        v, cast.nurse, anticoagulant_or_antiplatelet=True, anaesthetic_allergies=["lidocaine"]
    )
    allowed, why = visit_queries.procedure_gate(v)
    assert not allowed and "New since the decision: " in why and "lidocaine" in why.lower()
    # An amide allergy may make the verdict "not eligible" (drug classes): override then.
    kind = "override" if v.intake.verdict_status == "not_eligible" else "proceed"
    v = decide(v, cast.clinician, kind, "Allergy testing showed bupivacaine is tolerated")
    assert visit_queries.procedure_gate(v) == (True, "")


@pytest.mark.parametrize(
    ("agent", "anaesthetic", "label"),
    [
        ("Sulfites", "sulfite", "Sulfites (in solutions with epinephrine)"),
        ("Amide anaesthetics", "amide", "Amide local anaesthetics (the whole class)"),
        ("Xylocaine", "", "Lidocaine (amide)"),  # free text that names one agent, unmapped
    ],
)
def test_it_voids_a_decision_on_a_class_excipient_or_brand_allergy_added_later(
    cast, agent, anaesthetic, label
):
    """Every allergen the chart holds counts, not only coded agents: a class, an
    excipient, or a brand name typed as free text."""
    v = reviewed(cast)
    entry = Allergy(agent=agent, anaesthetic=anaesthetic, reaction="Hives")
    chart.add_chart_entry(patient=v.patient, entry=entry, actor=acting(cast.nurse))
    allowed, why = visit_queries.procedure_gate(v)
    assert not allowed
    assert f"Allergy to {label} added to the chart" in why


def test_it_blocks_an_eligible_visit_when_a_blood_thinner_is_added_to_the_chart(
    client, cast, signed_in
):
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse)
    assert visit_queries.procedure_gate(v) == (True, "")
    entry = Medication(name="Apixaban", dose="5 mg twice daily", antithrombotic=True)
    chart.add_chart_entry(patient=v.patient, entry=entry, actor=acting(cast.nurse))
    allowed, why = visit_queries.procedure_gate(v)
    assert not allowed and "Blood thinner on the chart (Apixaban)" in why
    signed_in(cast.clinician)
    page = client.get(url("visits:intake", v)).content.decode()
    assert "The chart has changed since screening." in page
    v = flow.with_intake(v, cast.nurse, anticoagulant_or_antiplatelet=True)
    assert not visit_queries.procedure_gate(v)[0]  # now needs review: a clinician decides
    v = decide(v, cast.clinician, "proceed")
    assert visit_queries.procedure_gate(v) == (True, "")
