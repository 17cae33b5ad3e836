"""The allergy guard as the clinician meets it: the procedure page, the site form, the dose
guard preview and the chart's mapping form (issue 11, point 1)."""

from decimal import Decimal

from django.urls import reverse

from taut.audit.models import AuditEvent
from taut.patients import services as patients
from taut.patients.models import Allergy
from taut.tests.cast import acting
from taut.visits.models import InjectionSite, ScreeningDecision
from taut.visits.services import intake
from taut.visits.tests import flow
from taut.visits.tests.test_views import site_post, url


def amide_allergic(cast, *, overridden):
    v = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician),
        cast.nurse,
        anaesthetic_allergies=["lidocaine"],
    )
    v = flow.examined(v, cast.clinician)
    if overridden:
        intake.record_decision(
            visit=v,
            version=v.version,
            kind=ScreeningDecision.Kind.OVERRIDE,
            reason="Allergy testing 2025: negative challenge to bupivacaine",
            actor=acting(cast.clinician),
        )
        v.refresh_from_db()
        v = flow.consented(v, cast.nurse, weight=Decimal("70"))
    return v


def chart_allergy(cast, agent):
    return patients.add_chart_entry(
        patient=cast.patient,
        actor=acting(cast.nurse),
        entry=Allergy(agent=agent, reaction="Swelling"),
    )


def test_it_shows_why_an_amide_allergic_patient_is_not_eligible(client, cast, signed_in):
    v = amide_allergic(cast, overridden=False)
    signed_in(cast.clinician)
    body = client.get(url("visits:procedure", v)).content.decode()
    assert "Not eligible" in body
    assert "Lidocaine (amide)" in body and "no amide" in body
    assert "DailyMed" in body  # the source is shown
    verdict = client.get(url("visits:intake", v)).content.decode()
    assert "no amide (bupivacaine, lidocaine" in verdict
    assert "secondary source" in verdict  # the status, not "clinic policy"


def test_it_refuses_an_amide_site_with_the_reason_and_saves_nothing(client, cast, signed_in):
    v = flow.consented(
        flow.examined(
            flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
            cast.clinician,
        ),
        cast.nurse,
    )
    chart_allergy(cast, "Xylocaine")  # read as lidocaine
    signed_in(cast.clinician)
    # The screening has not seen the chart's allergy: the clearance gate refuses first.
    response = client.post(url("visits:site_add", v), site_post(v, agent="bupivacaine",
                                                                percent="0.25"))  # fmt: skip
    assert response.status_code == 400
    assert "Allergy to Lidocaine (amide) added to the chart" in response.content.decode()
    assert not InjectionSite.objects.exists()
    # Screened again with it, the amide allergy makes the patient not eligible: still
    # refused, with the amide rule (bupivacaine among the amides) and its source shown.
    v = flow.with_intake(v, cast.nurse, anaesthetic_allergies=["lidocaine"])
    response = client.post(url("visits:site_add", v), site_post(v, agent="bupivacaine",
                                                                percent="0.25"))  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "Not eligible" in body
    assert "Lidocaine (amide)</strong>: no amide (lidocaine, bupivacaine" in body
    assert "DailyMed" in body
    assert not InjectionSite.objects.exists()


def test_it_shows_the_allergy_in_the_dose_guard_preview(client, cast, signed_in):
    v = flow.consented(
        flow.examined(
            flow.with_intake(
                flow.scheduled(cast.patient, cast.clinician),
                cast.nurse,
                anaesthetic_allergies=["sulfite"],
            ),
            cast.clinician,
        ),
        cast.nurse,
    )
    signed_in(cast.clinician)
    preview = client.post(url("visits:dose_preview", v), site_post(v, epinephrine="on"),
                          headers={"HX-Request": "true"})  # fmt: skip
    assert "metabisulfite" in preview.content.decode()
    assert not InjectionSite.objects.exists()


def test_it_records_an_amide_site_after_the_override_and_names_it(client, cast, signed_in):
    v = amide_allergic(cast, overridden=True)
    signed_in(cast.clinician)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert "negative challenge to bupivacaine" in page
    response = client.post(url("visits:site_add", v), site_post(v, agent="bupivacaine",
                                                                percent="0.25"))  # fmt: skip
    assert response.status_code == 302
    assert InjectionSite.objects.get().agent == "bupivacaine"
    assert "allergy_override" in AuditEvent.objects.filter(object_type="injection_site")[0].details


