"""``grant_for_request``: the contract the FHIR views call. A token never reaches beyond
its clinic, its user's role or its launch patient."""

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from taut.accounts import services as accounts
from taut.accounts.roles import Need, Role, has_need
from taut.audit.models import Action, AuditEvent
from taut.smart import services
from taut.smart.grants import InvalidToken, grant_for_request
from taut.smart.models import AppKind
from taut.smart.tests import flow
from taut.tests.cast import acting, sign_in


def request_with(header=None):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    return RequestFactory().get("/fhir/Observation", **extra)


def launched(client, cast, user, *, scope=flow.LAUNCH_SCOPES, app=None):
    """An access token for ``user`` from a real launch of a public app."""
    app = app or flow.register(cast.clinic, cast.lead, scopes=scope + " user/*.rs").app
    sign_in(client, user)
    code, verifier = flow.launch(client, app, cast.patient, scope=scope)
    response = flow.exchange(client, app, code, verifier)
    assert response.status_code == 200, response.content
    return app, response.json()["access_token"]


def test_it_answers_none_without_a_bearer_header():
    """No header, or another scheme: not a token request at all (the API decides)."""
    assert grant_for_request(request_with()) is None
    assert grant_for_request(request_with("Basic dXNlcjpwYXNz")) is None


@pytest.mark.parametrize("header", ["Bearer ", "Bearer not-a-token", "bearer " + "x" * 2000])
def test_it_refuses_a_malformed_or_unknown_token(db, header):
    with pytest.raises(InvalidToken):
        grant_for_request(request_with(header))


def test_it_grants_a_patient_launch_only_that_patient_and_its_scopes(client, cast):
    app, token = launched(client, cast, cast.clinician)
    grant = grant_for_request(request_with(f"Bearer {token}"))
    assert grant.kind == "patient"
    assert grant.patient_id == cast.patient.public_id
    assert (grant.user, grant.clinic_id, grant.client_id, grant.app_name) == (
        cast.clinician,
        cast.clinic.pk,
        app.client_id,
        "Pain Diary",
    )
    assert grant.allows("Observation", "read") and grant.allows("Procedure", "search")
    assert not grant.allows("Observation", "update")


def test_it_grants_a_user_launch_what_the_user_scopes_say(client, cast):
    """Without launch/patient the token is the user's, reaching no one patient."""
    scope = "openid fhirUser user/Patient.rs user/Observation.rs"
    _, token = launched(client, cast, cast.nurse, scope=scope)
    grant = grant_for_request(request_with(f"Bearer {token}"))
    assert (grant.kind, grant.patient_id, grant.user) == ("user", None, cast.nurse)
    assert grant.allows("Observation", "search")
    assert not grant.allows("Procedure", "read")


def test_it_keeps_a_front_desk_user_to_demographics(client, cast):
    """Front desk cannot grant clinical scopes, and a token cannot outgrow the role."""
    _, token = launched(client, cast, cast.front_desk, scope="openid user/*.rs")
    grant = grant_for_request(request_with(f"Bearer {token}"))
    assert grant.scopes.text() == (
        "openid user/Organization.rs user/Patient.rs user/Practitioner.rs user/PractitionerRole.rs"
        " user/Questionnaire.rs"
    )
    assert grant.allows("Patient", "read")
    assert not grant.allows("Observation", "read")


def test_it_asks_the_role_as_it_is_now_not_as_it_was(client, cast):
    """A nurse moved to the front desk keeps a token, but not its clinical reads."""
    _, token = launched(client, cast, cast.nurse, scope="openid user/*.rs")
    accounts.update_staff(member=cast.nurse, role=Role.FRONT_DESK, active=True,
                          actor=acting(cast.lead))  # fmt: skip
    grant = grant_for_request(request_with(f"Bearer {token}"))
    assert grant.allows("Patient", "read") and not grant.allows("Observation", "read")


def test_it_refuses_an_expired_token(client, cast):
    _, token = launched(client, cast, cast.clinician)
    later = timezone.now() + timezone.timedelta(hours=2)
    with time_machine.travel(later, tick=False), pytest.raises(InvalidToken):
        grant_for_request(request_with(f"Bearer {token}"))


def test_it_refuses_every_token_of_a_revoked_app(client, cast):
    app, token = launched(client, cast, cast.clinician)
    services.revoke_app(app=app, version=app.version, actor=acting(cast.lead))
    with pytest.raises(InvalidToken):
        grant_for_request(request_with(f"Bearer {token}"))


def test_it_refuses_a_token_whose_user_was_deactivated(client, cast):
    _, token = launched(client, cast, cast.clinician)
    accounts.update_staff(member=cast.clinician, role=Role.CLINICIAN, active=False,
                          actor=acting(cast.lead))  # fmt: skip
    with pytest.raises(InvalidToken):
        grant_for_request(request_with(f"Bearer {token}"))


def test_it_gives_another_clinics_app_that_clinic_only(client, cast):
    """A token of the other clinic's app acts for the other clinic, never this one."""
    lead = flow.other_lead(cast)
    key, jwks = flow.key_pair()
    app = flow.register(cast.other_clinic, lead, kind=AppKind.BACKEND, scopes="system/*.rs",
                        jwks=jwks).app  # fmt: skip
    body = flow.backend_token(client, app.client_id, flow.assertion(key, app.client_id)).json()
    grant = grant_for_request(request_with(f"Bearer {body['access_token']}"))
    assert grant.clinic_id == cast.other_clinic.pk != cast.clinic.pk
    assert grant.user.clinic_id == cast.other_clinic.pk
    assert grant.kind == "system" and grant.patient_id is None


def test_it_refuses_a_launch_of_another_clinics_app(client, cast, signed_in):
    """A member of this clinic cannot authorize the other clinic's app at all."""
    app = flow.register(cast.other_clinic, flow.other_lead(cast)).app
    signed_in(cast.clinician)
    _, challenge = flow.pkce()
    response = client.get(flow.authorize_url(app.client_id, challenge=challenge))
    assert response.status_code == 404
    assert b"not connected to your clinic" in response.content
    denied = AuditEvent.objects.get(action=Action.DENIED, object_id=str(app.public_id))
    assert denied.actor_id == cast.clinician.pk and denied.details["reason"] == "other_clinic"


def test_it_gives_a_backend_service_user_reads_and_no_sign_in(client, cast):
    key, jwks = flow.key_pair()
    registered = flow.register(cast.clinic, cast.lead, kind=AppKind.BACKEND,
                               scopes="system/Patient.rs", jwks=jwks)  # fmt: skip
    user = registered.app.service_user
    assert (user.role, user.clinic_id, user.has_usable_password()) == (
        Role.SERVICE,
        cast.clinic.pk,
        False,
    )
    # Reads and the bulk export (decision 0045's need); never a write, staff or the audit log.
    assert {need for need in Need if has_need(user, need)} == {
        Need.DEMOGRAPHICS_READ,
        Need.CLINICAL_READ,
        Need.EXPORT_RESEARCH,
    }
    body = flow.backend_token(client, registered.app.client_id,
                              flow.assertion(key, registered.app.client_id)).json()  # fmt: skip
    grant = grant_for_request(request_with(f"Bearer {body['access_token']}"))
    assert grant.allows("Patient", "search") and not grant.allows("Observation", "search")
