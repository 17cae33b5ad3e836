"""Reads about a visit's injection sites for coding and safety: what the exam found at each
muscle, what a site needs confirmed (``taut.clinical.site_checks``), and the session's codes
with injections and dry needling apart (``taut.clinical.session_coding``).

A site is any atlas SITE: a muscle or a ligament/tendon structure (issue 15). A muscle's
exam is its trigger point (``site_checks.PointStatus``); a ligament or tendon's is its own
``structure_exam.Kind``, which ``site_checks.site_needs`` reads in the point's place.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from taut.clinical import atlas, session_coding, site_checks, sites, structure_exam
from taut.visits.models import InjectionSite, Visit


def is_muscle(site_id: str) -> bool:
    """Whether an atlas site id is a muscle (the trigger-point rules read only these)."""
    return site_id in atlas.MUSCLES


def site_name(site_id: str) -> str:
    """The atlas site's name (muscle, ligament or tendon); the id if it is not in the atlas."""
    site = atlas.SITES.get(site_id)
    return site.name if site else site_id


def kind_label(site_id: str) -> str:
    """What the site is, in words: "muscle", "ligament", "tendon origin" …"""
    try:
        return atlas.kind_of(site_id).label.lower()
    except ValueError:
        return ""


def is_midline(site_id: str) -> bool:
    structure = atlas.STRUCTURES.get(site_id)
    return structure is not None and structure.midline


def side_error(site_id: str, side: str) -> str:
    """Why ``side`` does not fit the site (empty: it fits). A midline structure is recorded
    "midline"; a muscle or a paired structure left or right."""
    if is_midline(site_id):
        if side != "midline":
            return f"The {site_name(site_id)} is a midline structure: choose Midline as its side."
        return ""
    if side not in ("left", "right"):
        return f"The {site_name(site_id)} is a paired site: choose Left or Right, not {side}."
    return ""


def point_statuses(visit: Visit) -> dict[tuple[str, str], site_checks.PointStatus]:
    """What the exam found at each examined (muscle, side) of the visit."""
    return {
        (f.muscle, f.side): site_checks.point_status(f.kind)
        for f in visit.findings.all()
        if is_muscle(f.muscle)
    }


NOT_EXAMINED = site_checks.PointStatus.NOT_EXAMINED


def exam_points(visit: Visit) -> dict[tuple[str, str], str]:
    """What the exam found at each examined (site, side): a muscle's ``PointStatus``, a
    ligament or tendon's ``structure_exam.Kind`` (as ``site_checks.site_needs`` reads it)."""
    return {
        (f.muscle, f.side): site_checks.point_status(f.kind) if f.is_muscle else f.kind
        for f in visit.findings.all()
    }


def found_label(site_id: str, point: str) -> str:
    """What the exam found, in words, for a muscle or a ligament/tendon."""
    if is_muscle(site_id) or point == NOT_EXAMINED:
        return site_checks.POINT_LABELS[site_checks.PointStatus(point)]
    return structure_exam.Kind(point).label.lower()


def _needs(site: InjectionSite, point: str) -> site_checks.SiteNeeds:
    return site_checks.site_needs(
        muscle=site.muscle,
        landmark=site.guidance == InjectionSite.Guidance.LANDMARK,
        injected=site.kind != InjectionSite.Kind.DRY_NEEDLING,
        point=point,
        steroid=bool(site.steroid),
    )


def needs_for(visit: Visit, site: InjectionSite) -> site_checks.SiteNeeds:
    """What recording ``site`` at this visit needs the clinician to confirm or explain."""
    return _needs(site, exam_points(visit).get((site.muscle, site.side), NOT_EXAMINED))


def _sites(visit: Visit) -> list[InjectionSite]:
    procedure = getattr(visit, "procedure", None)
    return list(procedure.sites.all()) if procedure is not None else []


# The sclerosant as the code line names it ("prolotherapy (dextrose) at …").
SCLEROSANT_WORDS = {"dextrose": "dextrose", "other": "another sclerosant"}


def _coded_sites(visit: Visit) -> list[session_coding.CodedSite]:
    points = point_statuses(visit)
    return [
        session_coding.CodedSite(
            muscle=s.muscle,
            side=s.side,
            dry_needling=s.kind == InjectionSite.Kind.DRY_NEEDLING,
            point=points.get((s.muscle, s.side), site_checks.PointStatus.NOT_EXAMINED),
            reason=s.point_reason,
            sclerosant=SCLEROSANT_WORDS.get(s.sclerosant, s.sclerosant),
        )
        for s in _sites(visit)
    ]


