"""What an audit event means, in words a clinic lead reads: "Updated the visit (intake) for
Ana Example" rather than ``update visit {'change': 'intake', 'version': 4}``.

Events hold identifiers and structured facts only (``taut.audit.models``); this module turns
them into a sentence and a list of labelled facts. The patient's name is passed in by the
caller that may read it (the audit log page reads names through the patient gate).
"""

from dataclasses import dataclass

from taut.audit.models import Action, AuditEvent

# The things events are about, as a person names them. Unlisted types read with spaces.
OBJECT_LABELS = {
    "patient": "the chart",
    "fhir_export": "a FHIR bulk export",
    "checkin": "a check-in",
    # A muscle's trigger point or, since issue 15, a ligament or tendon site's findings.
    "trigger_point_finding": "an exam finding",
    "screening_decision": "the screening decision",
    "pain_drawing": "a pain drawing",
    "outcomes_summary": "the outcomes summary",
    "next_step_worklist": "the next-step worklist",
    "next_step_decision": "the next-step decision",
    "function_reading": "a reading of function",
    "aftercare_instructions": "the aftercare instructions",
    "printed_document": "a stored PDF",
    "reminder_worklist": "the reminders worklist",
    "injection_site": "an injection site",
    "time_out": "the time-out",
    "fibromyalgia_survey": "the fibromyalgia survey",
    "portal_login": "a portal sign-in",
    "portal_link": "a portal link",
    "portal_home": "the patient's portal page",
    "audit_log": "the audit log",
    "user": "a staff account",
    "clinic": "the clinic settings",
    "appointment_request": "an appointment request",
    "appointment_requests": "the appointment requests to call back",
    # An app a clinic lead connected (taut.smart): registered, revoked, authorized by staff.
    "connected_app": "a connected app",
}
# Facts worth a label; others are shown with spaces for underscores.
FACT_LABELS = {
    "change": "What changed",
    "fields": "Fields",
    "version": "Version",
    "state": "State",
    "verdict": "Verdict",
    "searched": "Searched by name",
    "results": "Results",
    "page": "Page",
    "rule_version": "Rule version",
    "follows_advice": "Follows the advice",
    "payer_policy": "Payer policy",
    "reasons_covered": "Reasons covered",
}


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


def words(value: str) -> str:
    """An identifier-like value in words: ``needs_review`` → "needs review"."""
    return value.replace("_", " ")


def object_label(object_type: str) -> str:
    if not object_type:
        return ""
    return OBJECT_LABELS.get(object_type, f"the {words(object_type)}")


def fact_value(value: object) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return ", ".join(fact_value(item) for item in value) or "—"
    if isinstance(value, dict):
        # A key with nothing recorded (None, "") is left out: "purpose: home", not "object: ;"
        shown = [(k, v) for k, v in value.items() if v not in (None, "")]
        return "; ".join(f"{words(str(k))}: {fact_value(v)}" for k, v in shown) or "—"
    return words(str(value)) or "—"


def facts(event: AuditEvent) -> list[Fact]:
    """The event's recorded facts, each with a label."""
    details = event.details if isinstance(event.details, dict) else {}
    return [
        Fact(FACT_LABELS.get(key, words(key).capitalize()), fact_value(value))
        for key, value in details.items()
    ]


def describe(event: AuditEvent, *, patient_name: str = "") -> str:
    """One sentence: what was done, to what, and for which patient (when named)."""
    action = Action(event.action) if event.action in Action.values else None
    verb = action.label if action else words(event.action).capitalize()
    details = event.details if isinstance(event.details, dict) else {}
    if action in (Action.LOGIN, Action.LOGOUT, Action.LOGIN_FAILED):
        return verb
    thing = object_label(event.object_type)
    change = details.get("change")
    if event.object_type == "reminder" and isinstance(change, str) and change:
        # The worker's sends: "export" when it went out, "update" for the rest.
        text = f"Reminder email {words(change)}"
        return f"{text} for {patient_name}" if patient_name else text
    if event.object_type == "patient" and action is Action.SEARCH:
        thing = "the patient list"
    if action is Action.DENIED:
        text = f"Was refused {thing or 'a page'}"
    else:
        text = f"{verb} {thing}".strip()
    if isinstance(change, str) and change:
        text += f" ({words(change)})"
    elif isinstance(details.get("fields"), list) and details["fields"]:
        text += f" ({fact_value(details['fields'])})"
    if patient_name and event.object_type != "patient":
        text += f" for {patient_name}"
    elif patient_name:
        text += f" of {patient_name}"
    return text
