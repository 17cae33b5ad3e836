"""The exam: one finding per site and side, classified from its findings. A muscle by the
trigger point criteria (``taut.clinical.trigger_points``); a ligament or tendon by its own
findings (``taut.clinical.structure_exam``: point tenderness, the recognised pain, pain on
stretch or resisted movement, swelling)."""

from typing import Any

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import atlas, structure_exam, trigger_points
from taut.lib import units
from taut.visits.models import TriggerPointFinding, Visit
from taut.visits.services.common import Blocked, VisitInvalid, require, touch_visit
from taut.visits.sites import side_error

State = Visit.State
FINDING_FIELDS = (
    "taut_band",
    "spot_tenderness",
    "referred_pain",
    "recognised",
    "twitch",
    "jump_sign",
    "limited_stretch",
)
# A ligament or tendon's findings (``recognised`` is shared with the muscle's).
STRUCTURE_FIELDS = ("point_tenderness", "recognised", "pain_on_stress", "swelling")


def classify(
    finding: TriggerPointFinding,
) -> trigger_points.Classification | structure_exam.Classification:
    """The finding classified by its site's rule: the trigger point criteria for a muscle,
    ``structure_exam`` for a ligament or tendon."""
    if not finding.is_muscle:
        return structure_exam.classify(
            structure_exam.Findings(**{name: getattr(finding, name) for name in STRUCTURE_FIELDS})
        )
    return trigger_points.classify(
        trigger_points.Findings(**{name: getattr(finding, name) for name in FINDING_FIELDS})
    )


def add_finding(
    *, visit: Visit, version: int | str | None, data: dict[str, Any], actor: Actor
) -> TriggerPointFinding:
    """Record one examined site. ``data`` holds the model fields plus ``ppt`` and
    ``ppt_unit`` (the pressure pain threshold as entered; stored in kPa). ``muscle`` is any
    atlas site; a ligament or tendon keeps only its own findings (``STRUCTURE_FIELDS``), a
    muscle only the trigger point's. A midline structure takes side "midline", any other
    site left or right."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician records the exam.", visit=visit)
    site_id = data["muscle"]
    if site_id not in atlas.SITES:
        raise Blocked("Choose a muscle, ligament or tendon from the atlas.")
    wrong_side = side_error(site_id, data["side"])
    if wrong_side:
        raise VisitInvalid({"side": wrong_side})
    if TriggerPointFinding.objects.filter(visit=visit, muscle=site_id, side=data["side"]).exists():
        raise Blocked("This site and side are already examined: remove that finding first.")
    finding = TriggerPointFinding(visit=visit, recorded_by=actor.user, recorded_at=actor.now)
    muscle = site_id in atlas.MUSCLES
    fields = FINDING_FIELDS if muscle else STRUCTURE_FIELDS
    for name in ("muscle", "side", "location", *fields):
        setattr(finding, name, data.get(name))
    finding.location = finding.location or ""
    finding.referred_to = (data.get("referred_to") or "") if muscle else ""
    if muscle and data.get("ppt") is not None:
        finding.ppt_kpa = units.to_kpa(data["ppt"], data["ppt_unit"]).quantize(units.KPA_STEP)
        finding.ppt_unit = data["ppt_unit"]
    result = classify(finding)
    finding.kind, finding.rule_version = str(result.kind), result.version
    finding.full_clean(exclude=["visit"])
    with transaction.atomic():
        state = State.EXAMINED if visit.state == State.INTAKE_DONE else None
        touch_visit(visit=visit, version=version, actor=actor, change="exam finding", state=state)
        finding.save()
        record_event(
            actor=actor,
            action=Action.CREATE,
            patient=visit.patient,
            obj=finding,
            object_type="trigger_point_finding",
            details={"kind": finding.kind},
        )
    return finding


def remove_finding(
    *, finding: TriggerPointFinding, version: int | str | None, actor: Actor
) -> None:
    visit = finding.visit
    require(actor, Need.CLINICAL_WRITE, "Only a clinician changes the exam.", visit=visit)
    with transaction.atomic():
        touch_visit(visit=visit, version=version, actor=actor, change="exam finding removed")
        record_event(
            actor=actor,
            action=Action.DELETE,
            patient=visit.patient,
            obj=finding,
            object_type="trigger_point_finding",
        )
        finding.delete()
