"""Numbers past what a column holds are refused as field errors (400), never a 500.

Two layers: every number field of every form in Taut has bounds that fit the database
(checked from the form classes, so a new form is covered the day it is written), and each
form that reads a number, posted 99999999999999999999999, -1e30, NaN, Infinity or 2**63 in
each such field, answers 400 with that field's error and changes nothing (the database
test runs on SQLite and, in CI, on PostgreSQL). taut/lib/bounds.py explains the bounds.
"""

import functools
import importlib
import pkgutil

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.urls import reverse

import taut
from taut.audit.models import Action, AuditEvent
from taut.lib.bounds import INTEGER_MAX, INTEGER_MIN, VERSION_MESSAGE, parse_version
from taut.tests.cast import sign_in
from taut.tests.once import built_once_per_module

WRITES = [Action.CREATE, Action.UPDATE, Action.DELETE, Action.PRIVILEGE_CHANGE]
BAD_NUMBERS = ["99999999999999999999999", "-1e30", "NaN", "Infinity", str(2**63)]


@functools.cache
def _form_classes():
    for module in pkgutil.walk_packages(taut.__path__, "taut."):
        if not {"tests", "migrations", "demo"} & set(module.name.split(".")):
            importlib.import_module(module.name)
    found, todo = [], list(forms.BaseForm.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("taut.") and ".tests" not in cls.__module__:
            found.append(cls)
    return found


def _unbounded(cls, name, field):
    """Why ``field`` may let a number past its column through, or "" when it cannot."""
    if name not in cls.declared_fields and isinstance(cls, forms.models.ModelFormMetaclass):
        # A model form's own field: the model's validators (full_clean) bound it.
        model_field = cls._meta.model._meta.get_field(name)
        if isinstance(field, forms.DecimalField) and model_field.max_digits:
            return ""
        if any(isinstance(v, MaxValueValidator) for v in model_field._validators):
            return ""
        return "model field without a MaxValueValidator"
    if isinstance(field, forms.DecimalField):
        return "" if field.max_value is not None or field.max_digits else "no max_value"
    if field.min_value is None or field.max_value is None:
        return "no min_value or max_value"
    if not INTEGER_MIN <= field.min_value <= field.max_value <= INTEGER_MAX:
        return "bounds past a PostgreSQL integer"
    return ""


def test_it_bounds_every_number_field_of_every_form():
    numbers = _number_fields()
    assert len(numbers) > 40, "the walk found the forms"
    loose = [
        f"{cls.__module__}.{cls.__name__}.{name}: {why}"
        for cls, name, field in numbers
        if (why := _unbounded(cls, name, field))
    ]
    assert loose == []


def _number_fields():
    return [
        (cls, name, field)
        for cls in _form_classes()
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.IntegerField | forms.FloatField)
    ]


@pytest.mark.parametrize("raw", BAD_NUMBERS)
def test_it_refuses_each_bad_number_in_every_number_field(raw):
    """Without a database: the field refuses it, or (a model form's own field) the model's
    validators do, as the form's full_clean runs them; never another exception."""
    let_through = []
    for cls, name, field in _number_fields():
        try:
            value = field.clean(raw)
        except ValidationError:
            continue
        model = getattr(getattr(cls, "_meta", None), "model", None)
        try:
            if model is not None and name not in cls.declared_fields:
                model._meta.get_field(name).run_validators(value)
        except ValidationError:
            continue
        let_through.append(f"{cls.__name__}.{name}")
    assert let_through == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("7", 7), (7, 7), ("1", 1), (str(INTEGER_MAX), INTEGER_MAX), ("0", None), ("-3", None),
     (str(INTEGER_MAX + 1), None), *((bad, None) for bad in BAD_NUMBERS), ("seven", None),
     ("1" * 5000, None)],
)  # fmt: skip
def test_it_reads_a_posted_version_only_inside_the_column(raw, expected):
    assert parse_version(raw) == expected


