"""The trigger point exam: one finding per muscle and side, classified from its findings."""

from typing import Any

from django.db import transaction

from taut.accounts.actors import Actor
from taut.accounts.roles import Need
from taut.audit.models import Action
from taut.audit.services import record_event
from taut.clinical import atlas, trigger_points
from taut.lib import units
from taut.visits.models import TriggerPointFinding, Visit
from taut.visits.services.common import Blocked, require, touch_visit

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


def classify(finding: TriggerPointFinding) -> trigger_points.Classification:
    return trigger_points.classify(
        trigger_points.Findings(**{name: getattr(finding, name) for name in FINDING_FIELDS})
    )


def add_finding(
    *, visit: Visit, version: int | str | None, data: dict[str, Any], actor: Actor
) -> TriggerPointFinding:
    """Record one examined point. ``data`` holds the model fields plus ``ppt`` and
    ``ppt_unit`` (the pressure pain threshold as entered; stored in kPa)."""
    require(actor, Need.CLINICAL_WRITE, "Only a clinician records the exam.", visit=visit)
    if data["muscle"] not in atlas.MUSCLES:
        raise Blocked("Choose a muscle from the atlas.")
    if TriggerPointFinding.objects.filter(
        visit=visit, muscle=data["muscle"], side=data["side"]
    ).exists():
        raise Blocked("This muscle and side are already examined: remove that finding first.")
    finding = TriggerPointFinding(visit=visit, recorded_by=actor.user, recorded_at=actor.now)
    for name in ("muscle", "side", "location", "referred_to", *FINDING_FIELDS):
        setattr(finding, name, data.get(name))
    finding.location = finding.location or ""
    finding.referred_to = finding.referred_to or ""
    if data.get("ppt") is not None:
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
