"""The pre-visit form, read with a screen reader: after a refused send, one summary at the
top announces the errors (the only role=alert) and links to each question; each error is
tied to its question (aria-describedby) and the wrong answers are marked (aria-invalid). The
0 to 10 boxes, whose border is their only edge, keep 3:1 contrast on white (WCAG 1.4.11)."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from taut import links
from taut.portal.tests.test_intake import answers, visit  # noqa: F401 (a fixture)

STATIC = Path(django_settings.BASE_DIR) / "taut" / "static" / "taut"


class Elements(HTMLParser):
    """Every start tag's attributes, and each id'd element's text."""

    def __init__(self, html):
        super().__init__()
        self.tags, self.text, self._open = [], {}, []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag not in ("input", "br", "img", "meta", "link"):
            self._open.append(attrs.get("id"))
            if attrs.get("id"):
                self.text[attrs["id"]] = ""

    def handle_endtag(self, tag):
        if tag not in ("input", "br", "img", "meta", "link") and self._open:
            self._open.pop()

    def handle_data(self, data):
        for element in self._open:
            if element:
                self.text[element] += data

    def by_id(self, element_id):
        return next(attrs for _, attrs in self.tags if attrs.get("id") == element_id)

    def all(self, tag, **wanted):
        return [
            attrs
            for name, attrs in self.tags
            if name == tag and all(attrs.get(k) == v for k, v in wanted.items())
        ]


@pytest.fixture
def refused(client, visit):  # noqa: F811
    """The questions sent with no side, no worst pain and no reason."""
    url = reverse("portal:intake", kwargs={"token": links.intake_token(visit)})
    data = {**answers(), "index_side": "", "nrs_worst": "", "reason": ""}
    response = client.post(url, data)
    assert response.status_code == 400
    return Elements(response.content.decode())


def test_it_announces_the_errors_once_in_a_summary_at_the_top(refused):
    alerts = [attrs for _, attrs in refused.tags if attrs.get("role") == "alert"]
    assert len(alerts) == 1 and alerts[0]["id"] == "error-summary"
    summary = refused.text["error-summary"]
    assert "Please check your answers" in summary and "Nothing has been sent yet" in summary


def test_it_links_the_summary_to_each_question_in_page_order(refused):
    targets = [a["href"] for a in refused.all("a") if a.get("href", "").startswith("#id_")]
    assert targets == ["#id_reason", "#id_index_side_0", "#id_nrs_worst_0"]
    for target in targets:
        refused.by_id(target[1:])  # each link lands on something on the page


def test_it_ties_a_choice_questions_error_to_the_group_and_marks_its_choices(refused):
    group = next(
        attrs
        for attrs in refused.all("fieldset")
        if "id_index_side_error" in attrs.get("aria-describedby", "")
    )
    assert "field-error" in group["class"]
    assert refused.text["id_index_side_error"] == "Please choose a side."
    sides = refused.all("input", name="index_side")
    assert len(sides) == 3 and all(i.get("aria-invalid") == "true" for i in sides)
    scale = next(
        attrs
        for attrs in refused.all("fieldset")
        if "id_nrs_worst_error" in attrs.get("aria-describedby", "")
    )
    assert "id_nrs_worst_helptext" in scale["aria-describedby"]  # the 0 = … 10 = … hint
    assert "id_nrs_worst_helptext" in refused.text
    answered = refused.all("input", name="nrs_now")
    assert answered and not any("aria-invalid" in i for i in answered)


def test_it_ties_a_text_questions_error_to_its_box(refused):
    box = refused.by_id("id_reason")
    assert box.get("aria-invalid") == "true"
    assert "id_reason_error" in box["aria-describedby"].split()
    assert refused.text["id_reason_error"] == "Please tell us why you are coming."


def _hex(colour, variables):
    while colour.startswith("var("):
        colour = variables[colour[4:-1].strip().removeprefix("--")]
    return colour


def _luminance(colour):
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(one, two):
    light, dark = sorted((_luminance(one), _luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_it_draws_the_choice_boxes_with_a_border_of_at_least_3_to_1_on_white():
    variables = dict(
        re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", (STATIC / "taut.css").read_text())
    )
    rule = re.search(r"\.choice-list label \{([^}]*)\}", (STATIC / "portal-intake.css").read_text())
    border = re.search(r"border:\s*\S+\s+solid\s+([^;]+);", rule.group(1)).group(1).strip()
    assert contrast(_hex(border, variables), "#ffffff") >= 3