# (route, URL kwargs named from the records, who posts, {posted key: form field}). Every
# form that reads a number, with each of its number fields, hidden ones included; the
# visit routes name a visit in progress (``_build``).
VISIT = {"visit_id": "VISIT"}
REFUSED = ""  # refused, with a message that names no field
FORMS = [
    ("visits:move", VISIT, "clinician",
     {"move-version": "version", "move-duration_minutes": "duration_minutes"}),
    ("visits:cancel", VISIT, "clinician", {"cancel-version": "version"}),
    # The arrival buttons' refusal is a message asking to reload, not a field error.
    ("visits:arrival", VISIT, "clinician", {"version": REFUSED}),
    ("visits:no_show", VISIT, "clinician", {"version": REFUSED}),  # (started: refused first)
    ("visits:end", VISIT, "clinician", {"version": "version"}),
    ("visits:intake", VISIT, "clinician",
     {"version": "version", "pain_months": "pain_months", "nrs_now": "nrs_now",
      "nrs_average": "nrs_average", "nrs_worst": "nrs_worst", "peg_pain": "peg_pain",
      "peg_enjoyment": "peg_enjoyment", "peg_activity": "peg_activity",
      "conservative_care_weeks": "conservative_care_weeks",
      "previous_tpi_relief": "previous_tpi_relief"}),
    ("visits:intake_review", VISIT, "clinician", {"version": REFUSED}),  # (none to review)
    ("visits:decision", VISIT, "clinician", {"version": "version"}),
    ("visits:fm_survey", VISIT, "clinician", {"version": "version", "months": "months"}),
    ("visits:exam", VISIT, "clinician", {"version": "version", "ppt": "ppt"}),
    ("visits:finding_remove", {**VISIT, "finding_id": "FINDING"}, "clinician",
     {"version": None}),
    ("visits:consent", VISIT, "clinician", {"version": "version"}),
    ("visits:time_out", VISIT, "clinician", {"version": "version"}),
    ("visits:weight", VISIT, "clinician", {"version": "version", "weight_kg": "weight_kg"}),
    ("visits:site_add", VISIT, "clinician",
     {"version": "version", "percent": "percent", "volume_ml": "volume_ml",
      "needle_gauge": "needle_gauge", "needle_length_mm": "needle_length_mm",
      "steroid_mg": "steroid_mg"}),
    ("visits:site_remove", {**VISIT, "site_id": "SITE"}, "clinician", {"version": None}),
    ("visits:other_dose_add", VISIT, "clinician", {"version": "version", "mg": "mg"}),
    ("visits:dose_reductions", VISIT, "clinician", {"version": "version"}),
    ("visits:immediate", VISIT, "clinician",
     {"version": "version", "nrs_before": "nrs_before", "nrs_after": "nrs_after"}),
    ("visits:discharge", VISIT, "clinician",
     {"version": "version", "heart_rate": "heart_rate", "systolic": "systolic",
      "diastolic": "diastolic", "spo2": "spo2"}),
    ("visits:last_steps", VISIT, "clinician", {"version": "version"}),
    ("visits:sign", VISIT, "clinician", {"version": REFUSED}),  # (nothing to sign yet)
    ("visits:schedule", {}, "front_desk", {"duration_minutes": "duration_minutes"}),
    ("patients:edit", {}, "front_desk", {"version": "version"}),
    ("patients:entry_add", {"kind": "measurements"}, "nurse",
     {"weight_kg": "weight_kg", "height_cm": "height_cm"}),
    ("accounts:clinic_settings", None, "lead",
     {"version": "version", "reconsider_after": "reconsider_after",
      "weight_window_days": "weight_window_days", "function_percent": "function_percent",
      "function_min_points": "function_min_points", "observation_minutes": "observation_minutes",
      "steroid_limit_mg": "steroid_limit_mg", "slot_minutes": "slot_minutes",
      "appointment_request_days": "appointment_request_days"}),
    ("public:request_book", {"request_id": "REQUEST"}, "front_desk",
     {"version": "version", "duration_minutes": "duration_minutes"}),
    ("public:request_dismiss", {"request_id": "REQUEST"}, "front_desk",
     {"dismiss-version": "version"}),
]  # fmt: skip


def _build(cast):
    """The visit in progress the visit routes open (one finding, one site), and a request."""
    from taut.public.tests.request_flow import make_request
    from taut.visits.tests import flow

    by = cast.clinician
    visit = flow.scheduled(cast.patient, by)
    visit = flow.consented(flow.examined(flow.with_intake(visit, by), by), by)
    flow.with_sites(visit, by, [flow.site()])
    return {
        "patient_id": cast.patient.public_id,
        "visit_id": visit.public_id,
        "finding_id": visit.findings.get().public_id,
        "site_id": visit.procedure.sites.get().public_id,
        "request_id": make_request(cast.clinic).public_id,
    }


ids, _ids_once = built_once_per_module(_build, name="ids")


def _url(name, kwargs, ids):
    if kwargs is None:
        return reverse(name)
    filled = {k: ids[v.lower() + "_id"] if v.isupper() else v for k, v in kwargs.items()}
    if name.startswith(("visits:", "patients:")):
        filled["patient_id"] = ids["patient_id"]
    return reverse(name, kwargs=filled)


def _errors(response):
    """Each bound form's field errors in the page's context, as {field: messages}."""
    found: dict[str, list] = {}
    for context in response.context or []:
        for values in context.dicts:
            for value in values.values():
                for form in value.values() if isinstance(value, dict) else [value]:
                    if isinstance(form, forms.BaseForm) and form.is_bound:
                        for field, messages in form.errors.items():
                            found.setdefault(field, []).extend(messages)
    return found


def _state():
    """Every write is audited, and the records the forms write carry a version or count."""
    from taut.accounts.models import Clinic
    from taut.patients.models import Measurement, Patient
    from taut.public.models import AppointmentRequest
    from taut.visits.models import InjectionSite, TriggerPointFinding, Visit

    return (
        AuditEvent.objects.filter(action__in=WRITES).count(),
        sorted(Visit.objects.values_list("pk", "version", "state", "arrival")),
        sorted(Clinic.objects.values_list("pk", "version")),
        sorted(Patient.objects.values_list("pk", "version")),
        sorted(AppointmentRequest.objects.values_list("pk", "version", "status")),
        [M.objects.count() for M in (Measurement, InjectionSite, TriggerPointFinding)],
    )


def test_it_refuses_numbers_past_their_column_on_every_form(client, cast, ids):
    """Each field gets another of the bad numbers, turn by turn, so each form meets several
    and every bad number meets several forms' versions; nothing is written."""
    before = _state()
    turn = 0
    for name, kwargs, role, fields in FORMS:
        sign_in(client, getattr(cast, role))
        posted = {}
        for key in fields:
            posted[key] = BAD_NUMBERS[turn % len(BAD_NUMBERS)]
            turn += 1
        response = client.post(_url(name, kwargs, ids), posted)
        assert response.status_code == 400, f"{name}: {response.status_code}"
        errors = _errors(response)
        for key, field in fields.items():
            if field is None:  # a button with no form: its refusal is the page's message
                assert VERSION_MESSAGE in response.content.decode(), name
            elif field:
                assert field in errors, f"{name}: no error on {field} ({posted[key]})"
    assert _state() == before, "a refused number changed something"
