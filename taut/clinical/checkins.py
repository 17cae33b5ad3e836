"""What a follow-up check-in asks, and whether it is due.

``questions(checkpoint, sites=…, has_goals=…)`` lists a check-in's items in the order to ask
them: index pain (0–10) and the PEG always; injection-site soreness up to week 2; the
warning questions that apply (``aftercare.warning_signs``); PGIC and other treatments from
week 1; Goal Attainment Scaling from week 6 when the patient has goals.

**Which check-in.** The rules read the check-in's day after the session, not its name, so a
clinic's own plan (say a "week_4" check-in) gets the right items: pass its
``schedule.Checkpoint``. A bare key is accepted only for ``schedule.DEFAULT_PLAN``. "Up to
week 2" is a day ≤ 14, "from week 1" a day ≥ 7, "week 6 and week 12" a day ≥ 42.

``due_status`` says whether a check-in is upcoming, due, overdue or completed.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from taut.clinical import aftercare
from taut.clinical.inputs import is_whole, read_date, read_flag
from taut.clinical.outcomes import NRS_MAX, NRS_MIN, PGIC
from taut.clinical.schedule import Checkpoint
from taut.clinical.wording import gettext_noop as _

# 2026.2: the blood sugar question after a steroid (issue 11); 2026.3: the tendon rupture
# question after a steroid at a tendon (issue 15)
VERSION = "2026.3"

# Days after the session (the checkpoint's offset). Clinic policy, unverified.
SORENESS_UNTIL_DAY = 14  # up to week 2: soreness lasts 1–3 days [S10], [S13]
PGIC_FROM_DAY = 7  # from week 1: a change needs time to judge
TREATMENTS_FROM_DAY = 7  # from week 1
GAS_FROM_DAY = 42  # week 6 and week 12 of the default plan: the LCD's six weeks [S49], [S51]
GRACE_DAYS = 3  # a check-in is overdue this many days after its date


class Kind(StrEnum):
    NRS = "nrs"
    PEG = "peg"
    SORENESS = "soreness"
    WARNING = "warning"
    PGIC = "pgic"
    TREATMENTS = "treatments"
    GAS = "gas"


@dataclass(frozen=True)
class Choice:
    value: str | int
    label: str


@dataclass(frozen=True, kw_only=True)
class Question:
    """One check-in item. A 0–10 item has ``scale`` and words for its ends (``low``,
    ``high``); a choice item has ``choices`` (``multiple`` when several may be picked). The
    GAS item is asked once for each of the patient's goals."""

    id: str
    kind: Kind
    prompt: str
    source: str
    status: str
    scale: tuple[int, int] | None = None
    low: str = ""
    high: str = ""
    choices: tuple[Choice, ...] = ()
    multiple: bool = False


_ZERO_TO_TEN = (NRS_MIN, NRS_MAX)
# The PEG items as Krebs 2009 words them (from memory: clinical.md marks the exact wording
# unverified). A validated instrument keeps its words, even above the reading target.
_PEG_SOURCE = "[S36]; wording [S36] from memory"
_PEG_STATUS = "secondary"
_NOT_INTERFERE = _("Does not interfere")
_INTERFERES = _("Completely interferes")

