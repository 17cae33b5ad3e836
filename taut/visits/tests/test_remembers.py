"""A visit that remembers (issue 12): sites start from the exam's active points with the
clinician's last injectate, the safety strip on every visit page, consent risks unticked,
read-only reasons, confirm steps before a dose override and before signing, the clinic's
lot-and-expiry rule, and finished steps folded to one line."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse

from taut.accounts.services import update_clinic_settings
from taut.clinical import consent, trigger_points
from taut.patients.models import Allergy, Medication
from taut.patients.services import add_chart_entry
from taut.tests.cast import acting
from taut.visits import sites
from taut.visits.models import InjectionSite, Note, TimeOut
from taut.visits.services import procedure
from taut.visits.tests import flow
from taut.visits.tests.test_site_checks import NOT_CONFIRMED, ready, with_finding

MINE = {"agent": "bupivacaine", "percent": "0.25", "ml": "3"}


def url(name, visit, **query):
    path = reverse(name, kwargs={"patient_id": visit.patient.public_id,
                                 "visit_id": visit.public_id})  # fmt: skip
    return path + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def one_click(visit, start, muscle="trapezius_upper", side="left"):
    """What an "inject this point" button posts."""
    return {"version": visit.version, "muscle": muscle, "side": side, **dict(start.posted())}


def test_it_offers_each_active_point_once_with_the_clinicians_last_injectate(
    client, cast, signed_in
):
    """The clinician's last site (any patient) gives agent, strength, volume and needle; a
    point is offered until injected; a not-confirmed point is not offered."""
    earlier = ready(cast)
    mine = flow.site(**MINE)
    mine.needle_length_mm = Decimal("30")
    flow.with_sites(earlier, cast.clinician, [mine])
    v = ready(cast, [("trapezius_upper", flow.ACTIVE), ("rhomboids", NOT_CONFIRMED)])
    start = sites.site_start(cast.clinician, visit=v, today=v.scheduled_for.date())
    assert start.own and start.values["agent"] == "bupivacaine"
    assert start.values["percent"] == Decimal("0.25") and start.values["volume_ml"] == Decimal("3")
    points = sites.points_to_inject(v, start=start)
    assert [(p.muscle, p.one_click) for p in points] == [("trapezius_upper", True),
                                                         ("rhomboids", False)]  # fmt: skip
    signed_in(cast.clinician)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert "Your last: bupivacaine 0.25 %, 3 mL, 25 G 30 mm, landmark (palpation)" in page
    assert page.count("Inject this point") == 1 and "Fill the form" in page
    response = client.post(url("visits:site_add", v), one_click(v, start))
    assert response.status_code == 302
    site = v.procedure.sites.get()
    assert (site.agent, site.volume_ml, site.needle_length_mm) == (
        "bupivacaine", Decimal("3"), Decimal("30")
    )  # fmt: skip
    v.refresh_from_db()
    assert [p.muscle for p in sites.points_to_inject(v, start=start)] == ["rhomboids"]
    # Another clinician, with no site of their own, starts from Taut's sourced values.
    assert not sites.site_start(cast.nurse, visit=v, today=v.scheduled_for.date()).own


def test_it_fills_the_form_from_a_point_without_saving(client, cast, signed_in):
    v = ready(cast)
    signed_in(cast.clinician)
    form = client.get(url("visits:procedure", v, muscle="trapezius_upper", side="left")).context[
        "site_form"
    ]
    assert (form["muscle"].value(), form["side"].value()) == ("trapezius_upper", "left")
    assert not InjectionSite.objects.exists()


def test_a_one_click_site_still_meets_every_check(client, cast, signed_in):
    """A high-risk point by landmark is offered only to fill the form; posted anyway it
    comes back with its question; a stale page is a conflict, a nurse is refused: nothing
    is saved."""
    v = ready(cast, [("suboccipitals", flow.ACTIVE)])
    start = sites.site_start(cast.clinician, visit=v, today=v.scheduled_for.date())
    [point] = sites.points_to_inject(v, start=start)
    assert not point.one_click and "confirm the risk" in point.asks
    data = one_click(v, start, muscle="suboccipitals")
    signed_in(cast.nurse)
    assert client.post(url("visits:site_add", v), data).status_code == 403
    signed_in(cast.clinician)
    risky = client.post(url("visits:site_add", v), data)
    assert risky.status_code == 400
    assert risky.context["site_form"]["muscle"].value() == "suboccipitals"
    assert "high_risk_confirmed" in risky.context["site_form"].errors
    stale = client.post(url("visits:site_add", v), {**data, "version": v.version - 1,
                                                    "high_risk_confirmed": "on"})  # fmt: skip
    assert stale.status_code == 409
    assert not InjectionSite.objects.exists()


def test_it_shows_the_safety_strip_on_every_visit_page(client, cast, signed_in):
    nurse = acting(cast.nurse)
    add_chart_entry(patient=cast.patient, actor=nurse,
                    entry=Allergy(agent="Penicillin", reaction="Hives"))  # fmt: skip
    add_chart_entry(patient=cast.patient, actor=nurse, entry=Medication(name="Apixaban 5 mg"))
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.clinician)
    signed_in(cast.nurse)
    for name in ("visits:detail", "visits:intake", "visits:exam", "visits:procedure",
                 "visits:note"):  # fmt: skip
        page = client.get(url(name, v)).content.decode()
        strip = page[page.index('id="safety"') :]
        assert "Penicillin — Hives" in strip and "Apixaban 5 mg" in strip, name


def test_consent_risks_start_unticked_and_are_required(client, cast, signed_in):
    v = flow.examined(flow.with_intake(flow.scheduled(cast.patient, cast.clinician),
                                       cast.clinician), cast.clinician)  # fmt: skip
    for user in (cast.clinician, cast.nurse):
        signed_in(user)
        form = client.get(url("visits:procedure", v)).context["consent_form"]
        assert not form["risks"].value(), user
    bad = client.post(url("visits:consent", v), {"version": v.version, "consented_by": "The patient",
                                                  "consented_at": "2020-01-01T10:00"})  # fmt: skip
    assert bad.status_code == 400 and not hasattr(v, "consent")


def test_a_nurse_reads_why_a_card_is_read_only(client, cast, signed_in):
    v = ready(cast)
    signed_in(cast.nurse)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert "Sites are recorded by a clinician" in page and "Inject this point" not in page
    assert "Dose reductions and earlier doses are recorded by a clinician" in page
    exam = client.get(url("visits:exam", v)).content.decode()
    assert "Trigger points are examined and recorded by a clinician" in exam
    signed_in(cast.lead)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert "Consent is recorded by a nurse or a clinician" in page


def test_finished_steps_fold_to_one_line_with_edit(client, cast, signed_in):
    v = ready(cast)
    signed_in(cast.nurse)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert page.count('<details class="step-done">') == 3  # consent, time-out, weight
    assert "consented at" in page and "Edit</span></summary>" in page
    v = flow.finished(flow.with_sites(v, cast.clinician, [flow.site()]), cast.nurse)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert page.count('<details class="step-done">') == 5  # … pain scores, discharge
    assert "The discharge is recorded." in page
    bad = client.post(url("visits:time_out", v), {"version": v.version, "items": []})
    assert bad.status_code == 400
    assert '<details class="step-done" open>' in bad.content.decode()


def test_the_clinic_can_require_the_lot_and_expiry(client, cast, signed_in):
    update_clinic_settings(clinic=cast.clinic, version=cast.clinic.version,
                           data={"require_lot_expiry": True}, actor=acting(cast.lead))  # fmt: skip
    v = ready(cast)
    start = sites.site_start(cast.clinician, visit=v, today=v.scheduled_for.date())
    [point] = sites.points_to_inject(v, start=start)  # a session's first vial: the form
    assert not point.one_click and "lot number and expiry" in point.asks
    signed_in(cast.clinician)
    missing = client.post(url("visits:site_add", v), one_click(v, start))
    assert missing.status_code == 400
    body = missing.content.decode()
    assert (
        "requires the vial&#x27;s lot number" in body and "requires the vial&#x27;s expiry" in body
    )
    expired = (v.scheduled_for - timedelta(days=2)).date().isoformat()
    old = client.post(url("visits:site_add", v),
                      {**one_click(v, start), "lot_number": "L1", "expiry": expired})  # fmt: skip
    assert "This vial expired on" in old.content.decode()
    assert not InjectionSite.objects.exists()
    good = (v.scheduled_for + timedelta(days=200)).date().isoformat()
    ok = client.post(url("visits:site_add", v),
                     {**one_click(v, start), "lot_number": "L1", "expiry": good})  # fmt: skip
    assert ok.status_code == 302
    # The next point of the session starts with the same vial.
    v.refresh_from_db()
    v = flow.examined(v, cast.clinician, muscles=[("trapezius_upper", "right")])
    again = sites.site_start(cast.clinician, visit=v, today=v.scheduled_for.date())
    assert again.values["lot_number"] == "L1"
    assert [p.one_click for p in sites.points_to_inject(v, start=again)] == [True]


def test_signing_shows_a_summary_to_confirm_first(client, cast, signed_in):
    v = flow.ready_to_sign(cast.patient, cast.clinician)
    signed_in(cast.clinician)
    data = {"version": v.version, "icd_codes": ["M79.18"]}
    summary = client.post(url("visits:sign", v), data)
    body = summary.content.decode()
    assert summary.status_code == 200 and "Confirm and sign" in body
    assert "% of the weight-based maximum" in body and "CPT 20553" in body and "M79.18" in body
    assert not Note.objects.exists()
    stale = client.post(url("visits:sign", v), {**data, "version": v.version - 1,
                                                "confirmed": "yes"})  # fmt: skip
    assert stale.status_code == 409 and not Note.objects.exists()
    client.post(url("visits:sign", v), {**data, "confirmed": "yes"})
    assert Note.objects.get().icd_codes == ["M79.18"]


def test_an_override_shows_its_summary_and_a_stale_confirm_is_refused(client, cast, signed_in):
    v = ready(cast)
    signed_in(cast.clinician)
    data = {"version": v.version, "muscle": "trapezius_upper", "side": "left",
            "kind": "anaesthetic", "agent": "lidocaine", "percent": "1", "volume_ml": "40",
            "needle_gauge": "25", "needle_length_mm": "25", "guidance": "landmark",
            "override_reason": "Dosed by ideal weight"}  # fmt: skip
    summary = client.post(url("visits:site_add", v), data).content.decode()
    assert "Confirm the override" in summary and "% of the weight-based maximum" in summary
    assert not InjectionSite.objects.exists()
    stale = client.post(url("visits:site_add", v),
                        {**data, "version": v.version - 1, "confirmed": "yes"})  # fmt: skip
    assert stale.status_code == 409 and not InjectionSite.objects.exists()


def test_visit_pages_refuse_outsiders_and_anonymous(client, cast, signed_in):
    v = ready(cast)
    page = url("visits:procedure", v, muscle="trapezius_upper", side="left")
    assert client.get(page).status_code == 302
    signed_in(cast.outsider)
    assert client.get(page).status_code == 404
    signed_in(cast.front_desk)
    assert client.get(page).status_code == 403


__all__ = ["with_finding"]


def test_the_time_out_records_every_item_with_one_press(client, cast, signed_in):
    """ "All confirmed aloud" records every time-out item; without it, an unticked item
    is still refused and nothing is recorded."""
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.clinician)
    procedure.record_consent(visit=v, version=v.version, consented_by="The patient",
                             consented_at=v.scheduled_for, risks=[str(r) for r in consent.Risk],
                             actor=acting(cast.nurse))  # fmt: skip
    v.refresh_from_db()
    signed_in(cast.nurse)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert 'name="all_confirmed" value="yes"' in page
    some = client.post(url("visits:time_out", v), {"version": v.version, "items": ["patient"]})
    assert some.status_code == 400 and not TimeOut.objects.filter(visit=v).exists()
    done = client.post(url("visits:time_out", v),
                       {"version": v.version, "all_confirmed": "yes"})  # fmt: skip
    assert done.status_code == 302
    record = TimeOut.objects.get(visit=v)
    assert sorted(record.items) == sorted(str(item) for item in consent.TIME_OUT_ITEMS)


def test_the_exam_answers_yes_or_no_with_buttons(client, cast, signed_in):
    """Each finding is a pair of Yes/No buttons (radio inputs); none pressed is "not
    examined" for the optional ones, and an active point is recorded from four presses."""
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.clinician)
    signed_in(cast.clinician)
    page = client.get(url("visits:exam", v)).content.decode()
    # The trigger point's seven questions and a ligament or tendon's three (issue 15).
    assert page.count('class="yes-no-buttons"') == 10
    assert 'type="radio" name="taut_band" value="true"' in page
    posted = {"version": v.version, "muscle": "trapezius_upper", "side": "left",
              "taut_band": "true", "spot_tenderness": "true", "referred_pain": "true",
              "recognised": "true"}  # fmt: skip
    assert client.post(url("visits:exam", v), posted).status_code == 302
    finding = v.findings.get()
    assert (finding.kind, finding.twitch) == ("active", None)


def test_the_exam_names_each_classification_in_words(client, cast, signed_in):
    """A not-confirmed point reads "Not confirmed", never the identifier "Not_confirmed"
    (a crawl under a moved clock once met one in the demo)."""
    v = ready(cast, [("trapezius_upper", flow.ACTIVE), ("rhomboids", NOT_CONFIRMED)])
    signed_in(cast.clinician)
    page = client.get(url("visits:exam", v)).content.decode()
    assert ">Active</strong>" in page and ">Not confirmed</strong>" in page
    assert "Not_confirmed" not in page
    assert v.findings.get(muscle="rhomboids").kind_label == "Not confirmed"  # the note's words
    assert {kind.label for kind in trigger_points.Kind} == {
        "Active", "Latent", "Not confirmed", "Not fully examined"
    }  # fmt: skip
