"""Warning signs at check-ins: the yes/no questions about complications, and the alerts
a "yes" raises for the clinician worklist.

``WARNING_SIGNS`` are the questions, each with the alert a "yes" raises; ``warning_signs``
picks those that apply to a session and a check-in, and ``alerts`` turns answers into alerts.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from taut.clinical import atlas, consent, urgency
from taut.clinical.aftercare.handout import VERSION, read_agents
from taut.clinical.inputs import is_whole, read_flag
from taut.clinical.schedule import DEFAULT_PLAN, Checkpoint
from taut.clinical.sites import Side
from taut.clinical.wording import gettext_noop as _

# Check-in days (offset from the session) up to which each warning is asked. Clinic policy.
LAST_UNTIL_DAY = 1  # LAST starts within 60 min [S29b]: ask once, at the first check-in
PNEUMOTHORAX_UNTIL_DAY = 3  # day 1 and day 3 of the default plan
INFECTION_UNTIL_DAY = 14  # up to week 2
BLOOD_SUGAR_UNTIL_DAY = 3  # a steroid raises blood sugar for a few days: not in clinical.md
# A steroid can weaken a tendon for a while: the handout says go easy for about two weeks
# (``site_advice``). General knowledge, not in clinical.md.
TENDON_RUPTURE_UNTIL_DAY = 14

#: The site kinds that are tendons (a steroid there asks about a rupture): Taut's grouping.
TENDON_KINDS = frozenset(
    {atlas.SiteKind.TENDON_ORIGIN, atlas.SiteKind.TENDON_INSERTION, atlas.SiteKind.TENDON_SHEATH}
)


Severity = urgency.Severity  # urgent: contact the patient now; soon: today


class Sign(StrEnum):
    LAST = "last_symptoms"
    BREATHING = "breathing"
    CHEST_PAIN = "chest_pain"
    INFECTION = "infection"
    BLOOD_SUGAR = "blood_sugar"
    TENDON_RUPTURE = "tendon_rupture"


class AskWhen(StrEnum):
    ALWAYS = "always"
    ANAESTHETIC = "anaesthetic"  # a local anaesthetic was given (or it is not known)
    PNEUMOTHORAX_SITE = "pneumothorax_site"  # a site over the lung was injected
    STEROID_DIABETES = "steroid_diabetes"  # a steroid was given to a patient with diabetes
    STEROID_TENDON = "steroid_tendon"  # a steroid was given at a tendon site


@dataclass(frozen=True, kw_only=True)
class WarningSign:
    """One yes/no warning question, when a check-in asks it, and the alert a "yes" raises."""

    sign: Sign
    question: str  # patient-facing
    severity: Severity
    ask_when: AskWhen
    until_day: int  # asked at check-ins up to this many days after the session
    alert: str  # clinician-facing
    source: str
    status: str

    @property
    def checkpoints(self) -> tuple[str, ...]:
        """The default plan's check-ins that ask it (when its condition holds)."""
        return tuple(p.key for p in DEFAULT_PLAN.checkpoints if p.offset_days <= self.until_day)


def _severity(sign: Sign) -> Severity:
    """The alert a "yes" raises, from the sign's urgency tier (``urgency.RATINGS``)."""
    found = urgency.alert_severity(urgency.RATINGS[sign.value].tier)
    assert found is not None  # every warning sign is rated above routine
    return Severity(found)


