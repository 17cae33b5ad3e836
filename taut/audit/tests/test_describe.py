"""Audit events in words: what was done, to what, for whom; facts labelled, not dumped."""

import pytest

from taut.audit.describe import describe, facts
from taut.audit.models import AuditEvent


def event(action, object_type="", **details):
    return AuditEvent(action=action, object_type=object_type, details=details)


@pytest.mark.parametrize(
    ("recorded", "name", "said"),
    [
        (event("view", "patient"), "Ana Example", "Viewed the chart of Ana Example"),
        (
            event("update", "visit", change="intake", version=4, state="intake_done"),
            "Ana Example",
            "Updated the visit (intake) for Ana Example",
        ),
        (event("create", "function_reading"), "", "Created a reading of function"),
        (event("search", "patient", searched=False), "", "Searched the patient list"),
        (
            event("update", "clinic", fields=["time_zone"]),
            "",
            "Updated the clinic settings (time zone)",
        ),
        (event("denied", "note"), "Ana Example", "Was refused the note for Ana Example"),
        # A finding may be a ligament's or a tendon's (issue 15): not "a trigger point".
        (
            event("create", "trigger_point_finding", kind="symptomatic"),
            "Ana Example",
            "Created an exam finding for Ana Example",
        ),
        (event("login_failed"), "", "Failed login"),
        (
            event("export", "reminder", change="sent"),
            "Ana Example",
            "Reminder email sent for Ana Example",
        ),
    ],
)
def test_it_describes_an_event_in_words(recorded, name, said):
    assert describe(recorded, patient_name=name) == said


def test_it_labels_facts_without_python_values():
    recorded = event(
        "create", "next_step_decision", follows_advice=True, payer_policy="L34211", note=None
    )
    assert [(f.label, f.value) for f in facts(recorded)] == [
        ("Follows the advice", "yes"),
        ("Payer policy", "L34211"),
        ("Note", "—"),
    ]


def test_it_leaves_out_what_a_listed_record_left_empty():
    """The portal card records the home link with no object: "purpose: home", never
    "object: ; purpose: home" (PostgreSQL's JSON puts "object" first)."""
    shown = [{"object": "", "purpose": "home"}, {"object": "a1", "purpose": "intake"}]
    recorded = event("view", "portal_links", links=shown, reason="")
    assert [(f.label, f.value) for f in facts(recorded)] == [
        ("Links", "purpose: home, object: a1; purpose: intake"),
        ("Reason", "—"),
    ]
