"""On the day of the visit, on a phone: the patient opens their page from the clinic's link,
taps "I'm here", and is told the front desk knows; the day list shows them waiting, with
the time they arrived."""

import os
import re
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from taut import links

pytestmark = pytest.mark.browser

IDS = re.compile(r"/patients/([0-9a-f-]{36})/visits/([0-9a-f-]{36})/")


def home_link(patient_id: str) -> str:
    """The patient's home link as the clinic sends it (signed with the server's key)."""
    token = links.make_token(
        purpose=links.Purpose.HOME,
        patient=SimpleNamespace(public_id=patient_id),
        object_id=patient_id,
        expires=datetime.now(UTC) + timedelta(days=2),
    )
    return f"/p/home/{token}/"


def test_a_patient_taps_im_here_and_the_day_list_shows_them_waiting(
    page, new_page, login, check_page, screenshot
):
    login(page, "clinician")
    # A patient with no visit today yet (the demo's day list marks its earlier visits
    # arrived, so any of those would already be "here"), booked for this minute.
    phone = new_page(375, 812, is_mobile=True, has_touch=True)
    rows = page.locator("#results tbody tr")
    for i in range(5, rows.count()):
        href = rows.nth(i).get_by_role("link").first.get_attribute("href")
        patient_id = re.search(r"/patients/([0-9a-f-]{36})/", href).group(1)
        check_page(phone, phone.goto(home_link(patient_id)))
        if phone.get_by_role("region", name=re.compile("Your visit today")).count() == 0:
            name = rows.nth(i).locator("td").first.inner_text().strip()
            break
    else:
        pytest.fail("every listed patient already has a visit today")
    check_page(page, page.goto(f"/patients/{patient_id}/visits/new/"))
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "UTC"))
    page.get_by_label("When").fill(datetime.now(zone).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Book anyway").check()  # the demo day may be booked already
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_url(IDS)

    check_page(phone, phone.goto(home_link(patient_id)))
    today = phone.get_by_role("region", name=re.compile("Your visit today"))
    expect(today).to_contain_text("let us know you are here")
    screenshot(phone, "1-visit-today")
    today.get_by_role("button", name="I'm here").tap()
    expect(phone.get_by_role("status")).to_contain_text("the front desk knows you are here")
    expect(phone.get_by_role("button", name="I'm here")).to_have_count(0)
    screenshot(phone, "2-front-desk-knows")
    check_page(phone)

    desk = new_page()
    login(desk, "frontdesk")
    check_page(desk, desk.goto("/patients/today/"))
    arrived = desk.locator("tbody tr", has_text=name).filter(has=desk.locator(".arrival-waiting"))
    expect(arrived.first).to_be_visible()
    expect(arrived.first.get_by_role("button", name=re.compile("Into the room"))).to_be_visible()
    screenshot(desk, "3-day-list-waiting")
