"""Portal forms: the patient's check-in (the staff form, one choice group per question),
sign-in and password; in the patient's language (the gate activated it)."""

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from taut.aftercare.forms import CheckInForm
from taut.clinical import checkins


class PortalCheckInForm(CheckInForm):
    """The staff check-in form with every question as a group of radio buttons or tick
    boxes, so each becomes one fieldset with a legend (and one step on a phone)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:  # the goal levels
                field.widget = forms.RadioSelect(choices=field.widget.choices)

    def steps(self) -> list[tuple[forms.BoundField, str]]:
        """Each question's field and how to lay it out: "scale", "multiple" or "choices"."""
        layouts = {}
        for question in self.questions:
            if question.scale is not None:
                layouts[question.id] = "scale"
            elif question.kind is checkins.Kind.TREATMENTS:
                layouts[question.id] = "multiple"
        return [(self[name], layouts.get(name, "choices")) for name in self.fields]


class LoginForm(forms.Form):
    date_of_birth = forms.DateField(
        label=_("Your date of birth"),
        widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
    )
    email = forms.EmailField(
        label=_("Your email address"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class PasswordForm(forms.Form):
    """A new password, after the patient shows it is them: their current password when they
    have one, else their date of birth (a forwarded home link alone is not enough). The
    service checks the answer (``services.set_password``)."""

    password1 = forms.CharField(
        label=_("New password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    password2 = forms.CharField(
        label=_("The same password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args, has_password: bool, **kwargs):
        super().__init__(*args, **kwargs)
        rules = " ".join(password_validation.password_validators_help_texts())
        tip = gettext("A few words you can remember work well.")
        self.fields["password1"].help_text = f"{rules} {tip}"
        if has_password:
            self.fields["current_password"] = forms.CharField(
                label=gettext("Your current password"),
                strip=False,
                widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
                error_messages={"required": gettext("Please enter your current password.")},
            )
        else:
            self.fields["date_of_birth"] = forms.DateField(
                label=gettext("Your date of birth"),
                help_text=gettext(
                    "So we know it is you, and not someone this link was passed on to."
                ),
                widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}),
                error_messages={"required": gettext("Please enter your date of birth.")},
            )
        self.order_fields(["current_password", "date_of_birth", "password1", "password2"])

    def clean(self):
        super().clean()
        data = self.cleaned_data
        first, second = data.get("password1"), data.get("password2")
        if first and second and first != second:
            self.add_error("password2", gettext("The two passwords are not the same."))
        return data

    def proof(self) -> dict:
        """The answer that shows it is the patient, as ``set_password`` takes it."""
        names = ("current_password", "date_of_birth")
        return {name: self.cleaned_data[name] for name in names if name in self.cleaned_data}

    def password_errors(self, error) -> None:
        """Put the validators' messages (a ValidationError from the service) on the field."""
        self.add_error("password1", error)
