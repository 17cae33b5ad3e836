"""An authenticator app in a real browser (issue 16, decision 0031). A clinic lead adds a
member (so the demo's own staff, whom the other browser tests sign in as, keep signing in
with a password alone); the member opens their security page, sets up an authenticator app
by typing the key shown beside the QR code, confirms it with a code and is shown recovery
codes. Signed out, they sign in with the password and are asked for a code: a wrong one is
refused, the right one signs them in. Then a recovery code signs them in once, not twice.

The test plays the phone: it computes the codes from the key on the page with django-otp's
``TOTP``, as ``TotpDevice.verify_token`` checks them (30 s steps, 6 digits)."""

import base64
import re
import time

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEMBER = "tamsin"
PASSWORD = "harbour lantern quietly folding maps"


def code_from(key: str, *, ahead: int = 0) -> str:
    """The 6-digit code an authenticator app shows for ``key`` (base32, spaced in groups)
    ``ahead`` steps from now."""
    secret = key.replace(" ", "").upper()
    totp = TOTP(base64.b32decode(secret + "=" * (-len(secret) % 8)), step=30, digits=6)
    totp.time = time.time() + 30 * ahead
    return f"{totp.token():06d}"


def password_step(page) -> None:
    page.goto("/login/")
    page.locator('input[name="username"]').fill(MEMBER)
    page.locator('input[name="password"]').fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/login/second-step/$"))


def enter_code(page, code: str) -> None:
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Confirm").click()


def refused_with_400(page) -> None:
    """The code was refused: the form again, answered 400 (which Chromium logs as a console
    error: that one is expected, anything else still fails)."""
    expect(page.get_by_text("That code is not right, or was already used.")).to_be_visible()
    assert page.url.endswith("/login/second-step/")
    problems = page.problems.take()
    assert problems and all(
        "/login/second-step/" in problem and "status of 400" in problem for problem in problems
    ), problems


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(re.compile(r"/login/"))


def test_a_member_sets_up_an_authenticator_app_and_signs_in_with_it(
    page, new_page, login, check_page, screenshot
):
    login(page, "lead")
    check_page(page, page.goto("/clinic/staff/add/"))
    page.get_by_label("First name").fill("Tamsin")
    page.get_by_label("Last name").fill("Twostep")
    page.get_by_label("Username").fill(MEMBER)
    page.get_by_label("Email").fill(f"{MEMBER}@example.org")
    page.get_by_label("Role").select_option("nurse")
    page.get_by_label("Initial password").fill(PASSWORD)
    page.get_by_role("button", name="Add", exact=True).click()
    expect(page.get_by_role("row", name=re.compile("Tamsin Twostep"))).to_be_visible()
    check_page(page)

    member = new_page()
    login(member, MEMBER, PASSWORD)  # no second factor yet: the password alone
    check_page(member, member.goto("/security/"))
    expect(member.get_by_text("None yet: you sign in with your password alone.")).to_be_visible()
    member.get_by_role("link", name="Add an authenticator app").click()
    expect(member.locator(".qr svg")).to_be_visible()
    key = member.locator("code.totp-key").inner_text()
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{1,4})+", key), key
    screenshot(member, "1-qr-code-and-key")
    check_page(member)

    enter_code(member, code_from(key))
    expect(member.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = member.locator("ul.recovery-codes code").all_inner_texts()
    assert len(codes) == 10 and len(set(codes)) == 10, codes
    screenshot(member, "2-recovery-codes")
    member.get_by_role("link", name="Done").click()
    expect(member.locator(".factor-list")).to_contain_text("Authenticator app")
    expect(member.get_by_text("Recovery codes left: 10.")).to_be_visible()
    check_page(member)

    # Signing in now takes a code after the password.
    sign_out(member)
    password_step(member)
    expect(member.get_by_text("Your password was right. Now confirm it is you.")).to_be_visible()
    right = code_from(key, ahead=1)  # the step the set-up used is spent: the next one
    enter_code(member, f"{(int(right) + 1) % 1_000_000:06d}")
    refused_with_400(member)
    screenshot(member, "3-wrong-code-refused")
    time.sleep(1.2)  # django-otp's growing delay after a wrong code: 1 s after the first
    enter_code(member, code_from(key, ahead=1))
    member.wait_for_url(re.compile(r"/patients/$"))
    screenshot(member, "4-signed-in-with-code")
    check_page(member)

    # A recovery code stands in for the phone, once.
    sign_out(member)
    password_step(member)
    enter_code(member, codes[0])
    member.wait_for_url(re.compile(r"/patients/$"))
    expect(member.get_by_text("Recovery code used: 9 left.")).to_be_visible()
    screenshot(member, "5-signed-in-with-recovery-code")
    check_page(member)
    sign_out(member)
    password_step(member)
    enter_code(member, codes[0])
    refused_with_400(member)
    screenshot(member, "6-recovery-code-used-up")
