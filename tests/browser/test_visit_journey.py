"""One patient through a whole visit in a real browser, as a clinician: schedule, intake
with a fresh pain drawing and screening, the trigger point exam, consent, time-out,
weight, three injection sites with the live dose guard, the immediate response, and the
signed note downloaded as a PDF whose text is checked.

The clinician role can do every step. Each step is screenshotted and checked for console
errors and CSP violations.
"""

import os
import re
import shutil
import subprocess
from datetime import datetime
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from taut.clinical.coding import MUSCLE_OF_PART
from taut.clinical.consent import PNEUMOTHORAX_MUSCLES

pytestmark = pytest.mark.browser

BACK = ".bodymap-figure >> nth=1"
PAINTED = ("shoulder_top:left", "neck_posterior_lower:left", "scapula_medial_border:left")
VISIT_URL = re.compile(r"/patients/[0-9a-f-]{36}/visits/[0-9a-f-]{36}/$")
INTAKE_URL = re.compile(r"/visits/[0-9a-f-]{36}/intake/$")
WEIGHT_KG = "60"  # lidocaine plain 4.5 mg/kg -> 270 mg maximum
VOLUMES_ML = ("8", "8", "6")  # lidocaine 1 % = 10 mg/mL -> 220 mg, 81 % of 270 mg: caution
TOTAL_MG = "220"


def region(page, key, figure=BACK):
    return page.locator(figure).locator(f'.region[data-key="{key}"]')


INSIDE = """(shape) => {
  // A point of the viewport where this shape, and no other element, is under the pointer.
  const box = shape.getBBox(), matrix = shape.getScreenCTM();
  for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
    const p = new DOMPoint(box.x + box.width * i / 12, box.y + box.height * j / 12);
    const screen = p.matrixTransform(matrix);
    if (document.elementFromPoint(screen.x, screen.y) === shape) return [screen.x, screen.y];
  }
  return null;
}"""


def paint(page, shape):
    """Click a point inside the (irregular) region: its box's centre may be outside it."""
    shape.scroll_into_view_if_needed()
    point = shape.evaluate(INSIDE)
    assert point, "no visible point inside the shape"
    page.mouse.click(*point)


def steps_nav(page):
    return page.get_by_role("navigation", name="Visit steps")


def local_now() -> str:
    """Now as a datetime-local value, in the server's time zone (settings.TIME_ZONE)."""
    zone = ZoneInfo(os.environ.get("TIME_ZONE", "UTC"))
    return datetime.now(zone).strftime("%Y-%m-%dT%H:%M")


def pdf_text(path) -> str:
    if not shutil.which("pdftotext"):
        pytest.fail("pdftotext is missing: `apt-get install -y poppler-utils`")
    result = subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, timeout=30, check=True
    )
    return " ".join(result.stdout.split())


