"""Issue 17 in Chromium: the clinic lead opens the analytics page, keeps only the sessions
with one muscle, and downloads the PDF report of what is shown (rendered by the worker)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.test_visit_journey import pdf_text

pytestmark = pytest.mark.browser


def test_it_filters_by_muscle_and_prints_the_report(request, page, login, check_page, screenshot):
    login(page, "lead")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Clinic analytics")
    check_page(page)
    expect(page.get_by_role("heading", name="Responders")).to_be_visible()
    expect(page.locator("svg.chart").first).to_be_visible()
    screenshot(page, "overview")

    only = page.get_by_label("Only sessions with")
    muscle = only.locator("optgroup[label='Muscle'] option").first
    value, name = muscle.get_attribute("value"), muscle.inner_text().strip()
    assert value and value.startswith("muscle:")
    only.select_option(value)
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"only=muscle%3A"))
    check_page(page)
    expect(page.get_by_text(f"only those with Muscle: {name}").first).to_be_visible()
    expect(only).to_have_value(value)
    screenshot(page, "one-muscle")

    with page.expect_download(timeout=60_000) as download_info:
        page.get_by_role("link", name="Download the PDF report").click()
    download = download_info.value
    assert re.fullmatch(
        r"taut-analytics-\d{4}-\d\d-\d\d-to-\d{4}-\d\d-\d\d\.pdf", download.suggested_filename
    )
    pdf = request.config.rootpath / "artifacts" / f"{request.node.name}-report.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "Clinic analytics" in text and f"Muscle: {name}" in text
    assert "Definitions" in text and "Responders" in text
