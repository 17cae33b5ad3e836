"""The visit: intake and screening, the trigger point exam, the consented procedure with
its dose guard, and the signed note. One workflow with one state machine, so one app
(docs/decisions/0005-one-visit-app.md)."""
