"""What the patient reads at once after answering "yes" to a warning question.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from taut.clinical import urgency
from taut.clinical.aftercare.alerts import Sign
from taut.clinical.aftercare.handout import (
    SIGNS_UNSOURCED,
    VERSION,
    emergency_last,
    read_line,
)
from taut.clinical.aftercare.lines import POLICY, Line
from taut.clinical.consent import RISKS, Risk
from taut.clinical.inputs import read_collection
from taut.clinical.wording import gettext_noop as _

_PNEUMOTHORAX = RISKS[Risk.PNEUMOTHORAX]


@dataclass(frozen=True)
class Advice:
    """What a patient is told at once after answering "yes" to warning questions.

    ``emergency`` (call the emergency number) comes first, then ``call`` (call the clinic
    now). ``tier`` is the ``urgency`` tier of the answers. Each line carries its source and
    status like the handout's.
    """

    emergency: tuple[Line, ...]
    call: tuple[Line, ...]
    tier: urgency.Tier = urgency.Tier.SAME_DAY
    version: str = VERSION

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in (*self.emergency, *self.call))


_TIER = f"tier: {urgency.POLICY}"


# fmt: off
def _emergency(given: set[Sign], number: str) -> list[Line]:
    lines = [Line.said(_("Call {number} now if you still have any of these signs. This could "
                       "be an emergency."), _TIER, "unverified", number=number)]
    # Someone who says "yes" to breathlessness or chest pain after a site over the lung may
    # have a pneumothorax now: the handout's emergency line, worded for the present.
    if given & {Sign.BREATHING, Sign.CHEST_PAIN}:
        lines.append(Line.said(_("If you are short of breath or have chest pain now, call "
                                 "{number}."), f"{_PNEUMOTHORAX.source}; {SIGNS_UNSOURCED}",
                               "unverified", number=number))
    if Sign.LAST in given:
        lines.append(emergency_last(number))
    lines.append(Line(_("Do not drive yourself."), _TIER, "unverified"))
    return lines


_ADVICE_SENT = Line(_("We have sent your answers to the clinic team. Do not wait for them to "
                    "call you."), POLICY, "unverified")
# fmt: on


def advice_after_warnings(
    signs: Iterable[str],
    *,
    clinic_name: str = "",
    clinic_phone: str = "",
    emergency_number: str = "911",
) -> Advice | None:
    """What to tell a patient who answered "yes" to the warning questions ``signs``.

    None when ``signs`` is empty. When any sign is an emergency (``urgency.assess``:
    breathlessness, chest pain, signs of local anaesthetic toxicity), the emergency comes
    first: call ``emergency_number`` (the clinic's; US 911) now if the signs are still there,
    now for breathlessness or chest pain, for a fit or passing out; do not drive yourself.
    Then, for every sign: call the clinic now (with its phone number when known) and tell
    them what you told us; your answers were sent to the clinic team, but do not wait for a
    call. Every sign is told to call now, even the ones that raise a "soon" alert: calling
    early is safe and one plain instruction is easier to follow. Unknown sign ids raise
    ValueError naming the field.

    Source: [S9], [S14] (pneumothorax), [S29b], [S32] (LAST), ``WARNING_SIGNS``; the tiers
    ``urgency.RATINGS``. Status: unverified (clinic policy: whom to call and how soon).
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
    name = read_line(clinic_name, "clinic_name")
    phone = read_line(clinic_phone, "clinic_phone")
    number = read_line(emergency_number, "emergency_number")
    if not number:
        raise ValueError("emergency_number: the clinic has no emergency number")
    assessment = urgency.assess([sign.value for sign in given])
    emergency = _emergency(given, number) if assessment.emergency else []
    if name and phone:
        reach = Line.said(
            _("Please call {name} now at {phone}."), POLICY, "unverified", name=name, phone=phone
        )
    elif phone:
        reach = Line.said(
            _("Please call the clinic now at {phone}."), POLICY, "unverified", phone=phone
        )
    elif name:
        reach = Line.said(
            _("Please call {name} now. The phone number is on your visit papers."),
            POLICY,
            "unverified",
            name=name,
        )
    else:
        reach = Line(
            _("Please call the clinic now. The phone number is on your visit papers."),
            POLICY,
            "unverified",
        )
    call = (
        reach,
        Line(_("Tell them what you told us here."), POLICY, "unverified"),
        _ADVICE_SENT,
    )
    return Advice(emergency=tuple(emergency), call=call, tier=assessment.tier)
