"""The handout's lines for what a session and a patient add: numbness, an allergic
reaction, blood thinners, a steroid (and diabetes with it), and repeat sessions.

Each warning line names the ``urgency.RATINGS`` code whose tier decides its section (an
emergency goes to "Get help now", first; a same-day call to "When to call us").

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
Status words: "verified" (seen in the source), "secondary" (seen only in a summary of it),
"unverified" (not in the reference; clinic policy until a clinical lead signs it off).
"""

from dataclasses import dataclass

from taut.clinical.aftercare.lines import POLICY, Line
from taut.clinical.wording import gettext_noop as _

VERSION = "2026.1"
GENERAL = "general knowledge, not in clinical.md"
_STEROID = "[S9], [S22] (steroid: raised blood glucose, skin or fat atrophy)"


@dataclass(frozen=True, kw_only=True)
class Extra:
    """What a session adds to each part of the handout; ``warnings`` are (code, line)."""

    expect: tuple[Line, ...] = ()
    do: tuple[Line, ...] = ()
    warnings: tuple[tuple[str, Line], ...] = ()


# fmt: off
# Relief and repeats: always. A repeat needs ≥50 % relief for ≥6 weeks [S49]; several passes
# or sessions are common [S12]; course length is memory only (clinical.md §3).
RELIEF = (
    Line(_("Many people need more than one session."), f"[S12]; course length: {GENERAL}",
         "unverified"),
    Line(_("If you have more shots depends on how long the relief lasts. Tell us at each "
         "check-in how you feel."), "[S49], [S51] (repeat only after lasting relief)",
         "secondary"),
)


def numbness() -> Extra:
    """A local anaesthetic was given: how long the numbness lasts, care with heat and with
    driving or using a numb limb, and when numbness or weakness means a call. Source: [S13]
    (temporary numbness); duration, heat and driving: general knowledge. Status: unverified.
    """
    return Extra(
        expect=(Line(_("The numbness should go away in a few hours, by the end of the day."),
                     f"[S13] (temporary numbness); how long: {GENERAL}", "unverified"),),
        do=(
            Line(_("Do not put a warm or cold pack on skin that is still numb. You could burn "
                 "it and not feel it."), GENERAL, "unverified"),
            Line(_("If any part of you feels numb or weak, do not drive. Do not use it for hard "
                 "tasks until it feels normal."), GENERAL, "unverified"),
        ),
        warnings=(("numbness_persists", Line(
            _("Call us the same day if you are still numb or weak the next day, or it gets "
            "worse."), f"[S13]; when to call: {POLICY}", "unverified")),),
    )


def allergy(number: str) -> Extra:
    """A drug was given (anaesthetic or steroid): the signs of an allergic reaction, severe
    (call the emergency number) and mild (call the clinic). Source: [S9] (allergy to the
    anaesthetic); the signs: general knowledge. Status: unverified."""
    return Extra(warnings=(
        ("allergy_severe", Line.said(
            _("Call {number} now if your face, lips, tongue, or throat swell, or if it is hard "
              "to breathe."), f"[S9] (allergy); signs: {GENERAL}", "unverified", number=number)),
        ("allergy_mild", Line(
            _("Call us the same day if you get a rash, hives, or itchy skin."),
            f"[S9] (allergy); signs: {GENERAL}", "unverified")),
    ))


def blood_thinner() -> Extra:
    """The patient takes a blood thinner: more bruising, firm pressure on a bleeding spot,
    keep taking it, and when bleeding means a call. Source: [S8b] (haematoma), [S9]
    (anticoagulation), [S24] (TPI is a low-risk procedure). Status: unverified (the advice)."""
    return Extra(
        expect=(Line(_("You take a blood thinner, so you may bruise more than most people."),
                     "[S8b], [S9]", "secondary"),),
        do=(
            Line(_("If a spot bleeds, press on it firmly for 10 minutes."), GENERAL, "unverified"),
            Line(_("Keep taking your blood thinner unless your doctor tells you to stop."),
                 "[S24] (TPI low risk; usually not stopped: memory)", "unverified"),
        ),
        warnings=(("bleeding", Line(
            _("Call us the same day if a bruise keeps growing. Also call if a spot still bleeds "
            "after 10 minutes of pressure."), f"[S8b]; when to call: {POLICY}",
            "unverified")),),
    )


def steroid(*, diabetes: bool) -> Extra:
    """A steroid was given: its effects (flushing, skin thinning or color change, raised
    blood sugar, period changes); with diabetes, check blood sugar more often and call if it
    stays high. Source: [S9], [S22] (hyperglycaemia, skin or fat atrophy); flushing and
    period changes: issue 11 consent list, not in clinical.md. Status: per line."""
    expect = (
        Line(_("You also had a steroid in your shots."), _STEROID, "verified"),
        Line(_("For a day or two, your face may feel hot or look red."),
             f"flushing: {GENERAL}", "unverified"),
        Line(_("The skin where a shot went in may get thin or lighter in color."),
             _STEROID, "secondary"),
        Line(_("A steroid can raise your blood sugar for a few days."), _STEROID, "verified"),
        Line(_("If you have periods, they may change for a short time."),
             f"menstrual change: {GENERAL}", "unverified"),
    )
    if not diabetes:
        return Extra(expect=expect)
    return Extra(
        expect=expect,
        do=(Line(_("You have diabetes. Check your blood sugar more often for the next 3 days."),
                 f"{_STEROID}; 3 days: {POLICY}", "unverified"),),
        warnings=(("blood_sugar", Line(
            _("Call us or your diabetes team the same day if your blood sugar stays higher "
            "than usual."), f"{_STEROID}; when to call: {POLICY}", "unverified")),),
    )
# fmt: on
