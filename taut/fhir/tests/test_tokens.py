"""The FHIR API with SMART tokens: a token reaches no further than its clinic, its user's
role, its launch patient and its scopes (issue 18)."""

from django.test import Client

from taut.accounts.roles import Need, Role
from taut.aftercare.tests import flow
from taut.audit.models import Action, AuditEvent
from taut.fhir.registry import KINDS
from taut.smart import scopes
from taut.smart.models import AppKind
from taut.smart.services import revoke_app
from taut.smart.tests import flow as smart
from taut.tests.cast import acting, make_patient, sign_in
from taut.tests.once import built_once_per_module


def signed_session(cast):
    return flow.signed(cast.patient, cast.clinician)


visit, _visit_once = built_once_per_module(signed_session, name="visit")


def launched_token(cast, user, *, scope=smart.LAUNCH_SCOPES, patient=None):
    """An access token from a standalone launch by ``user`` for ``patient``."""
    app = smart.register(cast.clinic, cast.lead, scopes=scope).app
    browser = Client()
    sign_in(browser, user)
    code, verifier = smart.launch(browser, app, patient or cast.patient, scope=scope)
    answer = smart.exchange(browser, app, code, verifier).json()
    return answer["access_token"], app


def api(token):
    """A client that sends only the token: no session cookie."""
    client = Client()

    def get(path):
        return client.get(f"/fhir/{path}", headers={"Authorization": f"Bearer {token}"})

    return get


def ids(response):
    assert response.status_code == 200, response.content[:300]
    return {e["resource"]["id"] for e in response.json().get("entry", [])}


def test_a_launch_token_reads_its_patients_procedures_and_observations(cast, visit):
    token, app = launched_token(cast, cast.clinician)
    get = api(token)
    assert ids(get(f"Procedure?patient={cast.patient.public_id}")) >= {str(visit.public_id)}
    observations = get(f"Observation?patient={cast.patient.public_id}")
    assert ids(observations)  # the pain scores before and after, the weight
    assert get(f"Patient/{cast.patient.public_id}").status_code == 200
    event = AuditEvent.objects.filter(action=Action.VIEW, patient_id=cast.patient.public_id).latest(
        "id"
    )
    assert event.details["client"] == app.client_id
    assert event.actor_id == cast.clinician.pk


def test_a_launch_token_never_reaches_another_patient(cast, visit):
    second = make_patient(cast.clinic, cast.front_desk, mrn="T0002", given_name="Bo")
    token, _ = launched_token(cast, cast.clinician)
    get = api(token)
    assert get(f"Patient/{second.public_id}").status_code == 404
    assert get(f"Procedure?patient={second.public_id}").status_code == 404
    assert get(f"Patient/{second.public_id}/$everything").status_code == 404
    assert ids(get("Patient")) == {str(cast.patient.public_id)}  # no patient=: the launch's
    assert get(f"Patient/{cast.other_patient.public_id}").status_code == 404  # another clinic


def test_a_token_without_a_scope_for_a_type_is_refused_it(cast, visit):
    token, _ = launched_token(cast, cast.clinician, scope="launch/patient patient/Observation.rs")
    get = api(token)
    assert get(f"Observation?patient={cast.patient.public_id}").status_code == 200
    refused = get(f"Procedure?patient={cast.patient.public_id}")
    assert refused.status_code == 403
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert get(f"Procedure/{visit.public_id}").status_code == 403


def test_a_front_desk_token_gets_no_clinical_resource(cast, visit):
    token, _ = launched_token(cast, cast.front_desk, scope="launch/patient patient/*.rs")
    get = api(token)
    assert get(f"Patient/{cast.patient.public_id}").status_code == 200
    assert get(f"Procedure?patient={cast.patient.public_id}").status_code == 403


def test_a_bad_or_revoked_token_is_asked_to_authenticate(cast, visit):
    assert api("not-a-token")("Patient").status_code == 401
    token, app = launched_token(cast, cast.clinician)
    revoke_app(app=app, version=app.version, actor=acting(cast.lead))
    response = api(token)("Patient")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_a_backend_service_reads_its_clinic_but_no_other(cast, visit):
    key, jwks = smart.key_pair()
    app = smart.register(cast.clinic, cast.lead, kind=AppKind.BACKEND, scopes="system/*.rs",
                         jwks=jwks, name="Registry").app  # fmt: skip
    client = Client()
    answer = smart.backend_token(client, app.client_id, smart.assertion(key, app.client_id)).json()
    get = api(answer["access_token"])
    assert ids(get("Patient")) == {str(cast.patient.public_id)}
    assert get(f"Patient/{cast.other_patient.public_id}").status_code == 404
    practitioners = get("PractitionerRole").json()["entry"]
    roles = {e["resource"]["code"][0]["coding"][0]["code"] for e in practitioners}
    assert Role.SERVICE not in roles  # the app's own user is not one of the clinic's people


def test_it_keeps_a_type_the_token_lacks_out_of_everything_even_when_asked_for(cast, visit):
    """``Patient/$everything?_type=Procedure`` with only an Observation scope is refused
    (403): ``_type`` cannot widen what the token's scopes reach."""
    scope = "launch/patient patient/Patient.rs patient/Observation.rs"
    token, _ = launched_token(cast, cast.clinician, scope=scope)
    get = api(token)
    path = f"Patient/{cast.patient.public_id}/$everything"
    assert get(f"{path}?_type=Observation").status_code == 200
    refused = get(f"{path}?_type=Procedure,Observation")
    assert refused.status_code == 403
    assert refused.json()["resourceType"] == "OperationOutcome"
    assert "Procedure" not in {e["resource"]["resourceType"] for e in get(path).json()["entry"]}


def test_the_scopes_and_the_registry_agree_on_what_the_front_desk_reads():
    """One answer to "which types need only demographics": the consent screen's (SMART
    scopes) and the API's (the registry's needs)."""
    demographic = {k.name for k in KINDS.values() if k.need == Need.DEMOGRAPHICS_READ}
    assert demographic == set(scopes.DEMOGRAPHIC_TYPES)
