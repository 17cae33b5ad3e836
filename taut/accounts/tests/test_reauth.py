"""Re-authentication before signing a note, changing staff or roles, changing the clinic's
settings and exporting the audit log (issue 16, decision 0031): one gate,
``reauth.require_recent_auth``, and the page that satisfies it. The session's clock is
moved with time-machine."""

from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

import pytest
import time_machine
from django.urls import reverse

from taut.accounts.models import StaffSession
from taut.audit.models import Action, AuditEvent
from taut.tests.cast import PASSWORD
from taut.visits.tests import flow

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
REAUTH = "/reauthenticate/"


def sign_url(cast):
    visit = flow.scheduled(cast.patient, cast.clinician)
    ids = {"patient_id": visit.patient.public_id, "visit_id": visit.public_id}
    return reverse("visits:sign", kwargs=ids), reverse("visits:note", kwargs=ids)


def staff_edit_url(cast):
    return reverse("accounts:staff_edit", kwargs={"user_id": cast.nurse.public_id}), None


# (who, method, the action's URL and the page its form is on (None: a GET))
ACTIONS = {
    "signing a note": ("clinician", "post", sign_url),
    "adding staff": ("lead", "get", lambda cast: (reverse("accounts:staff_add"), None)),
    "changing a role": ("lead", "get", staff_edit_url),
    "clinic settings": ("lead", "get", lambda cast: (reverse("accounts:clinic_settings"), None)),
    "exporting the audit log": ("lead", "get", lambda cast: (reverse("audit:export"), None)),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_it_asks_for_the_password_again_after_ten_minutes_then_lets_the_action_through(
    client, cast, signed_in, action
):
    who, method, urls = ACTIONS[action]
    target, form_page = urls(cast)
    back = form_page or target
    send = getattr(client, method)
    with time_machine.travel(T0, tick=False) as clock:
        signed_in(getattr(cast, who))
        assert _asks_again(send(target, HTTP_REFERER=f"http://testserver{back}")) is False
        clock.shift(timedelta(minutes=11))
        asked = send(target, HTTP_REFERER=f"http://testserver{back}")
        assert asked["Location"] == f"{REAUTH}?{urlencode({'next': back})}"
        done = client.post(REAUTH, {"secret": PASSWORD, "next": back})
        assert done["Location"] == back
        assert _asks_again(send(target, HTTP_REFERER=f"http://testserver{back}")) is False
    assert AuditEvent.objects.filter(action=Action.LOGIN, details__step="reauth").exists()


def _asks_again(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(REAUTH)


def test_a_wrong_password_is_refused_audited_and_five_sign_the_member_out(client, cast, signed_in):
    signed_in(cast.lead)
    wrong = client.post(REAUTH, {"secret": "not my password", "next": "/clinic/"})
    assert wrong.status_code == 400
    assert (
        AuditEvent.objects.filter(action=Action.LOGIN_FAILED, details__step="reauth").count() == 1
    )
    for _ in range(4):
        last = client.post(REAUTH, {"secret": "not my password"})
    assert last["Location"] == reverse("accounts:login")
    assert client.get(reverse("patients:list")).status_code == 302


def test_it_goes_back_only_to_this_site(client, cast, signed_in):
    signed_in(cast.lead)
    done = client.post(REAUTH, {"secret": PASSWORD, "next": "//evil.example/"})
    assert done["Location"] == reverse("patients:list")


def test_it_spends_the_shared_hashing_budget_and_answers_429_past_it(
    client, cast, signed_in, settings
):
    """Re-authentication hashes a password like sign-in does, so it takes the same global
    ceiling (decision 0033): past it, 429 with Retry-After and no hash, not counted as wrong."""
    settings.PASSWORD_HASHES_PER_SECOND = 1
    with time_machine.travel(T0, tick=False):
        signed_in(cast.lead)
        assert client.post(REAUTH, {"secret": "not my password"}).status_code == 400
        refused = client.post(REAUTH, {"secret": PASSWORD, "next": "/clinic/"})
        assert client.session.get("taut_reauth_failures") == 1  # the refusal is not a try
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"


def test_it_gives_the_session_a_new_key_on_re_authentication(client, cast, signed_in):
    """ASVS 5.0 V7.2.4: a new session token on re-authentication too; the member's session
    record (``StaffSession``, which ending sessions reads) follows the new key."""
    signed_in(cast.lead)
    before = client.session.session_key
    StaffSession.objects.get_or_create(user=cast.lead, session_key=before)  # as log_in makes
    assert client.post(REAUTH, {"secret": PASSWORD, "next": "/clinic/"}).status_code == 302
    after = client.session.session_key
    assert after != before
    assert list(
        StaffSession.objects.filter(user=cast.lead).values_list("session_key", flat=True)
    ) == [after]
    assert client.get(reverse("patients:list")).status_code == 200
