import json

from django import forms
from django.conf import settings

from taut.lib.bounds import VersionField
from taut.smart import assertions, scopes
from taut.smart.models import AppKind

SCOPE_HELP = (
    "Space-separated SMART scopes the app may ask for (examples above the form). Read and "
    "search only (.rs): Taut's API does not write."
)
DEFAULT_SCOPES = {
    AppKind.PUBLIC: "openid fhirUser launch/patient offline_access patient/*.rs user/*.rs",
    AppKind.CONFIDENTIAL: "openid fhirUser launch/patient offline_access patient/*.rs user/*.rs",
    AppKind.BACKEND: "system/*.rs",
}


class AppForm(forms.Form):
    name = forms.CharField(max_length=100, help_text="How staff will know the app.")
    kind = forms.ChoiceField(label="Kind of app", choices=AppKind.choices, widget=forms.RadioSelect)
    redirect_uris = forms.CharField(
        label="Redirect URIs",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Standalone apps: the exact addresses Taut may send the browser back to, "
        "one per line (https).",
    )
    allowed_scopes = forms.CharField(label="Allowed scopes", max_length=2000, help_text=SCOPE_HELP)
    jwks = forms.CharField(
        label="Public keys (JWK Set)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="Backend services: the JSON Web Key Set with the public keys (RS384 or "
        "ES384) the service signs its token requests with. Never a private key.",
    )

    def clean_allowed_scopes(self):
        text = self.cleaned_data["allowed_scopes"]
        not_granted = scopes.unknown(text)
        if not_granted:
            raise forms.ValidationError(
                "Taut cannot grant: " + ", ".join(not_granted[:5])
                + ". Use read scopes (.rs) of patient/, user/ or system/, and openid, "
                "fhirUser, launch/patient, offline_access or online_access."
            )  # fmt: skip
        return scopes.parse(text).text()

    def clean_jwks(self):
        text = self.cleaned_data["jwks"].strip()
        if not text:
            return {}
        try:
            value = json.loads(text)
            assertions.key_set(value)
        except (ValueError, TypeError, KeyError) as error:
            raise forms.ValidationError(f"Not a public JWK Set: {error}") from None
        if not isinstance(value, dict):
            raise forms.ValidationError("Not a public JWK Set: a JSON object with “keys”.")
        return value

    def clean(self) -> dict:
        data = super().clean() or {}
        kind = data.get("kind")
        granted = scopes.parse(data.get("allowed_scopes", ""))
        if kind == AppKind.BACKEND:
            if not data.get("jwks") and "jwks" not in self.errors:
                self.add_error("jwks", "A backend service needs its public keys.")
            if granted.identity or granted.contexts - {"system"}:
                self.add_error("allowed_scopes", "A backend service has system/ scopes only.")
        elif kind:
            if not data.get("redirect_uris", "").split():
                self.add_error("redirect_uris", "A standalone app needs a redirect URI.")
            if "system" in granted.contexts:
                self.add_error("allowed_scopes", "system/ scopes are for backend services.")
            self._check_redirects(data.get("redirect_uris", ""))
        if "allowed_scopes" not in self.errors and not granted.resources:
            self.add_error("allowed_scopes", "Give at least one patient/, user/ or system/ scope.")
        return data

    def _check_redirects(self, text: str) -> None:
        schemes = ("https",) if settings.HTTPS else ("https", "http")
        for uri in text.split():
            if uri.split(":", 1)[0] not in schemes or "#" in uri:
                self.add_error("redirect_uris", f"Not an https address without a fragment: {uri}")
                return


class RevokeForm(forms.Form):
    version = VersionField()


class PatientSearchForm(forms.Form):
    q = forms.CharField(label="Find a patient", max_length=100, required=False)


class PatientChoiceForm(forms.Form):
    """The patient picked for the launch (posted back from the picker and consent screen)."""

    patient = forms.UUIDField(required=False)
