"""A visitor asks the demo clinic for an appointment on a phone (in English; then in
Spanish, from the self-check's result, with the answers attached), and front desk turns the
request into a registered patient and a booked visit, reading the self-check's summary.
axe-core checks the form, the "sent" page and the staff pages for WCAG 2.1 A/AA."""

import re
from datetime import datetime, timedelta

import pytest
from playwright.sync_api import expect

from tests.browser.test_accessibility import violations
from tests.browser.test_public_page import answer

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


def ask(page, lang, *, given, family, born, phone, check_page, screenshot, step, go=True):
    """Fill and send the request form (opened here unless ``go`` is false: the visitor came
    from the self-check's result, with the answers attached)."""
    if go:
        check_page(page, page.goto(f"/c/demo/{lang}/appointment-request/"))
    else:
        check_page(page)
    assert violations(page) == [], f"form ({lang})"
    screenshot(page, f"{step}-form-{lang}")
    # Nothing filled in: each error is named, linked to its field, and nothing is sent.
    submit = "Send my request" if lang == "en" else "Enviar mi solicitud"
    page.get_by_role("button", name=submit).click()
    expect(page.locator(".portal-errors")).to_be_visible()
    assert violations(page) == [], f"form with errors ({lang})"
    screenshot(page, f"{step}-errors-{lang}")
    page.problems.take()  # the 400 of the form sent empty, on purpose
    labels = {
        "en": ("First name", "Last name", "Date of birth", "Phone number", "Mornings"),
        "es": ("Nombre", "Apellido", "Fecha de nacimiento", "Número de teléfono", "Por la mañana"),
    }[lang]
    page.get_by_label(re.compile(f"^{labels[0]}")).fill(given)
    page.get_by_label(re.compile(f"^{labels[1]}")).fill(family)
    page.get_by_label(re.compile(f"^{labels[2]}")).fill(born)
    page.get_by_label(re.compile(f"^{labels[3]}")).fill(phone)
    page.get_by_label(labels[4]).check()
    page.locator("#id_consent").check()
    page.get_by_role("button", name=submit).click()
    page.wait_for_url(re.compile(rf"/c/demo/{lang}/appointment-request/sent/$"))
    html = page.content()
    for typed in (given, family, phone):
        assert typed not in html
    assert violations(page) == [], f"sent ({lang})"
    screenshot(page, f"{step}-sent-{lang}")
    check_page(page)


def test_a_visitor_requests_and_front_desk_books_it(new_page, login, check_page, screenshot):
    visitor = new_page(**PHONE)
    ask(visitor, "en", given="Wren", family="Oakhollow", born="1984-06-02",
        phone="555 010 3131", check_page=check_page, screenshot=screenshot, step="1")  # fmt: skip
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Thank you: your request was sent")
    # The Spanish visitor takes the self-check first and asks from its result.
    spanish = new_page(**PHONE)
    check_page(spanish, spanish.goto("/c/demo/es/self-check/"))
    answer(spanish, emergency=False, lang="es")
    spanish.get_by_role("button", name="Ver mi resultado").click()
    spanish.get_by_role("button", name="Pida una cita").click()
    attached = "Sus respuestas de la autoevaluación se enviarán con esta solicitud."
    expect(spanish.locator("main")).to_contain_text(attached)
    # The answers were posted: the address carries nothing of them, and the language switch
    # (a button now) takes them to the English form and back.
    assert spanish.url.endswith("/c/demo/es/appointment-request/"), spanish.url
    spanish.get_by_role("button", name="English").click()
    expect(spanish.locator("html")).to_have_attribute("lang", "en")
    expect(spanish.locator("main")).to_contain_text(
        "Your self-check answers will be sent with this request."
    )
    assert spanish.url.endswith("/c/demo/en/appointment-request/"), spanish.url
    assert violations(spanish) == [], "form with answers (en)"
    spanish.get_by_role("button", name="Español").click()
    expect(spanish.locator("main")).to_contain_text(attached)
    assert "answers" not in spanish.url
    ask(spanish, "es", go=False, given="Itzel", family="Barrancas", born="1979-11-23",
        phone="555 010 4545", check_page=check_page, screenshot=screenshot, step="2")  # fmt: skip
    expect(spanish.get_by_role("heading", level=1)).to_have_text(
        "Gracias: su solicitud fue enviada"
    )

    # Front desk sees the requests on the day list and in the top bar, then opens one.
    desk = new_page(**PHONE)
    login(desk, "frontdesk")
    nav = desk.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name=re.compile(r"^Requests"))).to_contain_text("2")
    nav.get_by_role("link", name="Today").click()
    section = desk.locator("#requests-to-call-back")
    expect(section).to_contain_text("Oakhollow, Wren")
    assert violations(desk) == [], "day list with requests"
    screenshot(desk, "3-day-list")
    check_page(desk)
    nav.get_by_role("link", name=re.compile(r"^Requests")).click()
    expect(desk.get_by_role("heading", level=1)).to_contain_text("Appointment requests")
    assert violations(desk) == [], "request list"
    screenshot(desk, "4-request-list")
    desk.get_by_role("link", name="Oakhollow, Wren").click()
    expect(desk.get_by_role("heading", level=1)).to_have_text(
        "Appointment request: Oakhollow, Wren"
    )
    assert violations(desk) == [], "request page"
    screenshot(desk, "5-request")
    check_page(desk)

    # Register the new patient and book, without retyping what the visitor sent.
    desk.get_by_label("Register as a new patient").check()
    desk.get_by_label("MRN for the new patient").fill("WEB-0001")
    desk.get_by_label("Sex (new patient)").select_option(label="Female")
    desk.get_by_label("Visit type").select_option(label="New TPI assessment")
    when = (datetime.now() + timedelta(days=40)).replace(hour=9, minute=0)
    desk.get_by_label("When").fill(when.strftime("%Y-%m-%dT%H:%M"))
    desk.get_by_role("button", name="Book the visit").click()
    expect(desk.locator(".messages")).to_contain_text("Visit booked for")
    expect(desk.locator("body")).to_contain_text("Oakhollow")
    screenshot(desk, "6-booked")
    check_page(desk)

    # The Spanish request carries the self-check, summed up for staff in English.
    desk.goto("/c/requests/")
    desk.get_by_role("link", name="Barrancas, Itzel").click()
    expect(desk.locator("main")).to_contain_text("Self-check outcome: May be worth discussing")
    expect(desk.locator("main")).to_contain_text("Red flags: none answered yes")
    screenshot(desk, "7-request-with-self-check")
    check_page(desk)

    # Handled: off the list; the Spanish request still waits.
    desk.get_by_role("navigation", name="Main").get_by_role(
        "link", name=re.compile(r"^Requests")
    ).click()
    expect(desk.locator("main")).not_to_contain_text("Oakhollow")
    expect(desk.locator("main")).to_contain_text("Barrancas, Itzel")
