"""A Spanish-speaking patient does the pre-visit intake on a phone (375×812): opens the link
the clinic sent, switches the page to Español, answers one group of questions per screen,
marks where it hurts with the keyboard and by touch, and sends it. Every screen is in
Spanish and passes axe-core's WCAG 2.1 A and AA checks."""

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_portal_intake import BACK, INSIDE, intake_link, schedule_visit

pytestmark = pytest.mark.browser

SCREENS = 11  # groups of questions; the body map is step 12
ENTRY = "Su lado derecho: Parte de arriba de la cabeza"  # the map's first place (atlas.bodymap.arrows.ENTRY)


def shown(page, selector):
    return page.locator(f"[data-step]:not([hidden]) {selector}")


def tap_label(page, field, value):
    box = shown(page, f'label[for="id_{field}_{value}"]')
    box.scroll_into_view_if_needed()
    box.tap()
    expect(page.locator(f"#id_{field}_{value}")).to_be_checked()


def answer_no_on_this_screen(page):
    for radio in shown(page, 'input[type=radio][value="no"]').all():
        name = radio.get_attribute("name")
        if not page.locator(f'input[name="{name}"]:checked').count():
            radio.check()


def test_a_spanish_speaking_patient_does_the_intake_and_pain_drawing_in_spanish(
    new_page, login, check_page, screenshot
):
    staff = new_page()
    login(staff, "clinician")
    patient_id, visit_id = schedule_visit(staff, check_page)

    phone = new_page(375, 812, has_touch=True, is_mobile=True)
    check_page(phone, phone.goto(intake_link(patient_id, visit_id)))
    phone.get_by_role("link", name="Español").tap()  # kept for the portal's pages
    expect(phone.locator("html")).to_have_attribute("lang", "es")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Antes de su visita")
    expect(phone.locator("[data-intro]")).to_contain_text("Su visita es el")

    status = phone.locator("[data-step-status]")
    next_button = phone.locator(".intake-step-nav .primary")
    for step in range(1, SCREENS + 1):
        expect(status).to_have_text(f"Paso {step} de 12")
        if step == 1:
            phone.get_by_label("¿Cuál es el motivo principal de su visita?").fill(
                "Dolor en el cuello y el hombro que no me deja dormir"
            )
        elif step == 2:
            where = phone.get_by_label("¿Dónde está su dolor principal?")
            where.select_option("shoulder_top")
            expect(where.locator("option:checked")).to_have_text("Parte de arriba del hombro")
            tap_label(phone, "index_side", 0)
            phone.get_by_label("¿Cuántos meses lleva con este dolor?").fill("8")
        elif step == 3:
            for field, score in (("nrs_now", 6), ("nrs_average", 5), ("nrs_worst", 8)):
                tap_label(phone, field, score)
        elif step == 4:
            for field, score in (("peg_pain", 5), ("peg_enjoyment", 6), ("peg_activity", 4)):
                tap_label(phone, field, score)
        elif step == 10:
            phone.get_by_label("¿Cuántas semanas en total los ha probado?").fill("10")
        elif step == 11:
            phone.locator("#id_goal_1").fill("Dormir toda la noche")
        answer_no_on_this_screen(phone)
        assert violations(phone) == [], f"step {step}"
        if step in (2, 5, 11):
            screenshot(phone, f"es-step-{step}")
        if step < SCREENS:
            expect(next_button).to_have_text("Siguiente")
        next_button.tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Muestre dónde le duele")
    assert violations(phone) == [], "body map"
    # Keyboard: the skip link to the map, Space marks the first place, an arrow moves and a
    # digit marks the next one with that strength; a screen reader hears it in Spanish.
    phone.get_by_role("link", name="Ir al mapa del cuerpo").focus()
    phone.keyboard.press("Enter")
    first = phone.locator(".region:focus")
    expect(first).to_have_count(1)
    phone.keyboard.press("Space")
    expect(first).to_have_attribute("aria-checked", "true")
    expect(first).to_have_attribute("aria-label", f"{ENTRY}, dolor 5 de 10")
    phone.keyboard.press("ArrowDown")
    second = phone.locator(".region:focus")
    phone.keyboard.press("7")
    expect(second).to_have_attribute("aria-checked", "true")
    assert second.get_attribute("aria-label").endswith(", dolor 7 de 10")
    # Touch: a tap on the back of the left shoulder.
    shape = phone.locator(BACK).locator('.region[data-key="shoulder_top:left"]')
    shape.scroll_into_view_if_needed()
    point = shape.evaluate(INSIDE)
    assert point
    phone.touchscreen.tap(*point)
    expect(shape).to_have_attribute("aria-checked", "true")
    expect(phone.locator("[data-marked-count]")).to_have_text("3")
    phone.get_by_text("O elija de una lista de partes del cuerpo").tap()
    phone.locator(".marks-group summary", has_text="Hombros y parte alta de la espalda").tap()
    listed = phone.locator(".marks-list").get_by_role(
        "checkbox", name="Su lado izquierdo: Parte de arriba del hombro", exact=True
    )
    expect(listed).to_be_checked()
    assert violations(phone) == [], "body map with the list open"
    screenshot(phone, "es-drawing")
    phone.get_by_role("button", name="Enviar mis respuestas").tap()

    expect(phone.get_by_role("heading", level=1)).to_have_text("Gracias")
    expect(phone.get_by_role("heading", name="Qué pasa después")).to_be_visible()
    expect(phone.get_by_text("Alguien del equipo de la clínica leerá")).to_be_visible()
    assert violations(phone) == [], "thank-you page"
    screenshot(phone, "es-thank-you")
    check_page(phone)

    # Staff read the same answers in English, with the places' clinical names.
    check_page(staff, staff.goto(f"/patients/{patient_id}/visits/{visit_id}/intake/"))
    expect(staff.locator(".patient-report")).to_contain_text("Reported by the patient on")
    expect(staff.locator("html")).to_have_attribute("lang", "en")
