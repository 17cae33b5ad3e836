"""The statistics of clinic analytics ("How well do TPIs work here?"): proportions with
their intervals and in words for patients, small-cell suppression, and Kaplan–Meier curves
from aggregated counts.

Pure: no Django, no clock, no I/O. The analytics app counts in SQL and hands plain numbers
to these functions; the definitions of what is counted (a responder, a durability event,
censoring) are the app's.

The package's public home is ``taut.clinical.analytics``: import from here, not from its
modules (``proportions``: Wilson interval, tens for patients, staff wording;
``suppression``: cells of 1 to 10 patients; ``survival``: Kaplan–Meier, its band, the
median and its interval).

Sources are the ids of ``docs/clinical-rules.md`` ("Clinic analytics").
"""

from taut.clinical.analytics.proportions import (
    CONFIDENCE,
    InTens,
    Proportion,
    Tens,
    describe,
    in_tens,
    wilson,
)
from taut.clinical.analytics.public import MIN_FOLLOWED, Clause, ClinicFigure, clinic_figure
from taut.clinical.analytics.suppression import (
    MIN_CELL_PATIENTS,
    Cell,
    cell,
    cell_within,
    proportion_cell,
    suppressed,
)
from taut.clinical.analytics.survival import (
    Median,
    Point,
    Step,
    Survival,
    kaplan_meier,
    survival_at,
)

VERSION = "2026.1"

__all__ = [
    "CONFIDENCE",
    "MIN_CELL_PATIENTS",
    "MIN_FOLLOWED",
    "VERSION",
    "Cell",
    "Clause",
    "ClinicFigure",
    "InTens",
    "Median",
    "Point",
    "Proportion",
    "Step",
    "Survival",
    "Tens",
    "cell",
    "cell_within",
    "clinic_figure",
    "describe",
    "in_tens",
    "kaplan_meier",
    "proportion_cell",
    "suppressed",
    "survival_at",
    "wilson",
]
