"""Aftercare after trigger point injection: the patient's instructions and the warning signs.

``instructions(sites, agents=…)`` gives the plain-language handout for one signed session:
what to expect, what to do, when to get help, and how to reach the clinic. The same
``Instructions`` feed the printable PDF and the portal page. Each line carries its source
and status, for the clinician's view; the patient sees only the words. The text aims at a
reading age of about 12: ``reading_grade`` (Flesch–Kincaid) scores it, and a test keeps
every line at US grade 7 or below for every kind of session.

``WARNING_SIGNS`` are the yes/no questions a check-in asks about complications, each with
the alert a "yes" raises; ``warning_signs`` picks those that apply to a session and a
check-in, and ``alerts`` turns answers into alerts for the clinician worklist.
``advice_after_warnings`` is what the patient reads at once after a "yes".

Which sites add the chest and breathing warnings is ``consent.pneumothorax_sites``: the same
line that adds pneumothorax to the consent discussion.

The package's public home is ``taut.clinical.aftercare``: import from here, not from its
modules (``handout``: the instructions; ``cautions``: what a session and a patient add to
them; ``lines``: one line with its source; ``reading``: the reading grade; ``alerts``: the
warning signs and their alerts; ``advice``: what the patient reads after a "yes").

How soon each warning must be acted on, and so where it stands (an emergency first), is
``taut.clinical.urgency``: one tier per reported thing.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from taut.clinical.aftercare.advice import Advice, advice_after_warnings
from taut.clinical.aftercare.alerts import (
    BLOOD_SUGAR_UNTIL_DAY,
    INFECTION_UNTIL_DAY,
    LAST_UNTIL_DAY,
    PNEUMOTHORAX_UNTIL_DAY,
    TENDON_RUPTURE_UNTIL_DAY,
    WARNING_SIGNS,
    Alert,
    AskWhen,
    Severity,
    Sign,
    WarningSign,
    alerts,
    as_checkpoint,
    steroid_tendon_sites,
    warning_signs,
)
from taut.clinical.aftercare.handout import (
    VERSION,
    Instructions,
    Section,
    SectionKey,
    instructions,
)
from taut.clinical.aftercare.lines import Line
from taut.clinical.aftercare.reading import reading_grade
from taut.clinical.aftercare.site_advice import Reminder, checkin_reminder

__all__ = [
    "BLOOD_SUGAR_UNTIL_DAY",
    "INFECTION_UNTIL_DAY",
    "LAST_UNTIL_DAY",
    "PNEUMOTHORAX_UNTIL_DAY",
    "TENDON_RUPTURE_UNTIL_DAY",
    "VERSION",
    "WARNING_SIGNS",
    "Advice",
    "Alert",
    "AskWhen",
    "Instructions",
    "Line",
    "Reminder",
    "Section",
    "SectionKey",
    "Severity",
    "Sign",
    "WarningSign",
    "advice_after_warnings",
    "alerts",
    "as_checkpoint",
    "checkin_reminder",
    "instructions",
    "reading_grade",
    "steroid_tendon_sites",
    "warning_signs",
]
