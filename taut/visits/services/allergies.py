"""The allergy guard of the procedure (issue 11, point 1).

Two checks, each raising ``Blocked`` with the reason a clinician reads:

* ``require_mapped_allergies``: a free-text chart allergy that looks like a local anaesthetic
  blocks starting the procedure, recording a site and signing until a clinician maps it;
* ``check_recorded_sites``: signing is refused while a recorded site conflicts with an
  allergy added since;
* ``check_site_allergies``: a site whose solution conflicts with the patient's allergens
  (by class, or by excipient: parabens in multi-dose vials, sulfites with epinephrine) is
  refused. An amide conflict is allowed only after a clinician has overridden a screening
  verdict that names the amide allergy (``allergy_amide``), e.g. after allergy testing.
"""

from taut.clinical import dosing
from taut.patients.allergy_queries import unmapped_reason
from taut.visits import queries
from taut.visits.allergy_queries import amide_override
from taut.visits.models import InjectionSite, ScreeningDecision, Visit
from taut.visits.services.common import Blocked


def require_mapped_allergies(visit: Visit) -> None:
    """Refuse while an anaesthetic-looking free-text allergy is not mapped."""
    why = unmapped_reason(visit.patient)
    if why:
        raise Blocked(why)


def check_site_allergies(visit: Visit, site: InjectionSite) -> ScreeningDecision | None:
    """Refuse an anaesthetic site that conflicts with the patient's allergens; return the
    override that allowed an amide conflict, if one did (audited with the site)."""
    if site.kind != InjectionSite.Kind.ANAESTHETIC:
        return None
    solution = dosing.Solution(
        dosing.Agent(site.agent), bool(site.epinephrine), bool(site.preservative_free)
    )
    conflicts = dosing.solution_conflicts(solution, allergens=queries.anaesthetic_allergies(visit))
    if not conflicts:
        return None
    override = amide_override(visit) if all(c.overridable for c in conflicts) else None
    if override is None:
        raise Blocked(
            " ".join(c.text for c in conflicts)
            + " (Source: "
            + "; ".join(dict.fromkeys(c.source for c in conflicts))
            + ".)"
        )
    return override


def check_recorded_sites(visit: Visit) -> None:
    """Before signing: refuse while a recorded site conflicts with the patient's allergens as
    they stand now (an allergy added to the chart after the site was recorded)."""
    procedure = getattr(visit, "procedure", None)
    if procedure is None:
        return
    for site in procedure.sites.all():
        try:
            check_site_allergies(visit, site)
        except Blocked as error:
            raise Blocked(
                f"A recorded site conflicts with an allergy: {error} Remove the site or "
                "record the decision before signing."
            ) from None
