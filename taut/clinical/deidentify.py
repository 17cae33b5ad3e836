"""De-identification under HIPAA's Safe Harbor method (the small-cell rule of aggregate
tables is ``taut.clinical.analytics.suppressed``).

Safe Harbor (45 CFR 164.514(b)(2)(i)) removes eighteen kinds of identifier of the
individual and of their relatives, employers and household members. The ones a research
export of Taut could carry, and what is done with each:

- (A) names, (D) telephone numbers, (F) email addresses, (H) medical record numbers and
  (R) any other unique identifying number or code: left out; a patient appears under a
  study id made for one export only (``study_id``), not derived from the patient's
  identifiers in any way a reader could reverse (164.514(c) allows such a code).
- (B) geographic subdivisions smaller than a state: only the first three digits of a ZIP
  code, and "000" for the three-digit areas of 20,000 people or fewer (``zip3``).
- (C) every element of a date (except the year) directly related to the individual, and
  every age over 89: dates become whole days after an anchor day of the same patient
  (``day_offset``), so no calendar date is left, and ages of 90 and over are one band,
  "90+" (``age_band``).

Source: 45 CFR 164.514(b)(2); [S83] HHS Office for Civil Rights, "Guidance Regarding Methods for
De-identification of Protected Health Information in Accordance with the HIPAA Privacy
Rule" (November 2012), its Safe Harbor questions on ZIP codes, dates and ages (the restricted
ZIP codes, from the 2000 Census, as published with the final rule of 14 August 2002,
67 FR 53182, 53233-53234).
"""

import hashlib
import hmac
from datetime import date

from taut.clinical.inputs import read_date

VERSION = "2026.1"

# Three-digit ZIP areas of 20,000 people or fewer (2000 Census), written "000" under Safe
# Harbor. HHS asks that a newer census list be used once published; none has been.
RESTRICTED_ZIP3 = frozenset(
    {
        "036", "059", "063", "102", "203", "556", "692", "790", "821",
        "823", "830", "831", "878", "879", "884", "890", "893",
    }
)  # fmt: skip
RESTRICTED_ZIP = "000"
OLDEST_AGE = 90  # ages of 90 and over are one band (164.514(b)(2)(i)(C))
OLDEST_BAND = "90+"


def zip3(postcode: str) -> str:
    """The first three digits of a US ZIP code (``"02139-4307"`` → ``"021"``), or "000" for a
    restricted three-digit area or a code that is not a US ZIP code (nothing is guessed).

    Source: 45 CFR 164.514(b)(2)(i)(B); HHS de-identification guidance (2012), the 17 restricted codes."""
    if not isinstance(postcode, str):
        raise ValueError(f"postcode: expected text, got {postcode!r}")
    digits = postcode.strip()
    five = digits[:5]
    plus_four = digits[5:]
    valid = len(five) == 5 and five.isascii() and five.isdigit()
    if plus_four:
        tail = plus_four.removeprefix("-")
        valid = valid and len(tail) == 4 and tail.isascii() and tail.isdigit()
    if not valid or five[:3] in RESTRICTED_ZIP3:
        return RESTRICTED_ZIP
    return five[:3]


def age_band(*, date_of_birth: date, on: date) -> str:
    """Age in whole years on ``on`` (birthdays counted on the day; 29 February birthdays on
    1 March in other years), or "90+" from 90 on.

    Source: 45 CFR 164.514(b)(2)(i)(C) (ages over 89 aggregated into one category of 90
    or older)."""
    born = read_date(date_of_birth, "date_of_birth")
    on = read_date(on, "on")
    if on < born:
        raise ValueError(f"on: {on} is before date_of_birth {born}")
    years = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    return OLDEST_BAND if years >= OLDEST_AGE else str(years)


def day_offset(day: date, *, anchor: date) -> int:
    """Whole days from the patient's anchor day (their first session) to ``day``; 0 on the
    anchor day, negative before it. No calendar date leaves the export.

    Source: 45 CFR 164.514(b)(2)(i)(C) (no element of a date but the year; here not even
    the year)."""
    return (read_date(day, "day") - read_date(anchor, "anchor")).days


def study_id(key: bytes, value: int | str, *, prefix: str = "P") -> str:
    """A code for ``value`` (a patient's or clinician's row number) that only the holder of
    ``key`` can link back: the first 12 hex digits of HMAC-SHA256(key, value). A new random
    key for each export makes two exports unlinkable unless the key is kept.

    Source: 45 CFR 164.514(c) (a re-identification code not derived from information about
    the individual, its mechanism not disclosed)."""
    if not isinstance(key, bytes) or len(key) < 16:
        raise ValueError("key: expected at least 16 random bytes")
    digest = hmac.new(key, str(value).encode(), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:12]}"
