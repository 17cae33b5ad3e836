"""Whether a clinician's screening decision still stands: ``decision_covers`` and ``clearance``.

A clinician decides on a verdict ("proceed after review", "override", "do not proceed") on
the reasons the verdict gave at that moment. The decision covers exactly those reasons
(``decision_basis`` writes them down: code, kind and text). Any reason that is new since
then, or whose kind or text changed (a new red flag, a new contraindication, a new allergy,
a new medicine, a different number of weeks), voids it: the facts the clinician weighed are
no longer the facts. A reason that has gone since does not void it (the clinician weighed
more than is now there).

A red flag is never cleared by a decision that does not name it: a "proceed" or "override"
must list each red flag the clinician assessed (``unnamed_red_flags``), and a red flag in a
decision's basis counts only if it was named. ``screen`` itself never gives "eligible"
while a red flag is present, so a red flag ends in a procedure only through a fresh
decision naming it.

A decision recorded before decisions kept their basis (an empty basis) covers nothing: it
cannot show which reasons it was made on, and the intake may have been saved again since,
so it is treated as lapsed and a clinician decides again (Taut's design: fail safe).

Sources: this is a workflow safety rule, not a clinical fact; it follows the red-flag
rule of ``screen`` ([S25], [S26], [S27]: refer, do not inject) and the decision-support
principle that the clinician decides on the facts shown. Status: clinic policy (Taut's
design), tested in ``taut/clinical/tests/test_screening_coverage.py``.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from taut.clinical import dosing
from taut.clinical.screening.verdict import Reason, Status

RED_FLAG_PREFIX = "red_flag."
SOURCE = "Taut's design (clinic policy); red flags [S25], [S26], [S27]"


class Kind(StrEnum):
    """A screening decision's kind (the ``ScreeningDecision.Kind`` values)."""

    PROCEED = "proceed"
    OVERRIDE = "override"
    DO_NOT_PROCEED = "do_not_proceed"


#: The decisions a verdict calls for; "eligible" and "pending" call for none.
ALLOWED = {
    Status.NEEDS_REVIEW: frozenset({Kind.PROCEED, Kind.DO_NOT_PROCEED}),
    Status.NOT_ELIGIBLE: frozenset({Kind.OVERRIDE, Kind.DO_NOT_PROCEED}),
}


@dataclass(frozen=True)
class Basis:
    """One reason as a decision saw it; ``named``: the clinician named it (red flags)."""

    code: str
    kind: str
    text: str
    named: bool = False

    @property
    def red_flag(self) -> bool:
        return self.code.startswith(RED_FLAG_PREFIX)

    def same_as(self, other: "Basis") -> bool:
        return (self.kind, self.text) == (other.kind, other.text)


@dataclass(frozen=True)
class Coverage:
    """How a decision's basis compares with the verdict's reasons now.

    ``new``: reasons now that the decision did not see; ``changed``: reasons it saw whose
    kind or text is different now (their wording now); ``unnamed``: red flags it saw but
    the clinician did not name; ``resolved``: reasons it saw that have gone (they do not
    void it); ``unrecorded``: the decision has no basis (recorded before Taut kept one).
    """

    new: tuple[Basis, ...]
    changed: tuple[Basis, ...]
    unnamed: tuple[Basis, ...]
    resolved: tuple[Basis, ...]
    unrecorded: bool

    @property
    def holds(self) -> bool:
        return not (self.new or self.changed or self.unnamed or self.unrecorded)

    @property
    def why(self) -> tuple[str, ...]:
        """Why the decision lapsed, one line per reason (empty while it holds)."""
        if self.unrecorded:
            return (
                "It was recorded before Taut kept the reasons a decision covers, so it cannot "
                "show that it covers today's reasons.",
            )
        lines = [f"New since the decision: {b.text}" for b in self.new]
        lines += [f"Changed since the decision: {b.text}" for b in self.changed]
        lines += [f"Not named in the decision: {b.text}" for b in self.unnamed]
        return tuple(lines)


