"""Forms of the procedure page's patient-dosing panel: anaesthetic given elsewhere in the
last 24 hours, and the reductions that lower the maximum."""

from django import forms

from taut.clinical import dosing
from taut.visits.forms import VersionedForm


class OtherAnaestheticForm(VersionedForm):
    """Its ids are prefixed: the site form on the same page also has an agent and an
    epinephrine box, and a label must point at its own field."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "earlier_%s")
        super().__init__(*args, **kwargs)

    agent = forms.ChoiceField(
        label="Local anaesthetic given elsewhere", choices=[(a, a.title()) for a in dosing.AGENTS]
    )
    mg = forms.DecimalField(
        label="Dose (mg)", min_value=0.01, max_value=dosing.MAX_TABLE_CAP_MG, decimal_places=2
    )
    epinephrine = forms.BooleanField(label="With epinephrine", required=False)
    given_at = forms.DateTimeField(
        label="When", widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    where = forms.CharField(
        label="Where", max_length=120, required=False, help_text="e.g. dentist, urgent care"
    )


class DoseReductionsForm(VersionedForm):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "reductions_%s")
        super().__init__(*args, **kwargs)

    factors = forms.MultipleChoiceField(
        label="Lower the maximum for",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (str(f), f"{r.label} (−{r.percent} %, {r.percent_status})")
            for f, r in dosing.REDUCTIONS.items()
        ],
    )
