"""A refused write shows on its form where it belongs, with the status to answer."""

from django import forms

from taut.lib.refusals import Conflict, Invalid, Refused, show_on_form


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def test_it_puts_an_invalid_fields_message_on_that_field():
    form = NoteForm({"note": "x"})
    form.is_valid()
    status = show_on_form(form, Invalid({"note": "Too short.", "other": "Not here."}))
    assert status == 400
    assert form.errors["note"] == ["Too short."]
    assert form.non_field_errors() == ["Not here."]


def test_it_answers_a_conflict_with_409_and_a_form_wide_message():
    form = NoteForm({"note": "x"})
    form.is_valid()
    assert show_on_form(form, Conflict("Someone saved first.")) == 409
    assert form.non_field_errors() == ["Someone saved first."]


def test_it_shows_any_other_refusal_as_a_form_wide_message():
    form = NoteForm({"note": "x"})
    form.is_valid()
    assert show_on_form(form, Refused("Already acknowledged.")) == 400
    assert form.non_field_errors() == ["Already acknowledged."]
