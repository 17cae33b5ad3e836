"""Local anaesthetic the patient had in the 24 hours before a session: other sessions at the
clinic and procedures elsewhere that day. The session check adds it to this session's dose.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from fractions import Fraction

from taut.clinical.dosing._inputs import read_bounded
from taut.clinical.dosing.agents import Agent, read_agent
from taut.clinical.dosing.table import MAX_TABLE_CAP_MG
from taut.clinical.inputs import Number, read_flag, read_text

# Doses given within this time before (or after) a session count toward its maximum.
WINDOW = timedelta(hours=24)

# A dose from elsewhere above this is a typing error (the highest cap in any table).
MAX_EARLIER_MG = MAX_TABLE_CAP_MG


@dataclass(frozen=True)
class EarlierDose:
    """``mg`` of ``agent`` given before this session (``where``: "clinic visit", "dentist")."""

    agent: str
    mg: Number
    epinephrine: bool = False
    where: str = ""


def read_earlier(item: object, index: int) -> tuple[Agent, Fraction, bool, str]:
    """One earlier dose as the session check reads it. Not a rule: input parsing."""
    field = f"earlier[{index}]"
    if not isinstance(item, EarlierDose):
        raise ValueError(f"{field}: expected an EarlierDose, got {item!r}")
    return (
        read_agent(item.agent, f"{field}.agent"),
        read_bounded(item.mg, f"{field}.mg", MAX_EARLIER_MG),
        read_flag(item.epinephrine, f"{field}.epinephrine"),
        read_text(item.where, f"{field}.where"),
    )


def counts_toward(given_at: datetime, *, session_at: datetime) -> bool:
    """Whether a dose given at ``given_at`` counts toward the session that started at
    ``session_at``: within 24 hours of it, before or after (a later session counts this
    one, and this one counts a later session documented first).

    Maximum doses are per session [S30], [S29]; bupivacaine also has a 24-hour maximum
    (400 mg per 24 h [S65]). Counting every agent over 24 hours is Taut's conservative
    reading. Source: [S65] (24-hour maximum, secondary). Status: clinic policy (unverified)
    for agents other than bupivacaine.
    """
    for name, value in (("given_at", given_at), ("session_at", session_at)):
        if not isinstance(value, datetime) or value.tzinfo is None:
            raise ValueError(f"{name}: expected a time-zone-aware datetime, got {value!r}")
    return abs(given_at - session_at) < WINDOW
