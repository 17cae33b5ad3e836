"""The trigger point exam: one finding per muscle and side, classified from its findings."""

from django.db import transaction

from taut.audit.models import Action
from taut.clinical import atlas, trigger_points
from taut.lib import units
from taut.visits.models import TriggerPointFinding, Visit
from taut.visits.services.common import Blocked, audited, touch_visit

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


def classify(finding: TriggerPointFinding):
    return trigger_points.classify(
        trigger_points.Findings(**{name: getattr(finding, name) for name in FINDING_FIELDS})
    )


def add_finding(*, visit: Visit, version, data: dict, by, request=None) -> TriggerPointFinding:
    """Record one examined point. ``data`` holds the model fields plus ``ppt`` and
    ``ppt_unit`` (the pressure pain threshold as entered; stored in kPa)."""
    if data["muscle"] not in atlas.MUSCLES:
        raise Blocked("Choose a muscle from the atlas.")
    if TriggerPointFinding.objects.filter(
        visit=visit, muscle=data["muscle"], side=data["side"]
    ).exists():
        raise Blocked("This muscle and side are already examined: remove that finding first.")
    finding = TriggerPointFinding(visit=visit, recorded_by=by)
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
        touch_visit(
            visit=visit, version=version, by=by, request=request, change="exam finding", state=state
        )
        finding.save()
        audited(
            action=Action.CREATE,
            request=request,
            by=by,
            visit=visit,
            record=finding,
            object_type="trigger_point_finding",
            details={"kind": finding.kind},
        )
    return finding


def remove_finding(*, finding: TriggerPointFinding, version, by, request=None) -> None:
    visit = finding.visit
    with transaction.atomic():
        touch_visit(
            visit=visit, version=version, by=by, request=request, change="exam finding removed"
        )
        audited(
            action=Action.DELETE,
            request=request,
            by=by,
            visit=visit,
            record=finding,
            object_type="trigger_point_finding",
        )
        finding.delete()
