"""The patient in dosing: age (the table is for adults) and the reductions a clinician can
apply to the maximum for age over 70, hepatic impairment, heart failure and pregnancy.

The label monograph says to reduce the dose in the elderly, the debilitated, the acutely
ill and in cardiac or hepatic disease [S28]; pregnancy is a precaution for trigger point
injection [S63]. No source read gives a percentage, so each percentage here is a clinic
policy (unverified) that a clinic may change (``policy=``), and the UI says so.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from taut.clinical.dosing._inputs import display
from taut.clinical.inputs import member_of, read_collection, read_date, read_number

# The dose tables are adult maximum single doses [S30]; children are dosed otherwise [S66].
ADULT_AGE = 18
# Age at which the elderly reduction is offered: "over 70" read from the 70th birthday on.
ELDERLY_AGE = 70

CLINIC_POLICY = "clinic policy, unverified"


class Factor(StrEnum):
    AGE_OVER_70 = "age_over_70"
    HEPATIC = "hepatic"
    HEART_FAILURE = "heart_failure"
    PREGNANCY = "pregnancy"


@dataclass(frozen=True)
class Reduction:
    """How much one patient factor lowers every maximum, and why.

    ``percent`` is the cut (20 means the maximum becomes 80 % of the table's); ``basis``
    cites why a reduction is due, ``percent_status`` how far the number itself is sourced.
    """

    factor: Factor
    label: str
    percent: Fraction
    basis: str
    basis_status: str
    percent_status: str = CLINIC_POLICY

    def __post_init__(self) -> None:
        percent = read_number(self.percent, "percent")
        if not 0 <= percent < 100:
            raise ValueError(f"percent: must be from 0 to under 100, got {self.percent!r}")
        object.__setattr__(self, "percent", percent)

    @property
    def text(self) -> str:
        return f"{self.label}: maximum lowered by {display(self.percent)} % ({self.percent_status})"


# fmt: off
REDUCTIONS: Mapping[Factor, Reduction] = MappingProxyType({
    Factor.AGE_OVER_70: Reduction(
        Factor.AGE_OVER_70, "Age over 70", Fraction(20),
        "Reduce the dose in the elderly [S28]", "verified",
    ),
    Factor.HEPATIC: Reduction(
        Factor.HEPATIC, "Liver disease (hepatic impairment)", Fraction(20),
        "Reduce the dose in hepatic disease: amides are cleared by the liver [S28]", "verified",
    ),
    Factor.HEART_FAILURE: Reduction(
        Factor.HEART_FAILURE, "Heart failure", Fraction(20),
        "Reduce the dose in cardiac disease [S28]", "verified",
    ),
    Factor.PREGNANCY: Reduction(
        Factor.PREGNANCY, "Pregnancy", Fraction(20),
        "Pregnancy is a precaution for trigger point injection [S63]; the reduction itself "
        "is not sourced", "verified (precaution); unverified (reduction)",
    ),
})
# fmt: on


def read_factor(value: object, field: str = "factor") -> Factor:
    """``value`` as a ``Factor``, or a ValueError naming ``field``. Not a rule: input parsing."""
    factor = member_of(Factor, value)
    if factor is None:
        known = ", ".join(Factor)
        raise ValueError(f"{field}: unknown dose factor {value!r}; known factors: {known}")
    return factor


def age_on(date_of_birth: date, today: date) -> int:
    """Age in whole years on ``today`` (someone born on 29 February turns a year older on
    1 March in a common year).

    Not a rule: date arithmetic.
    """
    born, on = read_date(date_of_birth, "date_of_birth"), read_date(today, "today")
    if born > on:
        raise ValueError(f"date_of_birth: {born} is after today {on}")
    before_birthday = (on.month, on.day) < (born.month, born.day)
    return on.year - born.year - before_birthday


def adult_table_refusal(*, date_of_birth: date, today: date) -> str | None:
    """Why the adult dose table cannot be used for this patient, or None if it can.

    Under 18 the adult maximum single doses do not apply: the tables are adult doses [S30]
    and children are dosed by other rules (e.g. amides reduced by 30 % under 6 months
    [S66]). Paediatric trigger point injection is outside Taut's scope; the refusal says
    so. Source: [S30], [S66]. Status: verified.
    """
    age = age_on(date_of_birth, today)
    if age >= ADULT_AGE:
        return None
    return (
        f"The patient is {age}: the dose limits are adult maximum doses [S30] and do not "
        f"apply under {ADULT_AGE}, since children are dosed by other rules [S66]. Taut does "
        "not dose trigger point injections for children."
    )


def suggested_reductions(
    *, date_of_birth: date, today: date, pregnant: bool | None = None
) -> tuple[Factor, ...]:
    """The reductions the record suggests: age over 70 from the 70th birthday, and pregnancy
    when the intake says the patient is (or could be) pregnant.

    The clinician applies them (and liver disease or heart failure, which Taut cannot read
    from the chart). Source: [S28] ("reduce dose in elderly"), [S63] (pregnancy a
    precaution). Status: verified that a reduction is due; the age it starts at is a
    clinic policy (unverified).
    """
    found = []
    if age_on(date_of_birth, today) >= ELDERLY_AGE:
        found.append(Factor.AGE_OVER_70)
    if pregnant is True:
        found.append(Factor.PREGNANCY)
    return tuple(found)


def reduction_fraction(
    factors: Iterable[object], *, policy: Mapping[Factor, Reduction] = REDUCTIONS
) -> Fraction:
    """What is left of each maximum after the applied reductions: the product of
    ``1 − percent/100`` over the distinct factors (two factors of 20 % leave 64 %).

    Multiplying is the conservative reading when several factors apply; no source says how
    they combine. Source: [S28] (reduce), percentages and combination clinic policy.
    Status: unverified (clinic policy).
    """
    kept = Fraction(1)
    for factor in read_factors(factors):
        if factor not in policy:
            raise ValueError(f"factors: {factor} has no reduction in the clinic's policy")
        kept *= 1 - policy[factor].percent / 100
    return kept


def read_factors(value: object) -> tuple[Factor, ...]:
    """Distinct factors in the order given. Not a rule: input parsing."""
    items = read_collection(value, "factors", "a list of dose factors")
    return tuple(dict.fromkeys(read_factor(item, "factors") for item in items))
