"""The self-check "Could trigger point injections help me?": clear errors for missing
answers, the outcome first (an emergency alone, with no appointment button), the clinic's
phone on every outcome, and the answers carried to the appointment request in a signed
token, posted and never in a URL. Nothing is stored."""

import re

import pytest
from django.core import signing
from django.urls import reverse

from taut.accounts.models import Clinic
from taut.audit.models import AuditEvent
from taut.clinical import patient_education as education
from taut.public.forms import red_flag_field_name
from taut.public.models import AppointmentRequest

SALT = "taut.public.selfcheck"


def url(lang="en"):
    return reverse("public:selfcheck", kwargs={"clinic_slug": "test", "lang": lang})


def post_data(*, regions=("low_back",), duration="over_3_months", tried=("massage",), yes=()):
    data = {"regions": list(regions), "duration": duration, "tried": list(tried)}
    for question in education.SELFCHECK_RED_FLAGS:
        data[red_flag_field_name(question.id)] = "yes" if question.id in yes else "no"
    return data


@pytest.fixture
def clinic(cast):
    Clinic.objects.filter(pk=cast.clinic.pk).update(phone="555-0100")
    cast.clinic.refresh_from_db()
    return cast.clinic


def request_button(page: str) -> tuple[str, str] | None:
    """The "Ask for an appointment" form: where it posts, and the answers token it posts."""
    found = re.search(
        r'<form method="post" action="(/c/test/\w\w/appointment-request/)">(.*?)</form>',
        page,
        re.DOTALL,
    )
    if not found:
        return None
    fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', found[2]))
    assert fields["start"] == "1" and "csrfmiddlewaretoken" in fields
    assert re.search(r'<button type="submit"[^>]*>[^<]+</button>', found[2])
    return found[1], fields["answers"]


def answers_of(page: str) -> dict:
    button = request_button(page)
    assert button, "no appointment request button"
    return signing.loads(button[1], salt=SALT, max_age=86400)


def test_it_asks_the_questions_without_sign_in(client, clinic):
    response = client.get(url())
    assert response.status_code == 200
    page = response.content.decode()
    for choice in education.SELFCHECK_AREAS:
        assert choice.label in page
    for question in education.SELFCHECK_RED_FLAGS:
        assert question.patient_text.replace("'", "&#x27;") in page
    assert page.count('type="radio"') == 2 * len(education.SELFCHECK_RED_FLAGS) + len(
        education.DURATIONS
    )


def test_it_names_each_missing_answer(client, clinic):
    data = post_data()
    del data["regions"], data["duration"], data[red_flag_field_name("back.fever")]
    response = client.post(url(), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please check your answers" in page
    assert "Choose at least one place where it hurts." in page
    assert "Choose how long it has hurt." in page
    assert page.count("Please answer yes or no.") == 1
    assert 'aria-describedby="id_regions_helptext id_regions_error"' in page


def test_it_refuses_nothing_with_other_choices_and_unknown_values(client, clinic):
    page = client.post(url(), post_data(tried=("nothing", "massage"))).content.decode()
    assert "“Nothing yet” cannot go with other choices." in page
    response = client.post(url(), post_data(regions=("moon",)))
    assert response.status_code == 400


def test_it_gives_errors_in_spanish(client, clinic):
    response = client.post(url("es"), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Elija al menos un lugar donde le duele." in page
    assert "Por favor, responda sí o no." in page


def test_it_puts_an_emergency_first_and_alone_without_an_appointment_button(client, clinic):
    data = post_data(yes=("back.bladder_bowel", "back.fever"), tried=("nothing",))
    response = client.post(url(), data)
    assert response.status_code == 200
    page = response.content.decode()
    main = page[page.index('<main id="main"') :]
    first = main.index('<h1 id="outcome-heading">Get help now</h1>')
    assert first < main.index("Why we say this")
    assert 'data-outcome="emergency"' in main
    assert "Call 911 now." in main and 'href="tel:911"' in main
    assert "appointment-request" not in page and request_button(page) is None
    assert 'href="tel:555-0100"' in page  # the clinic's phone too, after the emergency
    assert main.index('href="tel:911"') < main.index('href="tel:555-0100"')


@pytest.mark.parametrize(
    ("data", "kind", "heading"),
    [
        (post_data(yes=("neck.fever",)), "see_doctor_soon", "Please see a doctor soon"),
        (post_data(duration="under_6_weeks"), "not_first_step", "Try other care first"),
        (post_data(), "worth_discussing", "This may be worth talking about"),
    ],
)
def test_it_offers_the_phone_and_an_appointment_for_other_outcomes(
    client, clinic, data, kind, heading
):
    page = client.post(url(), data).content.decode()
    assert f'data-outcome="{kind}"' in page and heading in page
    assert 'href="tel:555-0100"' in page
    assert "?answers=" not in page
    assert "Ask for an appointment</button>" in page
    answers = answers_of(page)
    assert education.selfcheck(answers).kind == kind
    assert answers["regions"] == ["low_back"]


def test_it_says_what_usually_comes_first(client, clinic):
    page = client.post(url(), post_data(tried=("nothing",))).content.decode()
    assert "What usually comes first" in page
    for step in education.FIRST_STEPS:
        assert step.text in page


def test_it_round_trips_the_answers_through_the_token(client, clinic):
    data = post_data(regions=("neck_posterior_lower", "calf"), yes=("back.trauma",))
    response = client.post(url(), data)
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"
    page = response.content.decode()
    answers = answers_of(page)
    assert answers == {
        "regions": ["neck_posterior_lower", "calf"],
        "duration": "over_3_months",
        "tried": ["massage"],
        "red_flags": {q.id: q.id == "back.trauma" for q in education.SELFCHECK_RED_FLAGS},
    }
    assert education.selfcheck_summary(answers)[0].startswith("Self-check outcome: See a doctor")
    with pytest.raises(signing.BadSignature):
        signing.loads(request_button(page)[1], salt="another purpose")


def test_it_posts_the_token_to_the_request_form_which_attaches_it(client, clinic):
    """The button's post shows the blank request form with the answers attached, and the
    request sent from it stores them; no address along the way carries them."""
    page = client.post(url(), post_data(regions=("calf",))).content.decode()
    action, token = request_button(page)
    form = client.post(action, {"start": "1", "answers": token})
    assert form.status_code == 200
    html = form.content.decode()
    assert "Your self-check answers will be sent" in html and "Please check" not in html
    assert not AppointmentRequest.objects.exists()
    sent = client.post(action, {
        "given_name": "Ines", "family_name": "Valdoria", "date_of_birth": "1975-02-03",
        "phone": "555 010 2222", "language": "en", "preferred_time": "any", "consent": "on",
        "answers": token,
    })  # fmt: skip
    assert sent.status_code == 302 and "answers" not in sent["Location"]
    assert AppointmentRequest.objects.get().answers["regions"] == ["calf"]


def test_it_shows_the_result_in_spanish(client, clinic):
    page = client.post(url("es"), post_data(yes=("neck.vascular",))).content.decode()
    assert '<html lang="es">' in page
    assert "Pida ayuda ahora" in page and "Llame al 911 ahora." in page
    page = client.post(url("es"), post_data()).content.decode()
    assert request_button(page)[0] == "/c/test/es/appointment-request/"
    assert "Pida una cita</button>" in page


def test_it_stores_nothing(client, clinic, django_assert_max_num_queries):
    """No write: the answers live only in the page and the signed link."""
    before = AuditEvent.objects.count()
    with django_assert_max_num_queries(2):
        client.post(url(), post_data(yes=("neck.fever",)))
    assert AuditEvent.objects.count() == before
