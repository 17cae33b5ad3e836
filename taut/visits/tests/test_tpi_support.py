"""Injections where there is a trigger point (issue 11, point 10): no site and no signed
note without an active trigger point on the exam. The rule is
taut.clinical.tpi_support.exam_supports_tpi ([S8c], [S5]; LCD exclusion [S50])."""

import pytest
from django.urls import reverse

from taut.clinical.tpi_support import LCD_TEXT
from taut.tests.cast import acting
from taut.tests.test_visible_text import visible_problems
from taut.visits.models import InjectionSite
from taut.visits.services import exam, procedure
from taut.visits.services.common import Blocked
from taut.visits.tests import flow
from taut.workflows import notes

LATENT = {**flow.ACTIVE, "recognised": False}


def url(name, visit):
    return reverse(name, kwargs={"patient_id": visit.patient.public_id,
                                 "visit_id": visit.public_id})  # fmt: skip


def latent_only(cast, **intake):
    """Eligible, examined (one latent point, trapezius), consented and weighed."""
    v = flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse, **intake)
    exam.add_finding(
        visit=v,
        version=v.version,
        actor=acting(cast.clinician),
        data={"muscle": "trapezius_upper", "side": "left", "location": "", **LATENT},
    )
    v.refresh_from_db()
    assert v.findings.get().kind == "latent"
    return flow.consented(v, cast.nurse)


def test_it_refuses_a_site_without_an_active_trigger_point_and_shows_the_lcd(cast):
    v = latent_only(cast)  # indications: myofascial pain and neck muscle pain
    with pytest.raises(Blocked) as refused:
        procedure.add_site(
            visit=v, version=v.version, site=flow.site(), actor=acting(cast.clinician)
        )
    message = str(refused.value)
    assert "needs at least one active trigger point" in message
    assert "1 latent (no injection needed)" in message
    assert LCD_TEXT in message and "neck pain" in message
    assert not InjectionSite.objects.exists()


def test_it_records_the_site_once_the_exam_finds_an_active_point(cast):
    v = latent_only(cast, indications=["myofascial_pain"])
    with pytest.raises(Blocked) as refused:
        procedure.add_site(
            visit=v, version=v.version, site=flow.site(), actor=acting(cast.clinician)
        )
    assert LCD_TEXT not in str(refused.value)  # myofascial pain alone: no LCD exclusion named
    v = flow.examined(v, cast.clinician, (("levator_scapulae", "left"),))
    v = flow.with_sites(v, cast.clinician, [flow.site("levator_scapulae")])
    assert v.state == v.State.PROCEDURE_DOCUMENTED


def test_it_refuses_to_sign_when_the_active_point_was_removed(cast):
    v = flow.ready_to_sign(cast.patient, cast.clinician)
    for finding in list(v.findings.all()):
        exam.remove_finding(finding=finding, version=v.version, actor=acting(cast.clinician))
        v.refresh_from_db()
    with pytest.raises(Blocked, match="an active trigger point on the exam"):
        notes.sign_note(visit=v, version=v.version, icd_codes=[], actor=acting(cast.clinician))
    assert not hasattr(v, "note")


def test_it_shows_the_reason_on_the_procedure_page_and_refuses_the_site_form(
    client, cast, signed_in
):
    v = latent_only(cast)
    signed_in(cast.clinician)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert 'id="exam-support"' in page and LCD_TEXT in page
    assert visible_problems(page) == []  # the rules named in words, not a module path
    post = {"version": v.version, "muscle": "trapezius_upper", "side": "left",
            "kind": "anaesthetic", "agent": "lidocaine", "percent": "1", "volume_ml": "5",
            "needle_gauge": "25", "needle_length_mm": "25", "guidance": "landmark"}  # fmt: skip
    response = client.post(url("visits:site_add", v), post)
    assert response.status_code == 400
    assert "needs at least one active trigger point" in response.content.decode()
    assert not InjectionSite.objects.exists()


def test_it_shows_nothing_once_an_active_point_is_found(client, cast, signed_in):
    v = flow.consented(
        flow.examined(
            flow.with_intake(flow.scheduled(cast.patient, cast.clinician), cast.nurse),
            cast.clinician,
        ),
        cast.nurse,
    )
    signed_in(cast.clinician)
    page = client.get(url("visits:procedure", v)).content.decode()
    assert 'id="exam-support"' not in page
