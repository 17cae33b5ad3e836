"""A clinic lead's connected-app pages (/clinic/apps/): each works for the lead, is refused
to other roles (403) and to another clinic's lead (404), sends the anonymous to sign in,
and re-renders bad input saving nothing."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from oauth2_provider.models import AccessToken, Application

from taut.audit.models import Action, AuditEvent
from taut.smart.models import AppKind, ConnectedApp
from taut.smart.tests import flow
from taut.tests.query_counts import MAX_QUERIES

STANDALONE = {
    "name": "Pain Diary",
    "kind": AppKind.PUBLIC,
    "redirect_uris": flow.REDIRECT,
    "allowed_scopes": "openid fhirUser launch/patient patient/*.read",
    "jwks": "",
}


def test_it_shows_an_empty_list_with_the_fhir_base(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.get(reverse("smart:app_list"))
    assert response.status_code == 200
    assert b"No apps are connected yet" in response.content
    assert b"http://testserver/fhir" in response.content


def test_it_lists_the_clinics_apps_only(client, cast, signed_in):
    flow.register(cast.clinic, cast.lead, name="Pain Diary")
    flow.register(cast.other_clinic, flow.other_lead(cast), name="Elsewhere App")
    signed_in(cast.lead)
    response = client.get(reverse("smart:app_list"))
    assert b"Pain Diary" in response.content and b"Elsewhere App" not in response.content


def test_it_registers_a_public_app_and_audits_it(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.post(reverse("smart:app_register"), STANDALONE)
    assert response.status_code == 201
    app = ConnectedApp.objects.get()
    assert (app.clinic, app.kind, app.allowed_scopes) == (
        cast.clinic,
        AppKind.PUBLIC,
        "openid fhirUser launch/patient patient/*.rs",
    )
    assert Application.objects.get(client_id=app.client_id).client_type == "public"
    assert app.client_id.encode() in response.content
    assert b"Client secret" not in response.content
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(app.public_id))
    assert event.object_type == "connected_app" and event.actor_id == cast.lead.pk


def test_it_shows_a_confidential_apps_secret_once(client, cast, signed_in):
    signed_in(cast.lead)
    response = client.post(reverse("smart:app_register"),
                           {**STANDALONE, "kind": AppKind.CONFIDENTIAL})  # fmt: skip
    assert b"Client secret (shown once)" in response.content
    app = ConnectedApp.objects.get()
    stored = Application.objects.get(client_id=app.client_id).client_secret
    assert stored.startswith("md5$") or stored.startswith("pbkdf2")  # hashed, never shown again
    assert (
        b"Client secret"
        not in client.get(reverse("smart:app_detail", args=[app.public_id])).content
    )


def test_it_registers_a_backend_service_with_its_public_keys(client, cast, signed_in):
    _, jwks = flow.key_pair()
    signed_in(cast.lead)
    data = {**STANDALONE, "kind": AppKind.BACKEND, "redirect_uris": "",
            "allowed_scopes": "system/*.rs", "jwks": json.dumps(jwks)}  # fmt: skip
    response = client.post(reverse("smart:app_register"), data)
    assert response.status_code == 201, response.content
    app = ConnectedApp.objects.get()
    assert app.jwks == jwks and app.service_user.role == "service"
    assert b"http://testserver/oauth/token" in response.content


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"allowed_scopes": "patient/*.cruds bogus"}, b"Taut cannot grant: bogus"),
        ({"allowed_scopes": "openid"}, b"at least one patient/, user/ or system/ scope"),
        ({"redirect_uris": ""}, b"needs a redirect URI"),
        ({"redirect_uris": "ftp://app.example.org/cb"}, b"Not an https address"),
        ({"allowed_scopes": "system/*.rs"}, b"system/ scopes are for backend services"),
        ({"kind": AppKind.BACKEND, "allowed_scopes": "system/*.rs"}, b"needs its public keys"),
        (
            {"kind": AppKind.BACKEND, "allowed_scopes": "system/*.rs", "jwks": '{"keys": 3}'},
            b"Not a public JWK Set",
        ),
        (
            {"kind": AppKind.BACKEND, "allowed_scopes": "patient/*.rs", "jwks": "{}"},
            b"system/ scopes only",
        ),
        ({"name": ""}, b"This field is required"),
    ],
)
def test_it_rejects_bad_input_and_saves_nothing(client, cast, signed_in, changes, message):
    signed_in(cast.lead)
    response = client.post(reverse("smart:app_register"), {**STANDALONE, **changes})
    assert response.status_code == 400
    assert message in response.content
    assert not ConnectedApp.objects.exists() and not Application.objects.exists()


def test_it_refuses_a_private_key_in_the_key_set(client, cast, signed_in):
    key, _ = flow.key_pair()
    signed_in(cast.lead)
    data = {**STANDALONE, "kind": AppKind.BACKEND, "allowed_scopes": "system/*.rs",
            "jwks": json.dumps({"keys": [json.loads(key.export_private())]})}  # fmt: skip
    response = client.post(reverse("smart:app_register"), data)
    assert response.status_code == 400 and b"private key" in response.content
    assert not ConnectedApp.objects.exists()


def test_it_revokes_an_app_after_confirming_and_ends_its_tokens(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    code, verifier = flow.launch(client, app, cast.patient)
    assert flow.exchange(client, app, code, verifier).status_code == 200
    assert AccessToken.objects.exists()
    signed_in(cast.lead)
    url = reverse("smart:app_revoke", args=[app.public_id])
    assert b"Revoke Pain Diary?" in client.get(url).content
    response = client.post(url, {"version": app.version})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.revoked_at is not None and app.revoked_by == cast.lead
    assert not AccessToken.objects.exists() and not Application.objects.exists()
    assert AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE,
                                     object_id=str(app.public_id)).exists()  # fmt: skip
    assert b"Revoked" in client.get(reverse("smart:app_detail", args=[app.public_id])).content


def test_it_refuses_a_stale_revocation_as_a_conflict(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.lead)
    url = reverse("smart:app_revoke", args=[app.public_id])
    response = client.post(url, {"version": app.version + 1})
    assert response.status_code == 409
    assert b"changed since this page was opened" in response.content
    app.refresh_from_db()
    assert app.active and Application.objects.exists()


def test_it_answers_a_bad_version_with_400(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.lead)
    response = client.post(reverse("smart:app_revoke", args=[app.public_id]), {"version": "x"})
    assert response.status_code == 400
    app.refresh_from_db()
    assert app.active


@pytest.mark.parametrize("role", ["clinician", "nurse", "front_desk"])
def test_it_refuses_the_app_pages_to_other_roles(client, cast, signed_in, role):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.staff()[role])
    for name, args in [
        ("smart:app_list", []),
        ("smart:app_register", []),
        ("smart:app_detail", [app.public_id]),
        ("smart:app_revoke", [app.public_id]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 403
    assert client.post(reverse("smart:app_register"), STANDALONE).status_code == 403
    assert client.post(reverse("smart:app_revoke", args=[app.public_id]),
                       {"version": app.version}).status_code == 403  # fmt: skip
    app.refresh_from_db()
    assert app.active and ConnectedApp.objects.count() == 1


def test_it_hides_another_clinics_app_from_a_lead(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(flow.other_lead(cast))
    assert client.get(reverse("smart:app_detail", args=[app.public_id])).status_code == 404
    url = reverse("smart:app_revoke", args=[app.public_id])
    assert client.post(url, {"version": app.version}).status_code == 404
    app.refresh_from_db()
    assert app.active


def test_it_sends_the_anonymous_to_sign_in(client, cast):
    app = flow.register(cast.clinic, cast.lead).app
    for url in [reverse("smart:app_list"), reverse("smart:app_register"),
                reverse("smart:app_detail", args=[app.public_id])]:  # fmt: skip
        response = client.get(url)
        assert response.status_code == 302 and "/login/" in response["Location"]


def test_it_keeps_service_users_off_the_staff_pages(client, cast, signed_in):
    _, jwks = flow.key_pair()
    app = flow.register(cast.clinic, cast.lead, kind=AppKind.BACKEND, scopes="system/*.rs",
                        jwks=jwks).app  # fmt: skip
    signed_in(cast.lead)
    assert (
        app.service_user.username.encode() not in client.get(reverse("accounts:staff_list")).content
    )
    edit = reverse("accounts:staff_edit", args=[app.service_user.public_id])
    assert client.get(edit).status_code == 404
    assert b'value="service"' not in client.get(reverse("accounts:staff_add")).content


def test_it_lists_many_apps_in_the_same_few_queries(client, cast, signed_in):
    """A bounded page: 2 apps or 30 take the same queries, a page at a time."""
    signed_in(cast.lead)
    counts = []
    for total in (2, 30):
        for number in range(ConnectedApp.objects.count(), total):
            flow.register(cast.clinic, cast.lead, name=f"App {number:02d}")
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("smart:app_list"))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= MAX_QUERIES
    assert response.content.count(b"Details<span") == 25
