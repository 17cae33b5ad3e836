"""Reads about a visit's injection sites for coding and safety: what the exam found at each
muscle, what a site needs confirmed (``taut.clinical.site_checks``), and the session's codes
with injections and dry needling apart (``taut.clinical.session_coding``)."""

from dataclasses import dataclass

from taut.clinical import atlas, session_coding, site_checks
from taut.visits.models import InjectionSite, Visit


def point_statuses(visit: Visit) -> dict[tuple[str, str], site_checks.PointStatus]:
    """What the exam found at each examined (muscle, side) of the visit."""
    return {(f.muscle, f.side): site_checks.point_status(f.kind) for f in visit.findings.all()}


def point_status_for(visit: Visit, muscle: str, side: str) -> site_checks.PointStatus:
    """What the exam found at ``muscle`` and ``side`` (not examined when nothing)."""
    return point_statuses(visit).get((muscle, side), site_checks.PointStatus.NOT_EXAMINED)


def _needs(site: InjectionSite, point: site_checks.PointStatus) -> site_checks.SiteNeeds:
    return site_checks.site_needs(
        muscle=site.muscle,
        landmark=site.guidance == InjectionSite.Guidance.LANDMARK,
        injected=site.kind != InjectionSite.Kind.DRY_NEEDLING,
        point=point,
    )


def needs_for(visit: Visit, site: InjectionSite) -> site_checks.SiteNeeds:
    """What recording ``site`` at this visit needs the clinician to confirm or explain."""
    return _needs(site, point_status_for(visit, site.muscle, site.side))


def _sites(visit: Visit) -> list[InjectionSite]:
    procedure = getattr(visit, "procedure", None)
    return list(procedure.sites.all()) if procedure is not None else []


def coding_for(visit: Visit) -> session_coding.SessionCoding:
    """The session's codes: injected muscles with a documented trigger point, and
    dry-needled muscles coded on their own, with the warnings to show."""
    points = point_statuses(visit)
    return session_coding.session_coding(
        session_coding.CodedSite(
            muscle=s.muscle,
            side=s.side,
            dry_needling=s.kind == InjectionSite.Kind.DRY_NEEDLING,
            point=points.get((s.muscle, s.side), site_checks.PointStatus.NOT_EXAMINED),
            reason=s.point_reason,
        )
        for s in _sites(visit)
    )


@dataclass(frozen=True)
class SiteNote:
    """What the note says about one site beyond its injectate: the high-risk confirmation
    and why a muscle without an active trigger point was injected."""

    muscle: str
    side: str
    risk: str  # empty: not a confirmed high-risk site
    point: str  # empty: an active trigger point (or dry needling)
    reason: str


def site_notes(visit: Visit) -> list[SiteNote]:
    """The sites the note must say more about, in the order recorded."""
    notes = []
    points = point_statuses(visit)
    for site in _sites(visit):
        status = points.get((site.muscle, site.side), site_checks.PointStatus.NOT_EXAMINED)
        needs = _needs(site, status)
        risk = ""
        if needs.confirm_risk and needs.risk is not None:
            risk = (
                f"High-risk site injected by landmark; the clinician confirmed the risk "
                f"({needs.risk.text}) after ultrasound guidance was suggested."
            )
        point = site_checks.POINT_LABELS[status] if needs.point_reason else ""
        if risk or point:
            notes.append(
                SiteNote(atlas.MUSCLES[site.muscle].name, site.side, risk, point, site.point_reason)
            )
    return notes


@dataclass(frozen=True)
class ExaminedAdvice:
    """One examined muscle as the procedure page shows it beside the site form: what the
    exam found, and what injecting it by landmark would ask."""

    muscle: str
    side: str
    found: str
    texts: tuple[str, ...]


def examined_advice(visit: Visit) -> list[ExaminedAdvice]:
    """Each examined muscle with what recording a landmark-guided injection there would
    need (``site_checks.site_needs``): shown before the clinician picks the site."""
    rows = []
    for finding in visit.findings.all():
        status = site_checks.point_status(finding.kind)
        needs = site_checks.site_needs(
            muscle=finding.muscle, landmark=True, injected=True, point=status
        )
        rows.append(
            ExaminedAdvice(
                atlas.MUSCLES[finding.muscle].name,
                finding.side,
                site_checks.POINT_LABELS[status],
                needs.texts,
            )
        )
    return rows
