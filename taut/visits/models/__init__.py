from taut.visits.models.exam import TriggerPointFinding
from taut.visits.models.intake import FibromyalgiaSurvey, Goal, Intake, ScreeningDecision
from taut.visits.models.printing import PrintedDocument
from taut.visits.models.procedure import Addendum, Consent, InjectionSite, Note, Procedure, TimeOut
from taut.visits.models.visit import Visit

__all__ = [
    "Addendum",
    "Consent",
    "FibromyalgiaSurvey",
    "Goal",
    "InjectionSite",
    "Intake",
    "Note",
    "PrintedDocument",
    "Procedure",
    "ScreeningDecision",
    "TimeOut",
    "TriggerPointFinding",
    "Visit",
]