@dataclass(frozen=True)
class Decision:
    """A recorded decision as the gate needs it: kind, the verdict status it was made on,
    and its basis (``covers``, as ``decision_basis`` wrote it)."""

    kind: str
    verdict_status: str
    covers: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True)
class Clearance:
    """Whether a procedure may be documented now; ``why`` when not; ``coverage`` of the
    latest decision (None without one); ``lapsed``: that decision no longer stands, and
    ``lines`` say why, one reason a line."""

    allowed: bool
    why: str
    coverage: Coverage | None = None
    lapsed: bool = False
    lines: tuple[str, ...] = ()


def _basis(reason: Mapping[str, Any] | Reason) -> Basis:
    if isinstance(reason, Reason):
        return Basis(reason.code, str(reason.kind), reason.text)
    try:
        return Basis(
            str(reason["code"]),
            str(reason["kind"]),
            str(reason["text"]),
            bool(reason.get("named", False)),
        )
    except (KeyError, TypeError):
        raise ValueError(f"reason: needs code, kind and text, got {reason!r}") from None


def red_flags(reasons: Iterable[Mapping[str, Any] | Reason]) -> tuple[Basis, ...]:
    """The red-flag reasons among ``reasons`` (codes ``red_flag.*``, from ``screen``).

    Source: [S25], [S26], [S27] (the red flags ``screen`` reports)."""
    return tuple(b for b in map(_basis, reasons) if b.red_flag)


def unnamed_red_flags(
    reasons: Iterable[Mapping[str, Any] | Reason], named: Iterable[str]
) -> tuple[Basis, ...]:
    """The red flags among ``reasons`` whose code is not in ``named``: a decision to go
    ahead must name every one (a red flag is never cleared in passing).

    Source: Taut's design (clinic policy) on the red flags of [S25], [S26], [S27]."""
    names = set(named)
    return tuple(b for b in red_flags(reasons) if b.code not in names)


def decision_basis(
    reasons: Iterable[Mapping[str, Any] | Reason], *, named: Iterable[str] = ()
) -> list[dict[str, Any]]:
    """What a decision records it was made on: each reason's code, kind and text, with
    ``named: True`` on the red flags the clinician named. Refuses a name that is not a red
    flag of ``reasons``.

    Source: Taut's design (clinic policy): a decision covers what it was made on."""
    found = [_basis(r) for r in reasons]
    names = set(named)
    unknown = names - {b.code for b in found if b.red_flag}
    if unknown:
        raise ValueError(f"named: not a red flag of this verdict: {', '.join(sorted(unknown))}")
    return [
        {"code": b.code, "kind": b.kind, "text": b.text}
        | ({"named": True} if b.code in names else {})
        for b in found
    ]


def decision_covers(
    reasons: Iterable[Mapping[str, Any] | Reason], covers: Iterable[Mapping[str, Any]]
) -> Coverage:
    """Compare the verdict's ``reasons`` now with a decision's basis ``covers``.

    The decision holds only if every reason now was in its basis with the same kind and
    text, every red flag in it was named, and the basis is not empty. See the module
    docstring for why. Source: Taut's design; status: clinic policy.
    """
    now = [_basis(r) for r in reasons]
    seen = {b.code: b for b in map(_basis, covers)}
    current = {b.code for b in now}
    new = tuple(b for b in now if b.code not in seen)
    changed = tuple(b for b in now if b.code in seen and not b.same_as(seen[b.code]))
    unnamed = tuple(b for b in now if b.red_flag and b.code in seen and not seen[b.code].named)
    resolved = tuple(b for code, b in seen.items() if code not in current)
    return Coverage(
        new=new, changed=changed, unnamed=unnamed, resolved=resolved, unrecorded=not seen
    )


