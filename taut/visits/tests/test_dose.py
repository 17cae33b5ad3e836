"""The whole patient in the dose guard, through the services and the procedure page:
anaesthetic from the last 24 hours, a new dosing weight, age, reductions and steroid.
Each rule is tested with its sources in taut/clinical/tests/test_dosing_patient.py and
test_steroids.py; these tests show the workflow blocks and lets a clinician override."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from taut.audit.models import AuditEvent
from taut.tests.cast import acting, make_patient
from taut.visits import queries
from taut.visits.services import dose, procedure
from taut.visits.services.common import Blocked, VisitInvalid
from taut.visits.tests import flow
from taut.workflows import notes


def ready(patient, by, weight=Decimal("70"), muscles=(("trapezius_upper", "left"),)):
    """A visit with intake, exam (an active trigger point in each of ``muscles``), consent,
    time-out and weight: ready for sites."""
    v = flow.with_intake(flow.scheduled(patient, by), by)
    return flow.consented(flow.examined(v, by, muscles), by, weight=weight)


def add(v, by, site):
    procedure.add_site(visit=v, version=v.version, site=site, actor=acting(by))
    v.refresh_from_db()
    return v


def other_dose(v, by, mg, *, hours_ago=2, where="dentist"):
    dose.record_other_anaesthetic(
        visit=v,
        version=v.version,
        agent="lidocaine",
        mg=Decimal(mg),
        epinephrine=False,
        given_at=timezone.now() - timedelta(hours=hours_ago),
        where=where,
        actor=acting(by),
    )
    v.refresh_from_db()
    return v


# --- 24 hours ------------------------------------------------------------------------------


def test_it_adds_an_earlier_session_the_same_day(cast):
    """A session signed this morning (150 mg lidocaine) counts: 150 + 200 mg at 70 kg is
    above 300 mg [S30], although this session alone would be within it."""
    flow_signed = flow.ready_to_sign(cast.patient, cast.clinician)
    notes.sign_note(
        visit=flow_signed, version=flow_signed.version, icd_codes=[], actor=acting(cast.clinician)
    )
    v = ready(cast.patient, cast.clinician)
    with pytest.raises(procedure.DoseExceeded):
        add(v, cast.clinician, flow.site(ml="20"))
    assert v.procedure.sites.count() == 0
    v = add(v, cast.clinician, flow.site(ml="20", override="Earlier session reviewed"))
    check = queries.dose_check(v.procedure)
    assert check.earlier_mg_by_agent == {"lidocaine": 150.0}
    assert check.total_mg_by_agent == {"lidocaine": 350.0}


def test_it_does_not_add_a_session_from_two_days_ago(cast):
    old = flow.ready_to_sign(cast.patient, cast.clinician)
    for site in old.procedure.sites.all():
        site.recorded_at -= timedelta(days=2)
        site.save(update_fields=["recorded_at"])
    v = ready(cast.patient, cast.clinician)
    v = add(v, cast.clinician, flow.site(ml="20"))
    assert queries.dose_check(v.procedure).earlier_mg_by_agent == {}


def test_it_adds_a_dose_given_elsewhere_and_blocks_until_overridden(cast):
    v = ready(cast.patient, cast.clinician)
    v = other_dose(v, cast.clinician, "200")
    assert queries.dose_check(v.procedure).earlier_mg_by_agent == {"lidocaine": 200.0}
    with pytest.raises(procedure.DoseExceeded):
        add(v, cast.clinician, flow.site(ml="15"))
    v = add(v, cast.clinician, flow.site(ml="15", override="Dentist's dose confirmed lower"))
    assert v.procedure.sites.count() == 1


def test_it_refuses_an_earlier_dose_from_more_than_24_hours_or_the_future(cast):
    v = ready(cast.patient, cast.clinician)
    with pytest.raises(VisitInvalid, match="More than 24 hours"):
        other_dose(v, cast.clinician, "100", hours_ago=30)
    with pytest.raises(VisitInvalid, match="future"):
        other_dose(v, cast.clinician, "100", hours_ago=-1)
    v.refresh_from_db()
    assert v.procedure.other_anaesthetic == []


def test_a_nurse_cannot_record_an_earlier_dose(cast):
    v = ready(cast.patient, cast.clinician)
    with pytest.raises(Exception, match="Only a clinician"):
        other_dose(v, cast.nurse, "100")


def test_it_removes_an_earlier_dose(cast):
    v = other_dose(ready(cast.patient, cast.clinician), cast.clinician, "250")
    dose.remove_other_anaesthetic(visit=v, version=v.version, index=0, actor=acting(cast.clinician))
    v.refresh_from_db()
    assert v.procedure.other_anaesthetic == []
    assert queries.dose_check(v.procedure).earlier_mg_by_agent == {}
    assert AuditEvent.objects.filter(details__change="earlier dose removed").exists()


# --- weight --------------------------------------------------------------------------------


def weigh(v, by, kg, reason=""):
    procedure.start_procedure(
        visit=v,
        version=v.version,
        actor=acting(by),
        weight_kg=Decimal(kg),
        weight_override_reason=reason,
    )
    v.refresh_from_db()
    return v


def test_a_new_weight_that_puts_the_sites_over_the_maximum_is_refused_without_a_reason(cast):
    """200 mg lidocaine is within 300 mg at 70 kg but above 4.5 × 40 = 180 mg [S30]."""
    v = add(ready(cast.patient, cast.clinician), cast.clinician, flow.site(ml="20"))
    with pytest.raises(dose.WeightExceeded):
        weigh(v, cast.nurse, "40")
    v.refresh_from_db()
    assert v.procedure.weight_kg == Decimal("70")
    with pytest.raises(Blocked, match="only a clinician can override"):
        weigh(v, cast.nurse, "40", reason="Scale checked twice")
    v.refresh_from_db()
    v = weigh(v, cast.clinician, "40", reason="Scale checked twice; sites given before weighing")
    assert v.procedure.weight_kg == Decimal("40")
    assert v.procedure.weight_override_reason.startswith("Scale checked")
    assert AuditEvent.objects.filter(details__change="weight", details__override=True).exists()
    v = weigh(v, cast.nurse, "60")  # 270 mg allowed: within, the reason is cleared
    assert v.procedure.weight_override_reason == ""


# --- age and reductions --------------------------------------------------------------------


def test_it_refuses_the_adult_table_for_a_child(cast):
    child = make_patient(
        cast.clinic,
        cast.front_desk,
        mrn="C0001",
        date_of_birth=timezone.localdate() - timedelta(days=365 * 12),
    )
    v = ready(child, cast.clinician, weight=Decimal("40"))
    with pytest.raises(Blocked, match=r"The patient is 1[12]: the dose limits are adult"):
        add(v, cast.clinician, flow.site(ml="1", override="any reason"))
    assert v.procedure.sites.count() == 0


def test_a_reduction_lowers_the_maximum_and_is_on_the_note(cast):
    """250 mg at 70 kg is within 300 mg [S30]; with liver disease (−20 %, clinic policy)
    the maximum is 240 mg and the site needs an override."""
    v = ready(cast.patient, cast.clinician)
    dose.apply_dose_reductions(
        visit=v, version=v.version, factors=["hepatic"], actor=acting(cast.clinician)
    )
    v.refresh_from_db()
    with pytest.raises(procedure.DoseExceeded):
        add(v, cast.clinician, flow.site(ml="25"))
    v = add(v, cast.clinician, flow.site(ml="25", override="Mild disease, hepatology agreed"))
    v = flow.finished(v, cast.nurse)
    signed = notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    assert "Dose reductions applied:" in signed.body_html
    assert "Liver disease (hepatic impairment), maximum lowered by 20 %" in signed.body_html
    assert "clinic policy, unverified" in signed.body_html


def test_it_refuses_an_unknown_reduction(cast):
    v = ready(cast.patient, cast.clinician)
    with pytest.raises(VisitInvalid):
        dose.apply_dose_reductions(
            visit=v, version=v.version, factors=["kidney"], actor=acting(cast.clinician)
        )


# --- steroid -------------------------------------------------------------------------------


def steroid_site(muscle, mg, override=""):
    site = flow.site(muscle, ml="2", override=override)
    site.steroid, site.steroid_mg = "triamcinolone", Decimal(mg)
    return site


def test_steroid_over_the_clinic_limit_is_refused_until_overridden(cast):
    """The clinic's limit is 80 mg methylprednisolone-equivalent in 3 months (clinic
    policy); triamcinolone is mg for mg (Meikle & Tyler 1977)."""
    muscles = [(m, "left") for m in ("trapezius_upper", "levator_scapulae", "rhomboids")]
    v = ready(cast.patient, cast.clinician, muscles=muscles)  # an active point at each site
    v = add(v, cast.clinician, steroid_site("trapezius_upper", "40"))
    v = add(v, cast.clinician, steroid_site("levator_scapulae", "40"))
    with pytest.raises(dose.SteroidExceeded, match="above the clinic's limit of 80 mg"):
        add(v, cast.clinician, steroid_site("rhomboids", "10"))
    v = add(v, cast.clinician, steroid_site("rhomboids", "10", override="Rheumatology advised"))
    v = flow.finished(v, cast.nurse)
    signed = notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    assert "Steroid given:" in signed.body_html
    assert "Triamcinolone 40 mg at Levator scapulae" in signed.body_html
    assert "90 mg in all (as methylprednisolone)" in signed.body_html


def test_steroid_from_an_earlier_session_counts(cast):
    earlier = ready(cast.patient, cast.clinician)
    earlier = flow.finished(
        add(earlier, cast.clinician, steroid_site("trapezius_upper", "60")), cast.nurse
    )
    notes.sign_note(
        visit=earlier, version=earlier.version, icd_codes=[], actor=acting(cast.clinician)
    )
    v = ready(cast.patient, cast.clinician)
    with pytest.raises(dose.SteroidExceeded):
        add(v, cast.clinician, steroid_site("rhomboids", "40"))


@pytest.mark.parametrize(
    ("steroid", "mg", "field"),
    [
        ("triamcinolone", None, "steroid_mg"),
        ("", "10", "steroid_mg"),
        ("prednisone", "10", "steroid_mg"),
    ],
)
def test_it_refuses_a_steroid_without_agent_or_dose(cast, steroid, mg, field):
    v = ready(cast.patient, cast.clinician)
    site = flow.site(ml="2")
    site.steroid, site.steroid_mg = steroid, None if mg is None else Decimal(mg)
    with pytest.raises(VisitInvalid) as error:
        add(v, cast.clinician, site)
    assert field in error.value.errors


# --- the page ------------------------------------------------------------------------------


def page_url(name, v, *args):
    return reverse(name, args=[v.patient.public_id, v.public_id, *args])


def test_the_page_shows_the_patient_panel_and_records_an_earlier_dose(client, cast, signed_in):
    v = ready(cast.patient, cast.clinician)
    signed_in(cast.clinician)
    page = client.get(page_url("visits:procedure", v)).content.decode()
    assert "The patient in dosing" in page and "Heart failure" in page
    assert "clinic policy, unverified" in page and "[S28]" in page
    when = (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M")
    data = {
        "version": v.version,
        "agent": "lidocaine",
        "mg": "120",
        "given_at": when,
        "where": "dentist",
    }
    response = client.post(page_url("visits:other_dose_add", v), data)
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.procedure.other_anaesthetic[0]["mg"] == "120"
    page = client.get(page_url("visits:procedure", v)).content.decode()
    assert "Lidocaine 120 mg at dentist" in page
    assert "120 mg of it was given before this session" in page


def test_the_page_refuses_a_bad_earlier_dose_and_saves_nothing(client, cast, signed_in):
    v = ready(cast.patient, cast.clinician)
    signed_in(cast.clinician)
    when = (timezone.localtime() - timedelta(hours=30)).strftime("%Y-%m-%dT%H:%M")
    data = {"version": v.version, "agent": "lidocaine", "mg": "120", "given_at": when}
    response = client.post(page_url("visits:other_dose_add", v), data)
    assert response.status_code == 400
    assert "More than 24 hours" in response.content.decode()
    v.refresh_from_db()
    assert v.procedure.other_anaesthetic == []


def test_a_nurse_cannot_post_reductions(client, cast, signed_in):
    v = ready(cast.patient, cast.clinician)
    signed_in(cast.nurse)
    response = client.post(
        page_url("visits:dose_reductions", v), {"version": v.version, "factors": ["hepatic"]}
    )
    assert response.status_code == 403
    v.refresh_from_db()
    assert v.procedure.dose_reductions == []


def test_the_page_applies_a_reduction(client, cast, signed_in):
    v = ready(cast.patient, cast.clinician)
    signed_in(cast.clinician)
    response = client.post(
        page_url("visits:dose_reductions", v),
        {"version": v.version, "factors": ["heart_failure", "pregnancy"]},
    )
    assert response.status_code == 302
    v.refresh_from_db()
    assert v.procedure.dose_reductions == ["heart_failure", "pregnancy"]
    page = client.get(page_url("visits:procedure", v)).content.decode()
    assert "Reductions multiply" in page


# --- intake --------------------------------------------------------------------------------


def test_an_undecided_steroid_leaves_screening_to_the_clinician(cast):
    """Steroid planned: yes, no or undecided. Undecided waits for the clinician (screening
    pending on it), and diabetes is stored for the glucose advice."""
    v = flow.with_intake(
        flow.scheduled(cast.patient, cast.clinician),
        cast.nurse,
        steroid_planned=None,
        diabetes=True,
    )
    assert (v.intake.steroid_planned, v.intake.diabetes) == (None, True)
    assert v.intake.verdict_status == "pending"
    assert "missing.steroid_planned" in {r["code"] for r in v.intake.verdict_reasons}
    v = flow.with_intake(v, cast.clinician, steroid_planned=True, diabetes_poorly_controlled=False)
    assert v.intake.verdict_status == "eligible"


def test_the_dose_guard_shows_the_steroid_of_the_site_being_entered(client, cast, signed_in):
    v = ready(cast.patient, cast.clinician)
    signed_in(cast.clinician)
    site = {
        "version": v.version,
        "muscle": "trapezius_upper",
        "side": "left",
        "kind": "anaesthetic",
        "agent": "lidocaine",
        "percent": "1",
        "volume_ml": "2",
        "needle_gauge": "25",
        "needle_length_mm": "38",
        "guidance": "landmark",
        "steroid": "dexamethasone",
        "steroid_mg": "16",
    }
    guard = client.post(page_url("visits:dose_preview", v), site).content.decode()
    # Dexamethasone 16 mg = 85.33 mg methylprednisolone (0.75 : 4), above 80 mg.
    assert "<strong>Steroid:</strong>" in guard and "85.33 mg in all" in guard
    assert "an override reason is needed" in guard
    response = client.post(page_url("visits:site_add", v), site)
    assert response.status_code == 400
    assert "above the clinic&#x27;s limit of 80 mg" in response.content.decode()
    assert v.procedure.sites.count() == 0


def test_the_procedure_page_has_no_duplicate_ids(client, cast, signed_in):
    """The earlier-dose form has an agent and an epinephrine box like the site form: each
    label must name its own field."""
    v = ready(cast.patient, cast.clinician)
    signed_in(cast.clinician)
    page = client.get(page_url("visits:procedure", v)).content.decode()
    ids = [i for i in re.findall(r' id="([^"]+)"', page) if i != "id_version"]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert 'id="earlier_agent"' in page and 'id="id_agent"' in page
