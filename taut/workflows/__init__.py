"""Workflows: what one act of a person does across several apps, written in one place.

The apps form a tree of dependencies (``docs/architecture.md``); an earlier app never
reaches a later one. When an act touches several apps (signing a note schedules the
follow-up check-ins and queues their reminders), the composition lives here, as a plain
function a reader finds from the call site (grep, a type checker), running the apps'
services in one transaction. Views, commands and the demo call these; no app below does
(docs/decisions/0009-workflows.md).

- ``notes``: signing a note (check-ins, their reminders, the payer history the note states),
  the note page's and PDF's outcome parts.
- ``booking``: booking a visit (the pre-visit intake email).
- ``followup``: recording a check-in (an email to the clinic for each alert it raises).
- ``intake``: a patient's pre-visit intake (an alert for each answer that needs a call, an
  emergency as urgent, and an email to the clinic for each).
- ``portal``: a patient's new portal password (an email telling them).
- ``pages``: the sections later apps add to the patient chart and the worklist.
"""
