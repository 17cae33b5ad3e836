"""A SMART standalone launch in Chromium (issue 18). The clinic lead connects a public app on
the Apps page; the app (played by the test) sends the browser to Taut's authorize address
with PKCE (S256); the clinician signs in on Taut's own page, searches for a patient, chooses
them, reads the consent screen and allows; Chromium follows Taut's redirect to the app's
callback (answered by the test) carrying the code, which the app exchanges for a token with
its verifier: the answer names the patient and the clinician's Practitioner. With the token
alone the app reads that patient's Procedures and Observations, and is refused another
patient (404), a patient of no clinic of its own (404) and a type its scopes lack (403)."""

import base64
import hashlib
import json
import re
import secrets
import urllib.error
import urllib.parse
import urllib.request
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

CALLBACK = "https://app.example.org/callback"
SCOPES = (
    "openid fhirUser launch/patient patient/Patient.rs patient/Procedure.rs patient/Observation.rs"
)


def fhir(server, path, token):
    """(status, body) of a FHIR GET sent with the token only (no cookie)."""
    request = urllib.request.Request(  # noqa: S310
        f"{server}/fhir/{path}", headers={"Authorization": f"Bearer {token}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_a_clinician_launches_an_app_for_one_patient_with_pkce(
    page, new_page, login, check_page, screenshot, server
):
    login(page, "lead")
    check_page(page, page.goto("/clinic/apps/"))
    assert violations(page) == [], "app list"
    check_page(page, page.goto("/clinic/apps/new/"))
    assert violations(page) == [], "register"
    page.locator("#id_name").fill("Pain Diary")
    page.get_by_label("Standalone app, public (PKCE, no secret)").check()
    page.get_by_label("Redirect URIs").fill(CALLBACK)
    page.get_by_role("button", name="Connect").click()
    expect(page.get_by_text("Pain Diary is connected.")).to_be_visible()
    client_id = page.locator("dt:has-text('Client id') + dd code").inner_text()
    assert violations(page) == [], "app connected"
    screenshot(page, "1-app-connected")
    # A patient with a session, and another, found as the lead through the FHIR API.
    procedures = page.request.get(f"{server}/fhir/Procedure?_count=1").json()
    patient_id = procedures["entry"][0]["resource"]["subject"]["reference"].split("/")[1]
    chosen = page.request.get(f"{server}/fhir/Patient/{patient_id}").json()
    mrn = chosen["identifier"][0]["value"]
    listed = page.request.get(f"{server}/fhir/Patient?_count=2").json()["entry"]
    other_id = next(e["resource"]["id"] for e in listed if e["resource"]["id"] != patient_id)

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK,
        "scope": SCOPES, "state": "xyz",
        "aud": f"{server}/fhir", "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
    })  # fmt: skip
    app = new_page()
    app.route(f"{CALLBACK}**", lambda route: route.fulfill(status=200, body="app callback"))
    app.goto(f"/oauth/authorize?{query}")
    app.wait_for_url(re.compile(r"/login/"))
    app.locator('input[name="username"]').fill("clinician")
    app.locator('input[name="password"]').fill("taut-demo-clinic")
    app.get_by_role("button", name="Sign in").click()
    expect(app.get_by_role("heading", name="Choose a patient for Pain Diary")).to_be_visible()
    check_page(app)
    assert violations(app) == [], "picker"
    screenshot(app, "2-patient-picker")

    app.locator("#id_q").fill(mrn)
    app.locator("main").get_by_role("button", name="Search", exact=True).click()
    app.locator("tbody tr").first.get_by_role("button", name=re.compile("^Choose")).click()
    expect(app.get_by_role("heading", name="Allow Pain Diary to use Taut as you?")).to_be_visible()
    expect(
        app.get_by_text("Read and search Procedure records of the chosen patient")
    ).to_be_visible()
    check_page(app)
    assert violations(app) == [], "consent"
    screenshot(app, "3-consent")

    app.get_by_role("button", name="Allow").click()
    app.wait_for_url(re.compile(r"^https://app\.example\.org/callback\?"))
    answer = urllib.parse.parse_qs(urllib.parse.urlsplit(app.url).query)
    assert answer["state"] == ["xyz"]
    body = urllib.parse.urlencode({
        "grant_type": "authorization_code", "code": answer["code"][0], "code_verifier": verifier,
        "redirect_uri": CALLBACK, "client_id": client_id,
    }).encode()  # fmt: skip
    with urllib.request.urlopen(f"{server}/oauth/token", data=body, timeout=10) as response:  # noqa: S310
        tokens = json.load(response)
    assert tokens["patient"] == patient_id
    assert sorted(tokens["scope"].split()) == sorted(SCOPES.split())
    claims = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[1] + "=="))
    assert claims["fhirUser"].startswith(f"{server}/fhir/Practitioner/")

    token = tokens["access_token"]
    for kind in ("Procedure", "Observation"):
        status, bundle = fhir(server, f"{kind}?patient={patient_id}", token)
        assert status == 200, bundle
        assert bundle["entry"], kind
        assert {e["resource"]["subject"]["reference"] for e in bundle["entry"]} == {
            f"Patient/{patient_id}"
        }
    assert fhir(server, f"Patient/{other_id}", token)[0] == 404
    assert fhir(server, f"Procedure?patient={other_id}", token)[0] == 404
    assert fhir(server, f"Patient/{uuid.uuid4()}", token)[0] == 404
    status, refused = fhir(server, f"MedicationAdministration?patient={patient_id}", token)
    assert status == 403 and refused["resourceType"] == "OperationOutcome"