def test_it_records_a_preservative_free_vial_for_a_paraben_allergy(client, cast, signed_in):
    v = flow.consented(
        flow.examined(
            flow.with_intake(
                flow.scheduled(cast.patient, cast.clinician),
                cast.nurse,
                anaesthetic_allergies=["paraben"],
            ),
            cast.clinician,
        ),
        cast.nurse,
    )
    signed_in(cast.clinician)
    refused = client.post(url("visits:site_add", v), site_post(v))
    assert refused.status_code == 400 and "methylparaben" in refused.content.decode()
    v.refresh_from_db()
    ok = client.post(url("visits:site_add", v), site_post(v, preservative_free="on"))
    assert ok.status_code == 302
    assert InjectionSite.objects.get().preservative_free


def map_url(cast, allergy):
    return reverse("patients:allergy_map", args=[cast.patient.public_id, allergy.public_id])


def test_it_shows_an_unmapped_allergy_on_the_chart_and_procedure_page(client, cast, signed_in):
    chart_allergy(cast, "numbing injection at the dentist")
    v = flow.examined(
        flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
        cast.clinician,
    )
    signed_in(cast.clinician)
    chart = client.get(reverse("patients:chart", args=[cast.patient.public_id])).content
    assert "To map: “numbing injection at the dentist”" in chart.decode()
    assert "Not a local-anaesthetic allergy" in chart.decode()
    page = client.get(url("visits:procedure", v)).content.decode()
    assert "Allergy to map first" in page


def test_it_lets_a_clinician_map_an_allergy_from_the_chart(client, cast, signed_in):
    entry = chart_allergy(cast, "novocane at the dentist")
    signed_in(cast.clinician)
    response = client.post(map_url(cast, entry), {"mapping": "procaine"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.anaesthetic, entry.mapped_by) == ("procaine", cast.clinician)
    chart = client.get(reverse("patients:chart", args=[cast.patient.public_id])).content
    assert "Procaine (ester)" in chart.decode() and "mapped by" in chart.decode()


def test_it_refuses_a_nurse_mapping_an_allergy(client, cast, signed_in):
    entry = chart_allergy(cast, "lidokane")
    signed_in(cast.nurse)
    assert client.post(map_url(cast, entry), {"mapping": "lidocaine"}).status_code == 403
    entry.refresh_from_db()
    assert entry.anaesthetic == ""


def test_it_hides_another_clinics_allergy(client, cast, signed_in):
    entry = chart_allergy(cast, "lidokane")
    signed_in(cast.outsider)
    assert client.post(map_url(cast, entry), {"mapping": "lidocaine"}).status_code == 404


def test_it_sends_anonymous_visitors_to_login(client, cast):
    entry = chart_allergy(cast, "lidokane")
    response = client.post(map_url(cast, entry), {"mapping": "lidocaine"})
    assert response.status_code == 302 and "login" in response["Location"]


def test_it_saves_nothing_for_a_bad_mapping(client, cast, signed_in):
    entry = chart_allergy(cast, "lidokane")
    signed_in(cast.clinician)
    client.post(map_url(cast, entry), {"mapping": "cocaine"})
    entry.refresh_from_db()
    assert (entry.anaesthetic, entry.mapped_at) == ("", None)


def test_it_records_coded_and_brand_name_allergies_from_the_chart_form(client, cast, signed_in):
    signed_in(cast.nurse)
    add = reverse("patients:entry_add", args=[cast.patient.public_id, "allergies"])
    base = {"reaction": "Hives", "severity": "mild"}
    assert client.post(add, {**base, "agent": "Novocain", "anaesthetic": ""}).status_code == 302
    assert client.post(add, {**base, "agent": "Dental", "anaesthetic": "ester"}).status_code == 302
    assert client.post(add, {**base, "agent": "Shellfish", "anaesthetic": ""}).status_code == 302
    coded = dict(Allergy.objects.values_list("agent", "anaesthetic"))
    assert coded == {"Novocain": "procaine", "Dental": "ester", "Shellfish": ""}
    form = client.get(add).content.decode()
    assert "Sulfites (in solutions with epinephrine)" in form