NRS = Question(
    id="nrs",
    kind=Kind.NRS,
    prompt=_("How bad is the pain we are treating, right now?"),
    source="[S34] (0–10 NRS); the same scale as the baseline [S51]",
    status="verified",
    scale=_ZERO_TO_TEN,
    low=_("No pain"),
    high=_("Worst pain you can imagine"),
)
PEG = (
    Question(
        id="peg_pain",
        kind=Kind.PEG,
        prompt=_("What number best describes your pain on average in the past week?"),
        source=_PEG_SOURCE,
        status=_PEG_STATUS,
        scale=_ZERO_TO_TEN,
        low=_("No pain"),
        high=_("Pain as bad as you can imagine"),
    ),
    Question(
        id="peg_enjoyment",
        kind=Kind.PEG,
        prompt=_(
            "What number best describes how, during the past week, pain has interfered "
            "with your enjoyment of life?"
        ),
        source=_PEG_SOURCE,
        status=_PEG_STATUS,
        scale=_ZERO_TO_TEN,
        low=_NOT_INTERFERE,
        high=_INTERFERES,
    ),
    Question(
        id="peg_activity",
        kind=Kind.PEG,
        prompt=_(
            "What number best describes how, during the past week, pain has interfered "
            "with your general activity?"
        ),
        source=_PEG_SOURCE,
        status=_PEG_STATUS,
        scale=_ZERO_TO_TEN,
        low=_NOT_INTERFERE,
        high=_INTERFERES,
    ),
)
SORENESS = Question(
    id="soreness",
    kind=Kind.SORENESS,
    prompt=_("How sore are the places where the needles went in?"),
    source="[S10], [S13] (post-injection soreness); the 0–10 scale is Taut's",
    status="unverified",
    scale=_ZERO_TO_TEN,
    low=_("Not sore"),
    high=_("As sore as you can imagine"),
)
_YES_NO = (Choice("yes", _("Yes")), Choice("no", _("No")))
# The NINDS / IMMPACT labels [S37], kept as published; the stem question is not in the
# reference (memory), so it is written plainly here.
_PGIC_LABELS = {
    PGIC.VERY_MUCH_IMPROVED: _("Very much improved"),
    PGIC.MUCH_IMPROVED: _("Much improved"),
    PGIC.MINIMALLY_IMPROVED: _("Minimally improved"),
    PGIC.NO_CHANGE: _("No change"),
    PGIC.MINIMALLY_WORSE: _("Minimally worse"),
    PGIC.MUCH_WORSE: _("Much worse"),
    PGIC.VERY_MUCH_WORSE: _("Very much worse"),
}


def pgic_label(category: str) -> str:
    """The published words for a stored PGIC category ("" for none; an unknown value as is).

    Not a rule: the labels are [S37]'s, as ``PGIC_QUESTION`` shows them.
    """
    try:
        return _PGIC_LABELS[PGIC(category)]
    except ValueError:
        return category


PGIC_QUESTION = Question(
    id="pgic",
    kind=Kind.PGIC,
    prompt=_("Since your shots, how has your pain problem changed overall?"),
    source="[S37], [S34] (7-point scale); the stem is Taut's",
    status="secondary",
    choices=tuple(Choice(category, _PGIC_LABELS[category]) for category in PGIC),
)
TREATMENTS = Question(
    id="treatments",
    kind=Kind.TREATMENTS,
    prompt=_("Since your shots, what else have you used for this pain? Pick all that apply."),
    source="[S51] (an ongoing conservative programme alongside TPI), [S3]; the list is Taut's",
    status="unverified",
    choices=(
        Choice("stretching", _("Stretching or home exercises")),
        Choice("physical_therapy", _("Physical therapy")),
        Choice("medicines", _("Medicines")),
        Choice("other", _("Something else")),
    ),
    multiple=True,
)
GAS = Question(
    id="gas",
    kind=Kind.GAS,
    prompt=_("How did this goal go?"),
    source="[S39], [S39b] (levels −2 to +2)",
    status="secondary",
    choices=(
        Choice(-2, _("Much less than expected")),
        Choice(-1, _("Less than expected")),
        Choice(0, _("As expected")),
        Choice(1, _("More than expected")),
        Choice(2, _("Much more than expected")),
    ),
)


def _warning(sign: aftercare.WarningSign) -> Question:
    return Question(
        id=sign.sign.value,
        kind=Kind.WARNING,
        prompt=sign.question,
        source=sign.source,
        status=sign.status,
        choices=_YES_NO,
    )