def unscreened_facts(
    *,
    screened_allergies: Iterable[str],
    chart_allergies: Iterable[str],
    screened_antithrombotic: bool | None,
    chart_antithrombotics: Iterable[str],
) -> tuple[str, ...]:
    """Facts on the chart that the last screening did not see, one line each: an
    anaesthetic allergy (by its code) the intake does not list, or an antithrombotic
    medicine while the intake did not answer yes. Until the intake is saved again with
    them, neither a verdict nor a decision covers them.

    Source: Taut's design (clinic policy); allergy [S9], antithrombotics [S9], [S2], [S62],
    [S24] (the screening rules they would feed)."""
    screened = {a.strip().lower() for a in screened_allergies}
    lines = [
        f"Allergy to {_allergen(a)} added to the chart; the screening did not include it."
        for a in sorted({a.strip().lower() for a in chart_allergies} - screened)
    ]
    medicines = sorted(set(chart_antithrombotics))
    if medicines and screened_antithrombotic is not True:
        lines.append(
            f"Blood thinner on the chart ({', '.join(medicines)}); the screening recorded none."
        )
    return tuple(lines)


def _allergen(code: str) -> str:
    """The allergen's label ("Amide local anaesthetics (the whole class)"), or the text
    itself for one that is not a code."""
    try:
        return dosing.allergen_label(code)
    except ValueError:
        return code


_LABEL = {
    Status.NEEDS_REVIEW: "needs review",
    Status.NOT_ELIGIBLE: "not eligible",
    Status.ELIGIBLE: "eligible",
    Status.PENDING: "pending",
}


def _label(status: str) -> str:
    try:
        return _LABEL[Status(status)]
    except ValueError:
        return status


def clearance(
    *,
    status: str,
    reasons: Iterable[Mapping[str, Any] | Reason],
    decision: Decision | None,
    unscreened: Iterable[str] = (),
) -> Clearance:
    """Whether screening lets a procedure be started, documented or signed now.

    Eligible: yes. Pending: no (answer the missing questions). Needs review or not
    eligible: only with the latest decision made on this status whose basis still covers
    every reason (``decision_covers``; a "do not proceed" need not name the red flags), and
    not if that decision is "do not proceed". A
    decision that no longer covers the verdict has lapsed: the reasons why are given and a
    clinician must decide again. Facts on the chart that screening has not seen
    (``unscreened_facts``) block whatever the verdict, until the intake is screened again. Status: clinic policy (Taut's design); red flags [S25],
    [S26], [S27].
    """
    reasons = tuple(reasons)
    coverage = None
    applies = False
    if decision is not None:
        coverage = decision_covers(reasons, decision.covers)
        # Not going ahead needs no red flag named: it refers the patient as the flag asks.
        stands = coverage.holds or (
            decision.kind == Kind.DO_NOT_PROCEED
            and not (coverage.new or coverage.changed or coverage.unrecorded)
        )
        applies = decision.verdict_status == status and stands
    news = tuple(unscreened)
    if news:
        why = (
            "The chart has changed since screening: "
            + " ".join(news)
            + " Save the intake again with it; a decision made before does not cover it."
        )
        return Clearance(False, why, coverage, lapsed=decision is not None, lines=news)
    if status == Status.ELIGIBLE:
        return Clearance(True, "", coverage)
    if status == Status.PENDING or status not in ALLOWED:
        return Clearance(
            False, "Screening is pending: answer the missing intake questions.", coverage
        )
    if applies:
        assert decision is not None
        if decision.kind == Kind.DO_NOT_PROCEED:
            return Clearance(False, "A clinician decided not to proceed today.", coverage)
        return Clearance(True, "", coverage)
    if decision is not None and coverage is not None:
        lines = list(coverage.why)
        if decision.verdict_status != status:
            was, now = _label(decision.verdict_status), _label(status)
            lines.insert(0, f"The verdict was {was} when decided; it is {now} now.")
        why = "The clinician's decision has lapsed: the facts changed. " + " ".join(lines)
        why += " A clinician must decide again."
        return Clearance(False, why, coverage, lapsed=True, lines=tuple(lines))
    if status == Status.NEEDS_REVIEW:
        why = "Screening needs review: a clinician must record a decision and reason."
    else:
        why = "Not eligible: a clinician may override with a reason, or end the visit."
    return Clearance(False, why, coverage)
