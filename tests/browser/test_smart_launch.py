"""A SMART standalone launch in Chromium (issue 18). The clinic lead connects a public app on
the Apps page; the app (played by the test) sends the browser to Taut's authorize address
with PKCE (S256); the clinician signs in on Taut's own page, searches for a patient, chooses
them, reads the consent screen and allows; Chromium follows Taut's redirect to the app's
callback (answered by the test) carrying the code, which the app exchanges for a token with
its verifier: the answer names the patient and the clinician's Practitioner.

Reading that patient's records with the token is the FHIR API's to show (it does not take
bearer tokens yet)."""

import base64
import hashlib
import json
import re
import secrets
import urllib.parse
import urllib.request

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations

pytestmark = pytest.mark.browser

CALLBACK = "https://app.example.org/callback"


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

    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    query = urllib.parse.urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK,
        "scope": "openid fhirUser launch/patient patient/*.rs", "state": "xyz",
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

    first = app.locator("tbody tr").first
    family = first.locator("td").first.inner_text().split(",")[0]
    app.locator("#id_q").fill(family)
    app.locator("main").get_by_role("button", name="Search", exact=True).click()
    app.locator("tbody tr").first.get_by_role("button", name=re.compile("^Choose")).click()
    expect(app.get_by_role("heading", name="Allow Pain Diary to use Taut as you?")).to_be_visible()
    expect(app.get_by_text("Read and search all records of the chosen patient")).to_be_visible()
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
    assert re.fullmatch(r"[0-9a-f-]{36}", tokens["patient"])
    assert tokens["scope"] == "openid fhirUser launch/patient patient/*.rs"
    claims = json.loads(base64.urlsafe_b64decode(tokens["id_token"].split(".")[1] + "=="))
    assert claims["fhirUser"].startswith(f"{server}/fhir/Practitioner/")
