"""The authorization endpoint's pages: sign-in first, the patient picker, the consent
screen, and the answers sent back to the app."""

from urllib.parse import parse_qs, urlsplit

from django.test import Client

from taut.audit.models import Action, AuditEvent
from taut.smart.models import LaunchPatient
from taut.smart.tests import flow
from taut.tests.cast import make_patient, sign_in


def start(client, app, *, client_id=None, **extra):
    _, challenge = flow.pkce()
    url = flow.authorize_url(client_id or app.client_id, challenge=challenge, **extra)
    return url, client.get(url)


def test_it_sends_the_anonymous_to_taut_sign_in_and_back(client, cast):
    app = flow.register(cast.clinic, cast.lead).app
    url, response = start(client, app)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == "/login/"
    assert parse_qs(location.query)["next"] == [url]


def test_it_answers_an_authorize_post_with_the_same_request_as_a_get(cast):
    """SMART ``authorize-post``: the app's own page posts, without Taut's CSRF token."""
    app = flow.register(cast.clinic, cast.lead).app
    client = Client(enforce_csrf_checks=True)
    _, challenge = flow.pkce()
    params = parse_qs(urlsplit(flow.authorize_url(app.client_id, challenge=challenge)).query)
    response = client.post("/oauth/authorize", {k: v[0] for k, v in params.items()})
    assert response.status_code == 303
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["client_id"] == [app.client_id] and query["code_challenge"] == [challenge]


def test_it_asks_for_a_patient_of_the_users_clinic_only(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    url, response = start(client, app)
    assert response.status_code == 200
    assert b"Choose a patient for Pain Diary" in response.content
    assert b"Ada" in response.content and b"Otis" not in response.content
    # The other clinic's patient, posted by hand, is not a choice.
    response = client.post(flow.decide_url(url), {"patient": str(cast.other_patient.public_id),
                                                   "decision": "allow"})  # fmt: skip
    assert response.status_code == 400
    assert b"Choose a patient of your clinic" in response.content
    assert not LaunchPatient.objects.exists()


def test_it_searches_the_patients_by_name(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    make_patient(cast.clinic, cast.front_desk, mrn="T0002", given_name="Bea", family_name="Zephyr")
    signed_in(cast.nurse)
    url, _ = start(client, app)
    response = client.post(flow.decide_url(url), {"q": "zeph"})
    assert response.status_code == 200
    assert b"Zephyr" in response.content and b"Quillbrook" not in response.content


def test_it_shows_the_app_the_scopes_in_words_and_the_patient(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    url, _ = start(client, app)
    response = client.post(flow.decide_url(url), {"patient": str(cast.patient.public_id)})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Allow Pain Diary to use Taut as you?" in text
    assert "Read and search all records of the chosen patient" in text
    assert "Ada Quillbrook" in text and 'value="allow"' in text
    assert "17 May 1970" in text and "MRN T0001" in text  # who, beyond doubt


def test_it_sends_a_denial_back_to_the_app_with_its_state(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    url, _ = start(client, app)
    response = client.post(flow.decide_url(url), {"patient": str(cast.patient.public_id),
                                                   "decision": "deny"})  # fmt: skip
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["error"] == ["access_denied"] and query["state"] == ["s-123"]
    assert AuditEvent.objects.filter(action=Action.PRIVILEGE_CHANGE,
                                     details__change="denied").exists()  # fmt: skip


def test_it_audits_what_was_allowed_for_which_patient(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    flow.launch(client, app, cast.patient)
    event = AuditEvent.objects.get(action=Action.PRIVILEGE_CHANGE, details__change="authorized")
    assert event.patient_id == cast.patient.public_id
    assert event.object_id == str(app.public_id) and event.actor_id == cast.clinician.pk
    assert "patient/*.rs" in event.details["scopes"]


def test_it_tells_a_front_desk_user_what_their_role_cannot_give(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead, scopes="openid patient/Observation.rs").app
    signed_in(cast.front_desk)
    url, _ = start(client, app, scope="openid patient/Observation.rs")
    response = client.post(flow.decide_url(url), {"patient": str(cast.patient.public_id)})
    assert b"Your role cannot give Pain Diary any of the access" in response.content
    assert b'value="allow"' not in response.content


def test_it_refuses_an_unknown_client_or_redirect_without_redirecting(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    _, unknown = start(client, app, client_id="nobody")
    assert unknown.status_code == 400 and b"cannot sign you in" in unknown.content
    _, elsewhere = start(client, app, redirect_uri="https://evil.example.org/cb")
    assert elsewhere.status_code == 400


def test_it_requires_s256_pkce_of_a_public_app(client, cast, signed_in):
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    for extra in ({"code_challenge": "", "code_challenge_method": ""},
                  {"code_challenge": None, "code_challenge_method": None},
                  {"code_challenge_method": "plain"}):  # fmt: skip
        _, response = start(client, app, **extra)
        assert response.status_code == 302
        assert "error=invalid_request" in response["Location"]


def test_it_refuses_a_decision_posted_without_taut_csrf_token(cast):
    app = flow.register(cast.clinic, cast.lead).app
    client = Client(enforce_csrf_checks=True)
    sign_in(client, cast.clinician)
    url, _ = start(client, app)
    response = client.post(flow.decide_url(url), {"patient": str(cast.patient.public_id),
                                                   "decision": "allow"})  # fmt: skip
    assert response.status_code == 403
    assert not LaunchPatient.objects.exists()


def test_it_lets_the_launch_pages_forms_end_at_the_apps_redirect_only(client, cast, signed_in):
    """Browsers check a form's redirect against the page's form-action: the app's origin is
    added there (and only on the launch pages)."""
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    _, response = start(client, app)
    policy = response["Content-Security-Policy"]
    assert "form-action 'self' https://app.example.org" in policy
    assert "app.example.org" not in client.get("/clinic/apps/").get("Content-Security-Policy", "")


def test_it_refuses_a_launch_meant_for_another_fhir_server(client, cast, signed_in):
    """SMART's ``aud`` must be this server's FHIR base, so a token is never made for a
    request that was meant for another server."""
    app = flow.register(cast.clinic, cast.lead).app
    signed_in(cast.clinician)
    for aud in ("https://elsewhere.example.org/fhir", None):
        _, response = start(client, app, aud=aud)
        assert response.status_code == 302
        assert "error=invalid_request" in response["Location"]
    _, slash = start(client, app, aud="http://testserver/fhir/")
    assert slash.status_code == 200
