"""A passkey in a real browser (issue 16): Chromium's virtual authenticator (DevTools
protocol ``WebAuthn.*``) stands in for a phone or security key. The nurse adds a passkey
on the security page, signs out, signs in with the password and then the passkey, and
removes it again (the session's demo clinic is shared with the other browser tests).

WebAuthn refuses IP addresses as the relying party, so this test uses ``localhost``."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD

pytestmark = pytest.mark.browser


def virtual_authenticator(page) -> None:
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )


def password_step(page, base: str) -> None:
    page.goto(f"{base}/login/")
    page.locator('input[name="username"]').fill("nurse")
    page.locator('input[name="password"]').fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_nurse_adds_a_passkey_and_signs_in_with_it(page, server, check_page, screenshot):
    base = server.replace("127.0.0.1", "localhost")
    virtual_authenticator(page)
    password_step(page, base)
    page.wait_for_url(re.compile(r"/patients/$"))

    page.goto(f"{base}/security/")
    page.get_by_role("button", name="Add a passkey").click()
    expect(page.locator("#passkey-register-status-message")).not_to_be_empty()
    page.reload()
    expect(page.locator(".factor-list")).to_contain_text("Passkey")
    screenshot(page, "1-passkey-added")
    check_page(page)

    page.get_by_role("button", name="Sign out").click()
    password_step(page, base)
    page.wait_for_url(re.compile(r"/login/second-step/$"))
    screenshot(page, "2-second-step")
    page.get_by_role("button", name="Use your passkey").click()
    page.wait_for_url(re.compile(r"/patients/$"))
    check_page(page)

    # Leave the shared demo nurse as the other tests expect: no second factor.
    page.goto(f"{base}/security/")
    page.locator(".factor-list").get_by_role("button", name="Remove").click()
    expect(page.locator(".factor-list")).to_have_count(0)