def test_a_clinician_takes_a_patient_through_a_whole_visit(
    request, page, login, check_page, screenshot
):
    artifacts = request.config.rootpath / "artifacts"

    # --- 1. Schedule a visit from the chart ---------------------------------------------
    login(page, "clinician")
    check_page(page)
    page.locator("#results tbody tr").first.get_by_role("link").click()
    visits_card = page.locator("#chart-visits")
    expect(visits_card).to_be_visible()  # loaded by htmx
    visits_card.get_by_role("link", name="Schedule").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Schedule a visit")
    page.get_by_label("When").fill(local_now())
    # The demo clinician is busy all day: book over their list on purpose.
    page.get_by_label("Book anyway").check()
    page.get_by_role("button", name="Schedule").click()
    expect(page).to_have_url(VISIT_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text("Visit")
    expect(page.get_by_text("Visit scheduled.")).to_be_visible()
    visit_url = page.url
    screenshot(page, "1-scheduled")
    check_page(page)

    # --- 2. Intake: a new drawing, the answers, the screening verdict -------------------
    steps_nav(page).get_by_role("link", name="Intake and screening").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Intake and screening")
    page.get_by_role("button", name="Draw where it hurts now").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New pain drawing")
    for key in PAINTED:
        shape = region(page, key)
        paint(page, shape)
        expect(shape).to_have_attribute("aria-checked", "true")
    expect(page.locator("[data-marked-count]")).to_have_text("3")
    expect(page.locator("#suggestions .suggestion").first).to_be_visible()
    screenshot(page, "2-drawing")
    check_page(page)
    page.get_by_role("button", name="Save drawing").click()
    expect(page).to_have_url(INTAKE_URL)  # ?next= brought us back
    check_page(page)

    drawing = page.get_by_label("Pain drawing for this visit")
    expect(drawing.locator("option:checked")).to_contain_text("(3 regions)")
    drawing.select_option(drawing.locator("option:checked").get_attribute("value"))
    page.get_by_label("Reason for visit").fill("Left neck and shoulder pain")
    page.get_by_label("Where is the main pain?").select_option("shoulder_top")
    page.get_by_label("Side", exact=True).select_option("left")
    page.get_by_label("How long (months)").fill("6")
    page.get_by_label("Pain now (0–10)").fill("6")
    page.get_by_label("Average pain, last week (0–10)").fill("5")
    page.get_by_label("Worst pain, last week (0–10)").fill("8")
    page.get_by_label("PEG — average pain (0–10)").fill("5")
    page.get_by_label("PEG — pain's interference with enjoyment of life (0–10)").fill("6")
    page.get_by_label("PEG — pain's interference with general activity (0–10)").fill("6")
    page.get_by_label("Myofascial pain").check()
    red_flags = page.locator('input[name^="rf:"][value="false"]')
    assert red_flags.count() > 0, "no red-flag questions on the intake form"
    for question in red_flags.all():
        question.check()
    for label in (
        "Infection or broken skin where injections are planned?",
        "Recent muscle injury where injections are planned?",
        "Pregnant or could be pregnant?",
        "Bleeding disorder?",
        "Strong fear of needles?",
        "Poorly controlled diabetes?",
    ):
        page.get_by_label(label).select_option("false")
    # The steroid is the clinician's decision (yes / no / undecided; undecided keeps
    # screening pending), and diabetes is asked beside it.
    page.get_by_role("group", name="A steroid is planned in the injectate?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Diabetes?", exact=True).select_option("false")
    # Pre-filled from the chart's medicines: keep the chart's answer (a blood thinner
    # makes the verdict "Needs clinician review", handled below).
    thinner = page.get_by_label("Taking an anticoagulant or antiplatelet medicine?")
    expect(thinner).not_to_have_value("")
    on_thinner = thinner.input_value() == "true"
    page.get_by_label("Conservative care tried (what)").fill("Stretching programme, NSAIDs")
    page.get_by_label("For how many weeks (0 if none)").fill("8")
    page.get_by_role("group", name="Had trigger point injections before?").get_by_label(
        "No"
    ).check()
    page.get_by_label("Goal 1, in the patient's words").fill(
        "Sleep through the night without neck pain"
    )
    page.get_by_label("Goal 2, in the patient's words").fill("Carry the shopping home")
    page.get_by_role("button", name="Save intake and screen").click()
    expect(page.get_by_text("Intake saved and screened.")).to_be_visible()
    verdict = page.locator("#verdict")
    if on_thinner:
        expect(verdict.locator(".verdict-label")).to_have_text("Needs clinician review")
        page.get_by_label("Proceed after review").check()
        page.get_by_label("Reason").fill("Bleeding risk discussed; pressure held at each site.")
        page.get_by_role("button", name="Record decision").click()
        expect(page.get_by_text("Decision recorded.")).to_be_visible()
        expect(verdict).to_contain_text("Proceed after review")
    else:
        expect(verdict.locator(".verdict-label")).to_have_text("Eligible")
    expect(steps_nav(page).get_by_role("link", name="✓ Intake and screening")).to_be_visible()
    screenshot(page, "2-intake-verdict")
    check_page(page)

    # --- 3. Exam: three muscles from the drawing's suggestions, all active --------------
    steps_nav(page).get_by_role("link", name="Exam").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Trigger point exam")
    suggestions = page.locator("section[aria-labelledby=sugg-h] li")
    expect(suggestions.first).to_be_visible()
    examined = []  # (muscle id, side, name)
    for _ in range(3):
        # The first suggestion not examined yet that is another muscle for coding (two
        # parts of the trapezius are one muscle for CPT).
        counted = {MUSCLE_OF_PART.get(muscle, muscle) for muscle, _, _ in examined}
        for link in suggestions.get_by_role("link", name="Examine").all():
            query = parse_qs(urlparse(link.get_attribute("href")).query)
            muscle, side = query["muscle"][0], query["side"][0]
            if MUSCLE_OF_PART.get(muscle, muscle) not in counted:
                break
        else:
            pytest.fail("fewer than three different muscles suggested from the drawing")
        link.click()
        form = page.locator("#finding-form")
        expect(form.get_by_label("Muscle")).to_have_value(muscle)
        expect(form.get_by_label("Side")).to_have_value(side)
        name = form.get_by_label("Muscle").locator("option:checked").inner_text().strip()
        form.get_by_role("group", name="Taut band").get_by_label("Yes", exact=True).check()
        form.get_by_role("group", name="Hypersensitive spot (spot tenderness)").get_by_label(
            "Yes", exact=True
        ).check()
        form.get_by_role("group", name="Referred pain").get_by_label("Yes", exact=True).check()
        form.get_by_role("group", name="Patient recognises the pain as theirs").get_by_label(
            "Yes", exact=True
        ).check()
        form.get_by_role("button", name="Add finding").click()
        finding = page.locator("section[aria-labelledby=found-h] tbody tr").filter(
            has_text=f"{name} ({side})"
        )
        expect(finding).to_have_count(1)
        expect(finding.locator("strong.kind")).to_have_text("Active")
        examined.append((muscle, side, name))
    findings = page.locator("section[aria-labelledby=found-h]")
    expect(findings.locator("tbody tr")).to_have_count(3)
    expect(findings).to_contain_text("[S5]")
    expect(findings).not_to_contain_text("[[")  # sources are bracketed once
    screenshot(page, "3-exam")
    check_page(page)

    # --- 4. Procedure: consent, time-out, weight, sites with the dose guard -------------
    steps_nav(page).get_by_role("link", name="Procedure").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Procedure")
    consent = page.locator("#consent")
    pneumothorax = consent.get_by_role("checkbox", name="Collapsed lung (pneumothorax)", exact=True)
    if any(muscle in PNEUMOTHORAX_MUSCLES for muscle, _, _ in examined):
        expect(consent.locator("p.help")).to_contain_text("pneumothorax")
    # Every risk starts unticked (issue 12): ticking each records that it was discussed.
    expect(pneumothorax).not_to_be_checked()
    expect(consent.locator('input[name="risks"]:checked')).to_have_count(0)
    for risk in consent.locator('input[name="risks"]').all():
        risk.check()
    consent.get_by_role("button", name="Record consent").click()
    expect(page.get_by_text("Consent recorded.")).to_be_visible()
    expect(page.locator("#consent")).to_contain_text("consented at")

    time_out = page.locator("#time-out")
    items = time_out.locator('input[name="items"]')
    assert items.count() > 0
    for item in items.all():
        item.check()
    time_out.get_by_role("button", name="Time-out done").click()
    expect(page.get_by_text("Time-out done.", exact=True)).to_be_visible()
    expect(page.locator("#time-out")).to_contain_text("✓ Done at")

    page.get_by_label("Weight measured now (kg)").fill(WEIGHT_KG)
    page.get_by_role("button", name="Use this weight").click()
    expect(page.get_by_text("Weight for dosing recorded.")).to_be_visible()
    expect(page.locator("#weight")).to_contain_text(f"✓ {WEIGHT_KG}")
    guard = page.locator("#dose-guard")
    expect(guard).to_contain_text(f"for {WEIGHT_KG}")
    check_page(page)

    sites = page.locator("#sites")
    for index, ((muscle, side, name), volume) in enumerate(zip(examined, VOLUMES_ML, strict=True)):
        form = sites.locator("form.site-form")
        form.get_by_label("Muscle").select_option(muscle)
        form.get_by_label("Side").select_option(side)
        # The form starts from the clinician's last site (issue 12): set the injectate.
        form.get_by_label("Kind").select_option("anaesthetic")
        form.get_by_label("Agent").select_option("lidocaine")
        form.get_by_label("Concentration (%)").fill("1")
        form.get_by_label("Epinephrine").uncheck()
        volume_box = form.get_by_label("Volume (mL)")
        if index < 2:
            volume_box.fill(volume)
        else:
            # 160 mg so far: within limits, until the third volume is typed (the form
            # starts from the last site's volume, so empty it first).
            volume_box.clear()
            expect(guard).to_have_class(re.compile(r"\bdose-ok\b"))
            volume_box.press_sequentially(volume, delay=50)
            # The guard updates as you type (htmx), before anything is saved.
            expect(guard).to_have_class(re.compile(r"\bdose-caution\b"))
            expect(guard).to_contain_text("Caution")
            expect(guard).to_contain_text("with the site being entered")
            expect(guard).to_contain_text(f"{TOTAL_MG}.0 mg")
            expect(sites.locator("tbody tr")).to_have_count(2)  # not saved yet
            guard.screenshot(path=str(screenshot(page, "4-guard-live-caution")))
            check_page(page)
        form.get_by_role("button", name="Add site").click()
        expect(page.get_by_text("Site recorded.")).to_be_visible()
        expect(sites.locator("tbody tr")).to_have_count(index + 1)
        expect(sites.locator("tbody tr").nth(index)).to_contain_text(f"{name} ({side})")
        check_page(page)
    expect(guard).to_have_class(re.compile(r"\bdose-caution\b"))
    expect(guard).to_contain_text("Caution")
    expect(guard).to_contain_text("81%")
    expect(guard).not_to_contain_text("with the site being entered")
    guard.scroll_into_view_if_needed()
    guard.screenshot(path=str(screenshot(page, "4-guard-caution")))

    immediate = page.locator("#immediate")
    immediate.get_by_label("Index pain just before (0–10)").fill("7")
    immediate.get_by_label("Index pain just after (0–10)").fill("2")
    immediate.get_by_label("None", exact=True).check()
    immediate.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Pain scores and complications saved.")).to_be_visible()
    expect(steps_nav(page).get_by_role("link", name="✓ Procedure")).to_be_visible()
    screenshot(page, "4-procedure")
    check_page(page)

    # The watch after the last injection: the LAST checklist with the lipid dose for 60 kg
    # (1.5 mL/kg = 90 mL), and a discharge before the 30 minutes are up, with the reason.
    expect(page.locator("#last")).to_contain_text("90.0 mL over 2–3 minutes")
    watch = page.locator("#observation")
    for label, value in (("Heart rate", "72"), ("systolic", "124"), ("diastolic", "78")):
        watch.get_by_label(re.compile(label)).fill(value)
    watch.get_by_label(re.compile("Oxygen saturation")).fill("98")
    watch.get_by_label(re.compile("Why the watch was cut short")).fill(
        "Left early for a family emergency; no symptoms; told when to call 911"
    )
    watch.get_by_role("button", name="Record the discharge").click()
    expect(page.get_by_text("Discharge recorded.")).to_be_visible()
    screenshot(page, "4-discharge")
    check_page(page)

    # --- 5. The note: draft, codes, signature, PDF ---------------------------------------
    steps_nav(page).get_by_role("link", name="Note").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Procedure note")
    signing = page.locator("section[aria-labelledby=sign-h]")
    expect(signing).to_contain_text("CPT 20553")
    expect(signing).to_contain_text("3 muscles")
    draft = page.locator(".note-card")
    for _, side, name in examined:
        expect(draft).to_contain_text(f"{name} ({side})")
    icd = signing.locator('input[name="icd_codes"]')
    expect(icd.first).to_be_visible()
    icd.first.check()
    screenshot(page, "5-note-draft")
    check_page(page)
    signing.get_by_role("button", name="Sign the note").click()
    summary = page.locator("#sign-confirm")  # signing shows what it signs first (issue 12)
    expect(summary).to_contain_text("CPT 20553")
    expect(summary).to_contain_text("81% of the weight-based maximum")
    summary.get_by_role("button", name="Confirm and sign").click()
    signed = page.get_by_text(re.compile(r"^Signed by "))
    expect(signed).to_be_visible()
    expect(signed).to_contain_text("CPT 20553 (3 muscles)")
    expect(steps_nav(page).get_by_role("link", name="✓ Note")).to_be_visible()
    expect(page.locator(".visit-head .state")).to_have_text("Signed")
    screenshot(page, "5-note-signed")
    check_page(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download PDF").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    pdf = artifacts / f"{request.node.name}-note.pdf"
    download.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF")
    text = pdf_text(pdf)
    for _, side, name in examined:
        assert f"{name} ({side})" in text, f"{name} missing from the PDF: {text[:2000]}"
    assert "20553" in text
    assert f"lidocaine {TOTAL_MG}.0 mg" in text, text[:3000]
    assert "Electronically signed by" in text
    verdict_words = "needs clinician review" if on_thinner else "eligible"
    assert f"Screening verdict: {verdict_words} (rules" in text, text[:3000]
    assert "A time-out confirmed patient identity, sites, side, allergies, agent" in text
    assert "{#" not in text and "#}" not in text, "template comment leaked into the note"
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1", "-singlefile", str(pdf),
             str(artifacts / "screenshots" / f"{request.node.name}-6-pdf-page1")],
            check=True, timeout=30,
        )  # fmt: skip
    check_page(page)

    # Back on the visit page: every step done, the visit signed and locked.
    assert page.goto(visit_url).ok
    expect(page.locator("ul.checklist li.done")).to_have_count(4)
    expect(page.get_by_text("This visit is signed")).to_be_visible()
    check_page(page)
