"""Small-cell suppression: no count of 1 to 10 patients is shown, nor one that can be
worked out from what is shown.

Sources are the ids of ``docs/clinical-rules.md`` ("Clinic analytics").
"""

from enum import StrEnum

from taut.clinical.analytics._checks import read_count
from taut.clinical.analytics.proportions import Proportion

# CMS cell size suppression policy: no cell of 1 to 10 [S82].
MIN_CELL_PATIENTS = 11


class Cell(StrEnum):
    """What a page may do with a count."""

    EMPTY = "empty"  # 0: no patients, shown as such (0 is not a small cell)
    SUPPRESSED = "suppressed"  # 1 to 10: not shown, nor anything derived from it
    SHOWN = "shown"  # 11 or more


def cell(patients: int) -> Cell:
    """Whether a count of patients may be shown: 0 is ``Cell.EMPTY``, 1 to 10 is
    ``Cell.SUPPRESSED``, 11 or more ``Cell.SHOWN``.

    Source: [S82] (no cell of 1 to 10; a value of zero does not violate the policy), [S83]
    (context: cell sizes used for release). Status: verified (the CMS policy was read).
    """
    count = read_count(patients, "patients")
    if count == 0:
        return Cell.EMPTY
    return Cell.SHOWN if count >= MIN_CELL_PATIENTS else Cell.SUPPRESSED


def cell_within(low: int, high: int) -> Cell | None:
    """The cell of a count of patients known only to lie between ``low`` and ``high``
    (both included; ``low`` may be below 0, a bound that says nothing), or None when the
    bounds leave it open, so that the count itself must be read: the analytics page
    decides most groups from counts it already has
    (docs/decisions/0040-daily-counts.md).

    Source: [S82] through ``cell``. Status: verified (arithmetic on the policy).
    """
    top = read_count(high, "patients")
    if top == 0:
        return Cell.EMPTY
    if low >= MIN_CELL_PATIENTS:
        return Cell.SHOWN
    if top < MIN_CELL_PATIENTS and low >= 1:
        return Cell.SUPPRESSED
    return None


def suppressed(patients: int) -> bool:
    """Whether a count must be hidden: 1 to 10 patients (0 is empty, not suppressed).

    Source: [S82]. Status: verified.
    """
    return cell(patients) is Cell.SUPPRESSED


def proportion_cell(proportion: Proportion) -> Cell:
    """Whether a proportion may be shown. A proportion shown with its ``n`` gives away both
    of its cells, those who did (``successes``) and those who did not (``n − successes``),
    so it is suppressed when any of ``n``, ``successes`` or ``n − successes`` is 1 to 10
    (CMS: no cell may be reported that lets a value of 1 to 10 be derived, percentages
    included). ``n == 0`` is ``Cell.EMPTY``.

    Source: [S82]. Status: verified (the policy); applying it to both sides of a
    proportion is Taut's reading.
    """
    cells = (
        cell(proportion.n),
        cell(proportion.successes),
        cell(proportion.n - proportion.successes),
    )
    if cells[0] is Cell.EMPTY:
        return Cell.EMPTY
    return Cell.SUPPRESSED if Cell.SUPPRESSED in cells else Cell.SHOWN
