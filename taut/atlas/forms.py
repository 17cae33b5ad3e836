"""Reading a pain drawing from a form: marks, intensities, qualities and chosen muscles.

Field names carry the place: ``mark`` = "region:side" (side "mid" for midline regions),
``intensity:<place>`` = 0-10, ``quality:<place>`` = one of QUALITIES (repeatable), and
``examine`` = "muscle:side" for muscles the clinician wants to examine first.
"""

from dataclasses import dataclass

from django import forms
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext, gettext_lazy

from taut.clinical import atlas
from taut.clinical.wording import gettext_noop

# Marked for the catalogue: staff read them in English, a patient in their language
# (``taut.atlas.display.patient_qualities``).
QUALITIES = (
    ("aching", gettext_noop("Aching")),
    ("burning", gettext_noop("Burning")),
    ("tingling", gettext_noop("Tingling")),
    ("numb", gettext_noop("Numb")),
    ("sharp", gettext_noop("Sharp")),
    ("throbbing", gettext_noop("Throbbing")),
)
QUALITY_IDS = {value for value, _ in QUALITIES}
PLACES = frozenset(atlas.places())
MAX_MARKS = len(PLACES)


def place_key(region_id: str, side: str | None) -> str:
    return f"{region_id}:{side or 'mid'}"


def parse_place_key(key: str) -> tuple[str, str | None]:
    region_id, _, side = key.partition(":")
    place = (region_id, None if side == "mid" else side)
    if place not in PLACES:
        raise ValueError(key)
    return place


@dataclass(frozen=True)
class MarkInput:
    region_id: str
    side: str | None
    intensity: int
    qualities: tuple[str, ...]

    @property
    def key(self) -> str:
        return place_key(self.region_id, self.side)

    def as_rank_mark(self):
        return (self.region_id, self.side, self.intensity)


class MarksForm(forms.Form):
    """A pain drawing as posted. Valid marks are kept in ``marks`` and ``examine`` even when
    the form has errors, so a re-rendered form loses nothing the user drew."""

    no_pain = forms.BooleanField(required=False, label=gettext_lazy("No pain anywhere"))
    # Bound with request.POST, unbound with Django's empty MultiValueDict: repeated fields
    # (``mark``, ``quality:…``, ``examine``) are read with getlist.
    data: MultiValueDict[str, str]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.marks: list[MarkInput] = []
        self.examine: list[tuple[str, str]] = []

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        data, errors = self.data, []
        keys = list(dict.fromkeys(data.getlist("mark")))[:MAX_MARKS]
        for key in keys:
            try:
                region_id, side = parse_place_key(key)
            except ValueError:
                errors.append(f"Unknown body region “{key[:60]}”.")
                continue
            label = atlas.REGIONS[region_id].label
            raw = data.get(f"intensity:{key}", "5")
            if not (raw.isascii() and raw.isdigit()) or not 0 <= int(raw) <= 10:
                errors.append(f"{label}: intensity must be a whole number from 0 to 10.")
                continue
            qualities = tuple(q for q in dict.fromkeys(data.getlist(f"quality:{key}")))
            if not set(qualities) <= QUALITY_IDS:
                errors.append(f"{label}: unknown pain quality.")
                continue
            self.marks.append(MarkInput(region_id, side, int(raw), qualities))
        for value in dict.fromkeys(data.getlist("examine")):
            muscle_id, _, side = value.partition(":")
            site = atlas.SITES.get(muscle_id)
            midline = isinstance(site, atlas.Structure) and site.midline
            if site is None or side not in (("midline",) if midline else ("left", "right")):
                errors.append(f"Unknown site “{value[:60]}”.")
                continue
            self.examine.append((muscle_id, side))
        if cleaned.get("no_pain") and self.marks:
            errors.append(
                gettext("“No pain” is ticked but places are marked: choose one or the other.")
            )
        if errors:
            raise forms.ValidationError(errors)
        cleaned["marks"] = self.marks
        cleaned["examine"] = self.examine
        return cleaned


class MuscleSearchForm(forms.Form):
    q = forms.CharField(required=False, max_length=60, label="Find a muscle")