def coding_for(visit: Visit) -> session_coding.SessionCoding:
    """The session's muscle codes: injected muscles with a documented trigger point, and
    dry-needled muscles coded on their own, with the warnings to show. (Ligaments and
    tendons are never counted as muscles: ``codes_for`` codes every site.)"""
    return session_coding.session_coding(s for s in _coded_sites(visit) if is_muscle(s.muscle))


def codes_for(visit: Visit) -> session_coding.SessionCodes:
    """Every code line of the session (``session_coding.session_codes``): 20552/20553 for
    muscles, 20550/20551 for ligaments and tendons, dry needling and prolotherapy apart,
    each with the sites that produced it, its units, modifiers and reason."""
    return session_coding.session_codes(_coded_sites(visit))


def code_rows(codes: session_coding.SessionCodes) -> list[dict]:
    """The code lines as the note shows and stores them (``Note.codes``): each site by id,
    side and name."""
    return [
        {
            "code": line.code,
            "units": line.units,
            "modifiers": list(line.modifiers),
            "sites": [
                {"id": site_id, "side": str(side), "name": name}
                for (site_id, side), name in zip(line.sites, line.site_names, strict=True)
            ],
            "reason": line.reason,
            "status": line.status,
            "source": line.source,
        }
        for line in codes.lines
    ]


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
    points = exam_points(visit)
    for site in _sites(visit):
        status = points.get((site.muscle, site.side), NOT_EXAMINED)
        needs = _needs(site, status)
        risk = ""
        if needs.confirm_risk and needs.risk is not None:
            risk = (
                f"High-risk site injected by landmark; the clinician confirmed the risk "
                f"({needs.risk.text}) after ultrasound guidance was suggested."
            )
        point = found_label(site.muscle, status) if needs.point_reason else ""
        if risk or point:
            notes.append(
                SiteNote(site_name(site.muscle), site.side, risk, point, site.point_reason)
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
    for (site_id, side), status in exam_points(visit).items():
        needs = site_checks.site_needs(muscle=site_id, landmark=True, injected=True, point=status)
        rows.append(
            ExaminedAdvice(site_name(site_id), side, found_label(site_id, status), needs.texts)
        )
    return rows


# What a clinician's last site carries to their next one: how they inject, never what they
# found or confirmed at a point (twitch, aspiration, high-risk confirmation, reason, steroid).
CARRIED = (
    "kind",
    "agent",
    "percent",
    "epinephrine",
    "volume_ml",
    "needle_gauge",
    "needle_length_mm",
    "guidance",
)


@dataclass(frozen=True)
class SiteStart:
    """What a new site's form starts from: the clinician's own last site (``own``), or
    Taut's sourced starting values; ``said`` is how the page names them."""

    values: dict
    own: bool
    said: str

    def posted(self) -> list[tuple[str, str]]:
        """The values as a form posts them (a ticked box as "on", an unticked one left
        out, a date as ISO), for a one-click "inject this point"."""
        fields = []
        for name, value in self.values.items():
            if value is False:
                continue
            if value is True:
                value = "on"
            elif isinstance(value, date):
                value = value.isoformat()
            fields.append((name, str(value)))
        return fields


def _described(values: dict) -> str:
    if values.get("kind", InjectionSite.Kind.ANAESTHETIC) != InjectionSite.Kind.ANAESTHETIC:
        what = InjectionSite.Kind(values["kind"]).label.lower()
        if values.get("volume_ml"):
            what += f", {values['volume_ml'].normalize():f} mL"
    else:
        what = (
            f"{values['agent']} {values['percent'].normalize():f} %"
            + (" with epinephrine" if values.get("epinephrine") else "")
            + f", {values['volume_ml'].normalize():f} mL"
        )
    needle = f"{values['needle_gauge']} G {values['needle_length_mm'].normalize():f} mm"
    guidance = values.get("guidance")
    by = f", {InjectionSite.Guidance(guidance).label.lower()}" if guidance else ""
    return f"{what}, {needle}{by}"


def site_start(user, *, visit: Visit, today: date) -> SiteStart:
    """A new site's starting values: the injectate, needle and guidance of ``user``'s most
    recent recorded site (any patient of theirs: only how they inject is read, nothing of
    the patient), else ``taut.clinical.sites.NEW_SITE``. A lot number and expiry come from
    this visit's last site that has them while the vial is in date, since a vial is shared
    by a session's sites, not across patients."""
    last = (
        InjectionSite.objects.filter(recorded_by=user)
        .order_by("-recorded_at", "-id")
        .values(*CARRIED)
        .first()
    )
    if last is not None:
        values = dict(last)
        own = True
    else:
        start = sites.NEW_SITE
        values = {
            "kind": InjectionSite.Kind.ANAESTHETIC,
            "agent": start.agent,
            "percent": start.percent,
            "volume_ml": start.volume_ml,
            "needle_gauge": start.needle_gauge,
            "needle_length_mm": start.needle_length_mm,
            "guidance": InjectionSite.Guidance.LANDMARK,
        }
        own = False
    vial = next(
        (
            s
            for s in reversed(_sites(visit))
            if s.lot_number and (s.expiry is None or s.expiry >= today)
        ),
        None,
    )
    if vial is not None:
        values.update(lot_number=vial.lot_number, expiry=vial.expiry)
    return SiteStart(values={k: v for k, v in values.items() if v is not None}, own=own,
                     said=_described(values))  # fmt: skip


@dataclass(frozen=True)
class PointToInject:
    """An examined point not injected yet at this visit. One that needs nothing more from
    the clinician with the starting values (``one_click``: a confirmed active trigger point,
    not a high-risk site by landmark) gets "inject this point"; any other fills the form,
    which asks what it needs (``asks``)."""

    muscle: str  # atlas id
    side: str
    name: str
    one_click: bool
    asks: str  # what the form will ask, in words; empty for a one-click point


def points_to_inject(visit: Visit, *, start: SiteStart) -> list[PointToInject]:
    """The exam's points without a site yet, in exam order, one-click ones first."""
    done = {(s.muscle, s.side) for s in _sites(visit)}
    vial = visit.patient.clinic.require_lot_expiry and not start.values.get("lot_number")
    points = []
    for (site_id, side), status in exam_points(visit).items():
        if (site_id, side) in done or site_id not in atlas.SITES:
            continue
        needs = site_checks.site_needs(
            muscle=site_id,
            landmark=start.values.get("guidance") != InjectionSite.Guidance.ULTRASOUND,
            injected=start.values.get("kind") != InjectionSite.Kind.DRY_NEEDLING,
            point=status,
        )
        asks = []
        if needs.confirm_risk:
            asks.append("high-risk site: the form asks you to confirm the risk")
        if needs.point_reason:
            asks.append(f"{found_label(site_id, status)}: the form asks why")
        if vial:
            asks.append("the clinic requires the vial's lot number and expiry")
        points.append(
            PointToInject(
                site_id,
                side,
                site_name(site_id),
                one_click=not asks,
                asks="; ".join(asks),
            )
        )
    return sorted(points, key=lambda point: not point.one_click)


@dataclass(frozen=True)
class SteroidCaution:
    """A steroid recorded (or being recorded) at a ligament or tendon with a caution in the
    atlas; ``avoid``: the atlas says no steroid into this tendon, so the site is recorded only
    with the clinician's ``reason`` (``InjectionSite.steroid_site_reason``; empty while it is
    being typed without one)."""

    site: str  # the site's name
    side: str
    text: str
    source: str
    avoid: bool
    reason: str = ""


def steroid_cautions(sites: Iterable[InjectionSite]) -> list[SteroidCaution]:
    """The atlas's steroid cautions (``site_checks.steroid_site_cautions``) for the sites
    that carry a steroid, in order, each site and side once (with its reason, if any)."""
    with_steroid: dict[tuple[str, str], str] = {}
    for s in sites:
        if s.steroid:
            key = (s.muscle, s.side)
            with_steroid[key] = with_steroid.get(key) or s.steroid_site_reason.strip()
    cautions = {
        c.site: c
        for c in site_checks.steroid_site_cautions(tuple(dict.fromkeys(k[0] for k in with_steroid)))
    }
    rows = []
    for (site_id, side), reason in with_steroid.items():
        caution = cautions.get(site_id)
        if caution is None:
            continue
        structure = atlas.STRUCTURES.get(site_id)
        rows.append(
            SteroidCaution(
                site_name(site_id),
                side,
                caution.text,
                caution.source,
                avoid=bool(structure and structure.steroid_avoid),
                reason=reason,
            )
        )
    return rows


def visit_steroid_cautions(
    visit: Visit, *, proposed: InjectionSite | None = None
) -> list[SteroidCaution]:
    """The steroid cautions of the visit's sites, with the site being typed."""
    return steroid_cautions(_sites(visit) + ([proposed] if proposed is not None else []))