# fmt: off
WARNING_SIGNS: tuple[WarningSign, ...] = (
    WarningSign(
        sign=Sign.LAST,
        question=_("Soon after your shots, did you have any of these? A numb mouth, a taste of "
        "metal, ringing in your ears, or feeling mixed up or dizzy."),
        severity=_severity(Sign.LAST), ask_when=AskWhen.ANAESTHETIC, until_day=LAST_UNTIL_DAY,
        alert="Symptoms of local anaesthetic systemic toxicity (numb mouth, metallic taste, "
        "tinnitus, confusion or dizziness) after the injections.",
        source="[S29b] (early CNS signs; onset 30 s to 60 min); asking at day 1: clinic policy",
        status="verified",
    ),
    WarningSign(
        sign=Sign.BREATHING,
        question=_("Since your shots, have you been short of breath?"),
        severity=_severity(Sign.BREATHING), ask_when=AskWhen.PNEUMOTHORAX_SITE,
        until_day=PNEUMOTHORAX_UNTIL_DAY,
        alert="Short of breath after injection at a site over the lung: possible pneumothorax.",
        source="[S9], [S14] (pneumothorax); breathlessness as its sign and days 1–3: not in "
        "clinical.md",
        status="unverified",
    ),
    WarningSign(
        sign=Sign.CHEST_PAIN,
        question=_("Since your shots, have you had pain in your chest?"),
        severity=_severity(Sign.CHEST_PAIN), ask_when=AskWhen.PNEUMOTHORAX_SITE,
        until_day=PNEUMOTHORAX_UNTIL_DAY,
        alert="Chest pain after injection at a site over the lung: possible pneumothorax.",
        source="[S9], [S14] (pneumothorax); chest pain as its sign and days 1–3: not in "
        "clinical.md",
        status="unverified",
    ),
    WarningSign(
        sign=Sign.INFECTION,
        question=_("Is any place where a needle went in red, warm, swollen, or leaking pus? Or "
        "have you had a fever?"),
        severity=_severity(Sign.INFECTION), ask_when=AskWhen.ALWAYS, until_day=INFECTION_UNTIL_DAY,
        alert="Signs of infection at an injection site (redness, warmth, swelling, pus or "
        "fever).",
        source="[S13] (skin infection); the signs and weeks 0–2: not in clinical.md",
        status="unverified",
    ),
    WarningSign(
        sign=Sign.BLOOD_SUGAR,
        question=_("Since your shots, has your blood sugar been higher than it usually is?"),
        severity=_severity(Sign.BLOOD_SUGAR), ask_when=AskWhen.STEROID_DIABETES,
        until_day=BLOOD_SUGAR_UNTIL_DAY,
        alert="Blood sugar higher than usual after a steroid injection, in a patient with "
        "diabetes.",
        source="[S9], [S22] (steroid raises blood glucose); days 1–3: not in clinical.md",
        status="secondary",
    ),
    WarningSign(
        sign=Sign.TENDON_RUPTURE,
        question=_("Since your shots, did you feel a snap or a sudden sharp pain where we "
        "treated a tendon? Or can you not use that part as before?"),
        severity=_severity(Sign.TENDON_RUPTURE), ask_when=AskWhen.STEROID_TENDON,
        until_day=TENDON_RUPTURE_UNTIL_DAY,
        alert="A snap, a sudden sharp pain or loss of use at a tendon injected with a "
        "steroid: possible tendon rupture.",
        source="tendon rupture after a steroid: general knowledge, not in clinical.md (as the "
        "handout's same-day call line, ``site_advice``); weeks 0–2: clinic policy",
        status="unverified",
    ),
)
# fmt: on


def as_checkpoint(checkpoint: object, field: str = "checkpoint") -> Checkpoint:
    """A ``schedule.Checkpoint``, given one or a key of ``schedule.DEFAULT_PLAN``.

    A clinic's own plan passes its ``Checkpoint`` (the rules read its ``offset_days``); a
    bare key must be one of the default plan's, since only its offset gives the rules.
    Source: clinic policy (``schedule.DEFAULT_PLAN``); not a clinical rule. Status: unverified.
    """
    if isinstance(checkpoint, Checkpoint):
        offset = checkpoint.offset_days
        if not is_whole(offset) or offset < 1:
            raise ValueError(f"{field}: offset_days must be a whole day ≥ 1, got {offset!r}")
        return checkpoint
    for point in DEFAULT_PLAN.checkpoints:
        if point.key == checkpoint:
            return point
    keys = ", ".join(p.key for p in DEFAULT_PLAN.checkpoints)
    raise ValueError(
        f"{field}: unknown check-in {checkpoint!r}; pass a schedule.Checkpoint for a clinic's "
        f"own plan, or one of {keys}"
    )


def _anaesthetic(agents: object) -> bool:
    return True if agents is None else bool(read_agents(agents))


def steroid_tendon_sites(steroid_sites: object) -> tuple[str, ...]:
    """The tendon sites (origin, insertion or sheath: ``TENDON_KINDS``) among the atlas ids
    of the sites where a steroid was given, each once, in order. A ligament, an aponeurosis
    or a muscle is not a tendon here. Unknown ids raise ValueError naming the field.
    Source: the structure atlas (each site's kind). Not a rule of its own.
    """
    if isinstance(steroid_sites, (str, bytes)) or not isinstance(steroid_sites, Iterable):
        raise ValueError(f"steroid_sites: expected a list of atlas site ids, got {steroid_sites!r}")
    found = []
    for index, site in enumerate(steroid_sites):
        if not isinstance(site, str) or site not in atlas.SITES:
            raise ValueError(f"steroid_sites[{index}]: unknown atlas site {site!r}")
        if atlas.kind_of(site) in TENDON_KINDS:
            found.append(site)
    return tuple(dict.fromkeys(found))


