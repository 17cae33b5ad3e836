"""The allergy guard in the visit workflow (issue 11, point 1): blocked and overridden paths."""

import pytest

from taut.audit.models import AuditEvent
from taut.lib.refusals import Invalid, NotAllowed
from taut.patients import allergy_services
from taut.patients import services as patients
from taut.patients.models import Allergy
from taut.tests.cast import acting
from taut.visits.models import ScreeningDecision
from taut.visits.services import intake
from taut.visits.services.common import Blocked
from taut.visits.tests import flow
from taut.workflows import notes


def allergy(cast, agent, anaesthetic=""):
    return patients.add_chart_entry(
        patient=cast.patient,
        actor=acting(cast.nurse),
        entry=Allergy(agent=agent, anaesthetic=anaesthetic, reaction="Hives"),
    )


def amide_allergic_visit(cast):
    """A visit whose intake records a lidocaine allergy: screened not eligible."""
    v = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician),
        cast.nurse,
        anaesthetic_allergies=["lidocaine"],
    )
    return v


def override(v, cast, reason="Negative skin and subcutaneous challenge to bupivacaine, 2025"):
    intake.record_decision(
        visit=v,
        version=v.version,
        kind=ScreeningDecision.Kind.OVERRIDE,
        reason=reason,
        actor=acting(cast.clinician),
    )
    v.refresh_from_db()
    return v


def test_it_screens_an_amide_allergy_as_not_eligible(cast):
    v = amide_allergic_visit(cast)
    assert v.intake.verdict_status == "not_eligible"
    (reason,) = [r for r in v.intake.verdict_reasons if r["code"] == "allergy_amide"]
    assert "bupivacaine" in reason["text"] and reason["source"]


def test_it_blocks_the_procedure_of_an_amide_allergic_patient_without_an_override(cast):
    v = flow.examined(amide_allergic_visit(cast), cast.clinician)
    with pytest.raises(Blocked, match="Not eligible"):
        flow.consented(v, cast.nurse)


def test_it_allows_amide_sites_after_a_clinicians_override_with_a_reason(cast):
    v = override(flow.examined(amide_allergic_visit(cast), cast.clinician), cast)
    v = flow.consented(v, cast.nurse)
    v = flow.with_sites(v, cast.clinician, [flow.site(agent="bupivacaine", percent="0.25")])
    assert v.procedure.sites.get().agent == "bupivacaine"
    event = AuditEvent.objects.filter(object_type="injection_site").latest("id")
    assert event.details["allergy_override"] == v.decisions.first().pk


def test_it_refuses_an_amide_site_for_a_chart_allergy_the_screening_did_not_name(cast):
    # The override was made on a verdict without the amide allergy: it cannot cover it.
    v = flow.consented(
        flow.examined(
            flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
            cast.clinician,
        ),
        cast.nurse,
    )
    allergy(cast, "Marcaine")  # a brand name: read as bupivacaine
    # The clearance gate refuses first: the screening did not see the chart's allergy.
    with pytest.raises(Blocked, match=r"Allergy to Bupivacaine \(amide\) added to the chart"):
        flow.with_sites(v, cast.clinician, [flow.site()])


def test_it_refuses_an_ester_site_even_after_the_amide_override(cast):
    v = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician),
        cast.nurse,
        anaesthetic_allergies=["lidocaine", "procaine"],
    )
    v = flow.consented(override(flow.examined(v, cast.clinician), cast), cast.nurse)
    with pytest.raises(Blocked, match="Chloroprocaine is an ester"):
        flow.with_sites(v, cast.clinician, [flow.site(agent="chloroprocaine", percent="1")])


@pytest.mark.parametrize(
    ("allergen", "changes", "refused"),
    [
        # Paraben: only a preservative-free vial (product labels: MPF vials).
        ("paraben", {}, "methylparaben"),
        ("paraben", {"preservative_free": True}, None),
        # Sulfite: no solution with epinephrine (sodium metabisulfite).
        ("sulfite", {"epinephrine": True}, "metabisulfite"),
        ("sulfite", {}, None),
    ],
)
def test_it_checks_the_vial_against_excipient_allergies(cast, allergen, changes, refused):
    v = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician),
        cast.nurse,
        anaesthetic_allergies=[allergen],
    )
    v = flow.consented(flow.examined(v, cast.clinician), cast.nurse)
    site = flow.site()
    for name, value in changes.items():
        setattr(site, name, value)
    if refused:
        with pytest.raises(Blocked, match=refused):
            flow.with_sites(v, cast.clinician, [site])
        assert not v.procedure.sites.exists()
    else:
        flow.with_sites(v, cast.clinician, [site])
        assert v.procedure.sites.count() == 1


