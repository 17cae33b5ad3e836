"""The confirmations an injection site needs before it is recorded: the risk of a
landmark-guided needle at a high-risk site, the reason for injecting a muscle without a
confirmed active trigger point, and the reason for a steroid at a tendon the atlas says takes
none (``taut.clinical.site_checks``)."""

from taut.visits import sites
from taut.visits.models import InjectionSite, Visit
from taut.visits.services.common import VisitInvalid


def require_site_needs(*, visit: Visit, site: InjectionSite) -> None:
    """Refuse ``site`` (field by field, with the rule's reasons) until the clinician has
    confirmed a high-risk landmark site, given the reason for a muscle without an active
    trigger point, and the reason for a steroid at a tendon the atlas says takes none (the
    Achilles insertion, the patellar tendon). Ultrasound guidance needs no risk
    confirmation; dry needling no point reason. Nothing is saved while a field is missing."""
    if visit.locked:
        return  # the write refuses a closed visit as closed (touch_visit), not as a form
    needs = sites.needs_for(visit, site)
    errors = {}
    texts = iter(needs.texts)
    if needs.confirm_risk:
        text = next(texts)
        if not site.high_risk_confirmed:
            errors["high_risk_confirmed"] = text
    else:
        site.high_risk_confirmed = False  # nothing to confirm: never on the note
    if needs.point_reason:
        text = next(texts)
        site.point_reason = site.point_reason.strip()
        if not site.point_reason:
            errors["point_reason"] = text
    if needs.steroid_reason:
        text = next(texts)
        site.steroid_site_reason = site.steroid_site_reason.strip()
        if not site.steroid_site_reason:
            label = InjectionSite._meta.get_field("steroid_site_reason").verbose_name
            errors["steroid_site_reason"] = f"“{label}” is required here. {text}"
    else:
        site.steroid_site_reason = ""  # nothing to explain: never on the note
    if errors:
        raise VisitInvalid(errors)
