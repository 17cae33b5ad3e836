"""The shared field template ties help and errors to their input for screen readers."""

import re

from django import forms
from django.template.loader import render_to_string


class AgeForm(forms.Form):
    age = forms.IntegerField(help_text="In whole years.")
    side = forms.ChoiceField(choices=[("l", "Left"), ("r", "Right")], widget=forms.RadioSelect)


def render(data):
    form = AgeForm(data)
    form.is_valid()
    return render_to_string("_field.html", {"field": form["age"]}), form


def test_it_points_the_input_at_its_help_and_its_error():
    html, _ = render({"age": "old"})
    described = re.search(r'aria-describedby="([^"]+)"', html).group(1).split()
    assert described == ["id_age_helptext", "id_age_error"]
    for target in described:
        assert f'id="{target}"' in html
    assert 'aria-invalid="true"' in html


def test_it_leaves_announcing_to_the_forms_one_summary():
    html, _ = render({"age": "old"})
    assert 'role="alert"' not in html


def test_it_describes_a_group_of_radios_by_its_error():
    form = AgeForm({"age": "3"})
    form.is_valid()
    html = render_to_string("_field.html", {"field": form["side"]})
    assert 'aria-describedby="id_side_error"' in html and 'id="id_side_error"' in html