def test_it_codes_a_brand_name_when_the_allergy_is_added(cast):
    assert allergy(cast, "Xylocaine").anaesthetic == "lidocaine"
    assert allergy(cast, "Penicillin").anaesthetic == ""


def test_it_blocks_the_procedure_until_a_clinician_maps_an_anaesthetic_looking_allergy(cast):
    entry = allergy(cast, "the numbing shot at the dentist")
    v = flow.examined(
        flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
        cast.clinician,
    )
    with pytest.raises(Blocked, match="Allergy to map first"):
        flow.consented(v, cast.nurse)
    allergy_services.map_allergy(
        allergy=entry, code="", not_anaesthetic=True, actor=acting(cast.clinician)
    )
    entry.refresh_from_db()
    assert (entry.not_anaesthetic, entry.mapped_by) == (True, cast.clinician)
    v = flow.consented(v, cast.nurse)
    assert v.procedure is not None


def test_it_applies_the_class_of_the_code_a_clinician_maps(cast):
    entry = allergy(cast, "lidocaine with epinephrine")
    v = flow.examined(
        flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
        cast.clinician,
    )
    allergy_services.map_allergy(
        allergy=entry, code="amide", not_anaesthetic=False, actor=acting(cast.clinician)
    )
    # The mapped class reaches the gate at once (the screening did not see it).
    with pytest.raises(
        Blocked, match=r"Allergy to Amide local anaesthetics \(the whole class\) added to the chart"
    ):
        v = flow.consented(v, cast.nurse)
        flow.with_sites(v, cast.clinician, [flow.site(agent="mepivacaine", percent="1")])


def test_it_blocks_signing_while_an_allergy_is_unmapped(cast):
    v = flow.ready_to_sign(cast.patient, cast.clinician)
    allergy(cast, "dental numbing, not sure which")
    with pytest.raises(Blocked, match="Allergy to map first"):
        notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))


def test_it_lets_only_a_clinician_map_an_allergy(cast):
    entry = allergy(cast, "novocane")
    with pytest.raises(NotAllowed):
        allergy_services.map_allergy(
            allergy=entry, code="procaine", not_anaesthetic=False, actor=acting(cast.nurse)
        )
    with pytest.raises(Invalid):
        allergy_services.map_allergy(
            allergy=entry, code="", not_anaesthetic=False, actor=acting(cast.clinician)
        )
    with pytest.raises(Invalid):
        allergy_services.map_allergy(
            allergy=entry, code="cocaine", not_anaesthetic=False, actor=acting(cast.clinician)
        )
    entry.refresh_from_db()
    assert (entry.anaesthetic, entry.mapped_at) == ("", None)


def test_it_screens_a_patients_own_intake_with_the_charts_brand_name_allergy(cast):
    from datetime import timedelta

    from django.utils import timezone

    from taut.visits.tests.test_patient_intake import reported

    allergy(cast, "Marcaine")  # bupivacaine, an amide
    v = flow.scheduled(cast.patient, cast.front_desk, when=timezone.now() + timedelta(days=2))
    v = reported(v, anaesthetic_allergies=[])
    assert v.intake.anaesthetic_allergies == ["bupivacaine"]
    assert "allergy_amide" in {r["code"] for r in v.intake.verdict_reasons}


def test_it_prefills_the_staff_intake_with_class_and_excipient_allergies(client, cast, signed_in):
    from django.urls import reverse

    allergy(cast, "Sulphites")
    allergy(cast, "amide local anaesthetics", anaesthetic="amide")
    v = flow.scheduled(cast.patient, cast.clinician)
    signed_in(cast.nurse)
    page = client.get(
        reverse("visits:intake", args=[cast.patient.public_id, v.public_id])
    ).content.decode()
    import re

    for code in ("amide", "sulfite"):
        assert re.search(rf'value="{code}"[^>]*checked', page)
    assert not re.search(r'value="paraben"[^>]*checked', page)


def test_it_refuses_to_sign_over_a_site_that_an_allergy_added_since_rules_out(cast):
    v = flow.ready_to_sign(cast.patient, cast.clinician)  # lidocaine sites
    allergy(cast, "Sensorcaine")  # bupivacaine: an amide, added after the sites
    with pytest.raises(Blocked, match="A recorded site conflicts with an allergy"):
        notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    from taut.visits.models import Note

    assert not Note.objects.filter(visit=v).exists()
