"""What the seeded-clinic tests share with their ``conftest``: the clinic's size, a check
too long to keep beside them (``test_seeded_clinic`` stays under 500 lines), and
``demo_clinic``, the seeded clinic that a module's tests share (these and the FHIR ones)."""

from contextlib import contextmanager
from datetime import timedelta

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from taut.clinical import atlas
from taut.demo.management.commands.demo import Command
from taut.demo.seed import seed_demo
from taut.demo.visits.structures import STRUCTURE_SESSIONS, TOP
from taut.visits.models import InjectionSite, Visit

# The smallest clinic that still tells every story these tests look for (with 25
# patients there is only one infection alert).
PATIENTS = 30


@contextmanager
def demo_clinic(django_db_blocker, *, patients: int = PATIENTS):
    """One demo clinic of ``patients`` patients (seed 2026, as `taut demo` seeds it now),
    rolled back when the block ends: for a module-scoped fixture, each test then running in
    a savepoint inside it. Yields the clinic and the moment it was seeded. Fast password
    hashing, as conftest does per test."""
    now = timezone.now()
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), fast, transaction.atomic():
        result = seed_demo(seed=2026, patients_wanted=patients, now=now)
        yield result.clinic, now
        transaction.set_rollback(True)


def check_structure_sessions(clinic) -> None:
    """Issue 15: a few past sessions add a ligament or tendon site, one per patient and each
    at most once: examined by its own findings (symptomatic), a site the finder suggested
    for the session's drawing, injected beside the muscles and coded on the signed note
    with its site (20550/20551, or prolotherapy flagged); `taut demo` names the patients."""
    sites = InjectionSite.objects.filter(
        procedure__visit__patient__clinic=clinic, muscle__in=list(atlas.STRUCTURES)
    ).select_related("procedure__visit__note", "procedure__visit__drawing")
    assert 3 <= len(sites) <= len(STRUCTURE_SESSIONS)  # five among seed 2026's first 30
    assert len({s.muscle for s in sites}) == len({s.procedure.visit.patient_id for s in sites})
    assert len({s.procedure.visit.patient_id for s in sites}) == len(sites)
    for site in sites:
        v = site.procedure.visit
        assert v.state == Visit.State.SIGNED and 2 <= v.procedure.sites.count() <= 5
        assert v.findings.get(muscle=site.muscle, side=site.side).kind == "symptomatic"
        marks = [(m.region, m.side or None, m.intensity) for m in v.drawing.marks.all()]
        suggested = {(s.muscle_id, str(s.side)) for s in atlas.rank(marks)[:TOP]}
        assert (site.muscle, site.side) in suggested
        lines = [line for line in v.note.codes if site.muscle in {x["id"] for x in line["sites"]}]
        expected = {"ligament": "20550", "tendon_sheath": "20550"}.get(atlas.kind_of(site.muscle))
        code = "M0076" if site.sclerosant else expected or "20551"
        assert [line["code"] for line in lines] == [code], v.note.codes
        assert v.note.cpt_code in ("20552", "20553")  # the muscles coded apart
    printed = Command().structure_example("http://127.0.0.1:8000/")
    for site in sites:
        assert site.procedure.visit.patient.mrn in printed
        assert atlas.STRUCTURES[site.muscle].name in printed


def check_analytics_variety(clinic, today) -> None:
    """Issue 17: the stored sessions (``SessionFacet``) are split between two clinicians
    (each patient with one before today) and include ultrasound, steroid and dry-needling sessions and
    complications of more than one kind, each with what was done. Alerts older than the
    recent weeks were acknowledged with what was done, within the hour for an urgent one (by
    the session's clinician), within the day for the others."""
    from taut.aftercare.models import Alert
    from taut.demo.checkins import ALERT_WINDOW_DAYS
    from taut.outcomes.models import SessionFacet, SessionOutcome

    facets = SessionFacet.objects.filter(clinic=clinic)
    values = {
        dimension: set(facets.filter(dimension=dimension).values_list("value", flat=True))
        for dimension in ("clinician", "guidance", "steroid", "method", "complication")
    }
    assert len(values["clinician"]) == 2
    assert values["guidance"] & {"ultrasound", "both"}
    assert "yes" in values["steroid"] and values["method"] & {"dry_needling", "both"}
    assert len(values["complication"]) >= 2, values["complication"]
    outcomes = SessionOutcome.objects.filter(clinic=clinic)
    seen_by = set(outcomes.filter(day__lt=today).values_list("patient", "clinician"))
    assert len(seen_by) == len({p for p, _ in seen_by})  # one clinician per past patient
    complicated = Visit.objects.filter(pk__in=outcomes.filter(complications__gt=0).values("visit"))
    assert all(v.procedure.complication_action for v in complicated.select_related("procedure"))
    recent = today - timedelta(days=ALERT_WINDOW_DAYS)
    older = Alert.objects.filter(patient__clinic=clinic, checkin__due_on__lt=recent)
    for alert in older.select_related("checkin__visit", "acknowledged_by"):
        waited = alert.acknowledged_at - alert.raised_at
        assert alert.note and timedelta(0) < waited <= timedelta(days=1)
        if alert.severity == Alert.Severity.URGENT:
            assert waited <= timedelta(hours=1)
            assert alert.acknowledged_by == alert.checkin.visit.clinician
