"""What the patient reads at once after answering "yes" to a warning question.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from taut.clinical.aftercare.alerts import Sign
from taut.clinical.aftercare.handout import (
    EMERGENCY_LAST,
    POLICY,
    SIGNS_UNSOURCED,
    VERSION,
    Line,
    read_line,
)
from taut.clinical.consent import RISKS, Risk
from taut.clinical.inputs import read_collection

_PNEUMOTHORAX = RISKS[Risk.PNEUMOTHORAX]


@dataclass(frozen=True)
class Advice:
    """What a patient is told at once after answering "yes" to warning questions.

    ``emergency`` (call an ambulance) comes first, then ``call`` (call the clinic now). Each
    line carries its source and status like the handout's.
    """

    emergency: tuple[Line, ...]
    call: tuple[Line, ...]
    version: str = VERSION

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in (*self.emergency, *self.call))


# fmt: off
# Someone who says "yes" to breathlessness or chest pain after a site over the lung may have a
# pneumothorax now: the handout's emergency line, worded for the present.
_ADVICE_LUNG = Line("If you are short of breath or have chest pain now, call an ambulance.",
                    f"{_PNEUMOTHORAX.source}; {SIGNS_UNSOURCED}", "unverified")
_ADVICE_SENT = Line("We have sent your answers to the clinic team. Do not wait for them to "
                    "call you.", POLICY, "unverified")
# fmt: on


def advice_after_warnings(
    signs: Iterable[str], *, clinic_name: str = "", clinic_phone: str = ""
) -> Advice | None:
    """What to tell a patient who answered "yes" to the warning questions ``signs``.

    None when ``signs`` is empty. Otherwise: call the clinic now (with its phone number when
    known) and tell them what you told us; your answers were sent to the clinic team, but do
    not wait for a call. A "yes" to breathlessness or chest pain adds, first, "call an
    ambulance" if it is happening now (the handout's pneumothorax line); a "yes" to the signs
    of local anaesthetic toxicity adds the handout's line on a fit or passing out. Every sign
    is told to call now, even the ones that raise a "soon" alert: calling early is safe and one
    plain instruction is easier to follow. Unknown sign ids raise ValueError naming the field.

    Source: [S9], [S14] (pneumothorax), [S29b] (later signs of LAST), ``WARNING_SIGNS``.
    Status: unverified (clinic policy: whom to call and how soon; the signs as in the table).
    """
    items = read_collection(signs, "signs", "a list of warning question ids")
    given: set[Sign] = set()
    for index, value in enumerate(items):
        try:
            given.add(Sign(value))
        except ValueError:
            known = ", ".join(Sign)
            raise ValueError(
                f"signs[{index}]: unknown warning sign {value!r}; known: {known}"
            ) from None
    if not given:
        return None
    name = read_line(clinic_name, "clinic_name") or "the clinic"
    phone = read_line(clinic_phone, "clinic_phone")
    emergency = []
    if given & {Sign.BREATHING, Sign.CHEST_PAIN}:
        emergency.append(_ADVICE_LUNG)
    if Sign.LAST in given:
        emergency.append(EMERGENCY_LAST)
    if phone:
        reach = f"Please call {name} now at {phone}."
    else:
        reach = f"Please call {name} now. The phone number is on your visit papers."
    call = (
        Line(reach, POLICY, "unverified"),
        Line("Tell them what you told us here.", POLICY, "unverified"),
        _ADVICE_SENT,
    )
    return Advice(emergency=tuple(emergency), call=call)
