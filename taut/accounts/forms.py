from django import forms
from django.contrib.auth import password_validation

from taut.accounts.models import User
from taut.accounts.roles import Role
from taut.audit.models import Action


class StaffCreateForm(forms.ModelForm):
    password = forms.CharField(
        label="Initial password",
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 12 characters. Share it with them in person; they can change it.",
    )

    class Meta:
        model = User
        fields = ["first_name", "last_name", "username", "email", "role"]

    def __init__(self, *args, clinic, **kwargs):
        super().__init__(*args, **kwargs)
        self.clinic = clinic
        for name in ("first_name", "last_name", "email", "role"):
            self.fields[name].required = True

    def clean_password(self):
        password = self.cleaned_data["password"]
        candidate = User(
            username=self.cleaned_data.get("username", ""),
            first_name=self.cleaned_data.get("first_name", ""),
            last_name=self.cleaned_data.get("last_name", ""),
            email=self.cleaned_data.get("email", ""),
        )
        password_validation.validate_password(password, candidate)
        return password


class StaffUpdateForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)
    active = forms.BooleanField(
        required=False, label="May sign in", help_text="Untick to end their access now."
    )


class AuditFilterForm(forms.Form):
    start = forms.DateField(required=False, label="From", widget=forms.DateInput({"type": "date"}))
    end = forms.DateField(required=False, label="To", widget=forms.DateInput({"type": "date"}))
    action = forms.ChoiceField(required=False, choices=[("", "Any action"), *Action.choices])
    username = forms.CharField(required=False, label="Staff username", max_length=150)
    patient = forms.UUIDField(required=False, label="Patient ID")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", "The end date is before the start date.")
        return cleaned
