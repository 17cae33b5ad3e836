"""The sections later apps add to pages an earlier app hosts.

The patient chart (``patients``) and the clinicians' worklist (``aftercare``) show sections
served by later apps. Each section is its own page (a URL name); the host loads it with htmx
from a placeholder that is also a plain link, so the host imports no later app: its view
reads these lists.
"""

# (title, URL name taking patient_id), in the order the chart shows them.
CHART_SECTIONS = [
    ("Visits", "visits:chart_section"),
    ("Pain drawings", "drawings:chart_section"),
    ("Follow-up", "aftercare:chart_section"),
    ("Outcomes", "outcomes:chart_section"),
    ("Patient portal", "portal:chart_section"),
]

# The one section every role sees, clinical or not (its card hides clinical details).
BOOKING_SECTION = ("Visits", "visits:chart_section")

# (title, URL name taking no arguments): clinic-wide sections of the worklist.
WORKLIST_SECTIONS = [
    ("Next step due", "outcomes:worklist_section"),
    ("Emails not sent", "reminders:worklist_section"),
]

# (title, URL name taking no arguments): clinic-wide sections under the day list, which every
# role sees (front desk's worklist): appointment requests from the public page to call back.
DAY_LIST_SECTIONS = [
    ("Requests to call back", "public:day_list_section"),
]