def questions(
    checkpoint: Checkpoint | str,
    *,
    sites: Iterable[tuple[str, str]],
    has_goals: bool,
    agents: Iterable[str] | None = None,
    steroid_and_diabetes: bool = False,
    steroid_sites: Iterable[str] = (),
) -> tuple[Question, ...]:
    """The items a check-in asks, in order.

    Always the index pain (0–10 NRS) and the three PEG items; injection-site soreness
    (0–10) up to day 14; the warning questions of ``aftercare.warning_signs`` for these
    ``(muscle_id, side)`` sites and ``agents`` (None: not known, so the anaesthetic
    question is asked) and ``steroid_and_diabetes`` (the blood sugar question) and
    ``steroid_sites`` (atlas ids of the sites given a steroid: a tendon among them asks
    about a snap or sudden sharp pain, a possible rupture); from day 7
    the PGIC (``outcomes.PGIC``) and other treatments since
    (stretching, physical therapy, medicines, other); from day 42, when ``has_goals``, GAS
    (asked once per goal). ``checkpoint`` is a ``schedule.Checkpoint`` (its
    ``offset_days`` decides) or a key of ``schedule.DEFAULT_PLAN``.
    Source: [S34], [S51] (NRS, same scale), [S36] (PEG), [S10], [S13] (soreness), [S37]
    (PGIC), [S51] (ongoing conservative care), [S39] (GAS), ``aftercare.WARNING_SIGNS``.
    Status: the instruments verified or secondary; the days each is asked are clinic
    policy (unverified).
    """
    read_flag(has_goals, "has_goals")
    point = aftercare.as_checkpoint(checkpoint)
    day = point.offset_days
    warnings = aftercare.warning_signs(
        sites=sites,
        checkpoint=point,
        agents=agents,
        steroid_and_diabetes=steroid_and_diabetes,
        steroid_sites=steroid_sites,
    )
    items = [NRS, *PEG]
    if day <= SORENESS_UNTIL_DAY:
        items.append(SORENESS)
    items += [_warning(sign) for sign in warnings]
    if day >= PGIC_FROM_DAY:
        items.append(PGIC_QUESTION)
    if day >= TREATMENTS_FROM_DAY:
        items.append(TREATMENTS)
    if has_goals and day >= GAS_FROM_DAY:
        items.append(GAS)
    return tuple(items)


class DueStatus(StrEnum):
    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"
    COMPLETED = "completed"


def overdue_before(*, today: date, grace_days: int = GRACE_DAYS) -> date:
    """The first due date that is *not* overdue on ``today``: an open check-in dated before
    it is overdue, one dated from it through ``today`` is due (as :func:`due_status` says,
    for queries that page each group).
    Source: clinic policy (not in clinical.md), the grace period of :func:`due_status`.
    """
    today = read_date(today, "today")
    if not is_whole(grace_days) or grace_days < 0:
        raise ValueError(f"grace_days: expected a whole number of days ≥ 0, got {grace_days!r}")
    return today - timedelta(days=grace_days)


def due_status(
    due_on: date, *, today: date, completed: bool, grace_days: int = GRACE_DAYS
) -> DueStatus:
    """Whether a check-in dated ``due_on`` is upcoming, due, overdue or completed on ``today``.

    Completed whenever ``completed``; else upcoming before ``due_on``, due from ``due_on``
    through ``grace_days`` days after it (default 3), overdue after that.
    Source: clinic policy (not in clinical.md). Status: unverified; the grace period is a
    setting.
    """
    due_on = read_date(due_on, "due_on")
    today = read_date(today, "today")
    read_flag(completed, "completed")
    if not is_whole(grace_days) or grace_days < 0:
        raise ValueError(f"grace_days: expected a whole number of days ≥ 0, got {grace_days!r}")
    if completed:
        return DueStatus.COMPLETED
    if today < due_on:
        return DueStatus.UPCOMING
    if (today - due_on).days <= grace_days:  # no date arithmetic that could overflow
        return DueStatus.DUE
    return DueStatus.OVERDUE