def warning_signs(
    *,
    sites: Iterable[tuple[str, str]],
    checkpoint: Checkpoint | str,
    agents: Iterable[str] | None = None,
    steroid_and_diabetes: bool = False,
    steroid_sites: Iterable[str] = (),
) -> tuple[WarningSign, ...]:
    """The warning questions a check-in asks, in ``WARNING_SIGNS`` order.

    A higher blood sugar up to day 3 when a steroid was given to a patient with diabetes
    (``steroid_and_diabetes``; [S9], [S22]). A snap or sudden sharp pain (possible tendon
    rupture) up to day 14 when a steroid was given at a tendon site (``steroid_sites``: the
    atlas ids of the sites that had a steroid; ``steroid_tendon_sites``); not for a ligament,
    the plantar fascia or a muscle (general knowledge, unverified; the days clinic policy).

    LAST symptoms at check-ins up to day 1 when a local anaesthetic was given (``agents``
    None means not known, and asks); breathlessness and chest pain up to day 3 when a site is
    over the lung (``consent.pneumothorax_sites``); infection signs up to day 14. The day is
    the checkpoint's ``offset_days``, so a clinic's own plan works too.
    Source: [S29b] (LAST onset), [S9], [S14] (pneumothorax), [S13] (infection). Status:
    the risks verified; the days asked are clinic policy (unverified).
    """
    point = as_checkpoint(checkpoint)
    conditions = {
        AskWhen.ALWAYS: True,
        AskWhen.ANAESTHETIC: _anaesthetic(agents),
        AskWhen.PNEUMOTHORAX_SITE: bool(consent.pneumothorax_sites(sites)),
        AskWhen.STEROID_DIABETES: read_flag(steroid_and_diabetes, "steroid_and_diabetes"),
        AskWhen.STEROID_TENDON: bool(steroid_tendon_sites(steroid_sites)),
    }
    return tuple(
        w for w in WARNING_SIGNS if conditions[w.ask_when] and point.offset_days <= w.until_day
    )


@dataclass(frozen=True, kw_only=True)
class Alert:
    """An alert for the clinician worklist, raised by a "yes" to a warning question."""

    code: str  # the warning sign's id
    severity: Severity
    text: str  # for the clinician
    source: str
    status: str
    version: str = VERSION


def _answers(answers: object) -> dict[Sign, bool | None]:
    if not isinstance(answers, Mapping):
        raise ValueError(f"answers: expected a mapping of question id to yes/no, got {answers!r}")
    parsed = {}
    for key, value in answers.items():
        try:
            sign = Sign(key)
        except ValueError:
            known = ", ".join(Sign)
            raise ValueError(f"answers: unknown question id {key!r}; known: {known}") from None
        if value is not None and not isinstance(value, bool):
            raise ValueError(f"answers[{key!r}]: expected True, False or None, got {value!r}")
        parsed[sign] = value
    return parsed


def _site_names(sites: tuple[tuple[str, Side], ...]) -> str:
    return ", ".join(f"{muscle.replace('_', ' ')} ({side})" for muscle, side in sites)


def _tendon_names(sites: Iterable[tuple[str, str]], tendons: tuple[str, ...]) -> str:
    """The steroid-injected tendon sites with their sides, as the clinician reads them."""
    sides: dict[str, list[str]] = {site: [] for site in tendons}
    for site, side in sites:
        if site in sides and side not in sides[site]:
            sides[site].append(side)
    return "; ".join(
        f"{atlas.STRUCTURES[site].name}" + (f" ({', '.join(sides[site])})" if sides[site] else "")
        for site in tendons
    )


def alerts(
    answers: Mapping[str, bool | None],
    *,
    sites: Iterable[tuple[str, str]],
    checkpoint: Checkpoint | str,
    steroid_sites: Iterable[str] = (),
) -> tuple[Alert, ...]:
    """The alerts a check-in's yes/no warning answers raise: one per "yes", urgent first.

    ``answers`` maps a warning question id (``Sign``) to True (yes), False (no) or None
    (unanswered); an unknown id raises ValueError. A "yes" always raises its alert, even to
    a question this check-in would not ask: a reported symptom is never dropped. The text
    names the check-in and, for the chest questions, the sites over the lung; for a tendon
    rupture, the tendon sites that had a steroid (``steroid_sites``).
    Source: see ``WARNING_SIGNS`` ([S29b], [S9], [S14], [S13]). Status: per sign; the
    severities are clinic policy (unverified).
    """
    given = _answers(answers)
    point = as_checkpoint(checkpoint)
    sites = tuple(sites)
    lung_sites = consent.pneumothorax_sites(sites)
    tendons = steroid_tendon_sites(steroid_sites)
    raised = []
    for warning in sorted(WARNING_SIGNS, key=lambda w: w.severity != Severity.URGENT):
        if given.get(warning.sign) is not True:
            continue
        text = f"{point.label} check-in: {warning.alert}"
        if warning.ask_when is AskWhen.PNEUMOTHORAX_SITE:
            text += (
                f" Sites: {_site_names(lung_sites)}."
                if lung_sites
                else " No site over the lung was recorded."
            )
        if warning.ask_when is AskWhen.STEROID_TENDON:
            text += (
                f" Tendon sites given a steroid: {_tendon_names(sites, tendons)}."
                if tendons
                else " No tendon site given a steroid was recorded."
            )
        raised.append(
            Alert(
                code=warning.sign.value,
                severity=warning.severity,
                text=text,
                source=warning.source,
                status=warning.status,
            )
        )
    return tuple(raised)
