"""A clinic lead adds a member, sends them a password reset and resets their two-step
sign-in; the member asks for a reset on the sign-in page, opens the emailed link, is
refused a breached password, chooses another and signs in with it (decision 0032).

The link is the one the worker would email: made by ``notices.reset_url`` against the
demo's database, in a process with the server's settings (the browser tests' worker runs
only the printing queue, so no email is sent behind the other tests' backs)."""

import os
import re
import subprocess
import sys

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

MEMBER = "rowan"
FIRST_PASSWORD = "lantern orchard copper field"
NEW_PASSWORD = "quiet violet kettle under moss"
LINK = """
import django
django.setup()
from taut.accounts.models import User
from taut.accounts.notices import reset_url
print(reset_url(User.objects.get(username={username!r})))
"""


def emailed_link(tmp_path_factory, username: str) -> str:
    """The path of the reset link for ``username`` in the demo's database."""
    database = next(tmp_path_factory.getbasetemp().glob("taut-browser*/taut.sqlite3"))
    made = subprocess.run(
        [sys.executable, "-c", LINK.format(username=username)],
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return re.search(r"(/password/reset/\S+)", made.stdout).group(1)


def test_a_lead_helps_and_a_member_resets_their_password_by_email(
    page, new_page, login, check_page, screenshot, tmp_path_factory
):
    login(page, "lead")
    check_page(page, page.goto("/clinic/staff/add/"))
    page.get_by_label("First name").fill("Rowan")
    page.get_by_label("Last name").fill("Resetting")
    page.get_by_label("Username").fill(MEMBER)
    page.get_by_label("Email").fill(f"{MEMBER}@example.org")
    page.get_by_label("Role").select_option("nurse")
    page.get_by_label("Initial password").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="Add", exact=True).click()
    row = page.get_by_role("row", name=re.compile("Rowan Resetting"))
    row.get_by_role("link", name="Change role or access").click()

    page.get_by_role("button", name="Send password reset email").click()
    expect(page.get_by_text("A password reset link is on its way")).to_be_visible()
    screenshot(page, "1-lead-sent-reset")
    page.get_by_role("link", name="Reset their two-step sign-in").click()
    page.get_by_label("How you checked it is them").select_option("in_person")
    page.get_by_role("button", name="Reset two-step sign-in").click()
    expect(page.get_by_text("Two-step sign-in was reset for Rowan Resetting")).to_be_visible()
    screenshot(page, "2-lead-reset-mfa")
    check_page(page)

    member = new_page()
    check_page(member, member.goto("/login/"))
    member.get_by_role("link", name="Forgotten your password?").click()
    member.get_by_label("Email").fill(f"{MEMBER}@example.org")
    member.get_by_role("button", name="Email me a link").click()
    expect(member.get_by_role("heading", name="Check your email")).to_be_visible()
    screenshot(member, "3-check-your-email")

    check_page(member, member.goto(emailed_link(tmp_path_factory, MEMBER)))
    assert member.url.endswith("/set-password/")  # the token left the address bar
    member.locator("input[name=new_password1]").fill("password1234")
    member.locator("input[name=new_password2]").fill("password1234")
    member.get_by_role("button", name="Set password").click()
    expect(member.get_by_text("published list of breached passwords")).to_be_visible()
    screenshot(member, "4-breached-password-refused")
    member.locator("input[name=new_password1]").fill(NEW_PASSWORD)
    member.locator("input[name=new_password2]").fill(NEW_PASSWORD)
    member.get_by_role("button", name="Set password").click()
    expect(member.get_by_role("heading", name="Your password has been changed")).to_be_visible()
    screenshot(member, "5-password-changed")
    login(member, MEMBER, NEW_PASSWORD)
    check_page(member)
