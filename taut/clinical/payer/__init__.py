"""Payer rules: may this trigger point injection session be repeated?

Policies are data (``POLICIES``, loaded from ``data/payer_policies.json``),
starting with the Medicare LCDs L34211 and L36859 (revision effective
2024-04-01) and the commercial BCBSA 2.01.103 policy as published by BCBS-MA
(604). ``repeat_eligibility`` checks a planned session against one policy and
explains every check with dates and figures. A check whose data is missing is
*unknown* (``passed=None``), never a pass, and the decision is eligible only
when every check passed.

"Anatomical region" follows the LCD definition (cervical, lumbar, scapular,
thoracic, cephalic, facial, etc. [S49]): ``AnatomicalRegion`` lists the regions
Taut uses and ``REGION_MUSCLES`` places each atlas muscle id in one. Sides do
not count: left and right trapezius are one cervical region. "Same location"
for the six-week interval is read as the same anatomical region.

**Ligament and tendon sites** (issue 15) are not trigger points: the TPI LCDs' checks read
only the muscle sites of a session (a structure has no TPI region, and a session of
structures only is not a TPI session), and ``structure_checks`` says what applies to them
instead: the contractors' tendon and ligament injection LCDs [S75], the clinic's own limit
(``Policy.structure_sites_per_session``) and, for prolotherapy, NCD 150.7 [S73].

The package's public home is ``taut.clinical.payer``: import from here, not from its
modules (``policy``: policies, regions and ``Check``; ``repeat``: the repeat rules;
``structures``: ligament and tendon sites and prolotherapy).

Sources are the ids of ``../shared/reference/clinical.md`` §9.
"""

from taut.clinical.payer.policy import (
    MUSCLE_REGION,
    POLICIES,
    REGION_MUSCLES,
    STATUSES,
    VERSION,
    AnatomicalRegion,
    Check,
    Policy,
    as_policy,
    region_label,
    region_of,
)
from taut.clinical.payer.repeat import (
    Decision,
    Followup,
    PlannedSession,
    SessionRecord,
    TreatmentHistory,
    repeat_eligibility,
)
from taut.clinical.payer.structures import NCD_150_7, STRUCTURE_LCD, structure_checks

__all__ = [
    "MUSCLE_REGION",
    "NCD_150_7",
    "POLICIES",
    "REGION_MUSCLES",
    "STATUSES",
    "STRUCTURE_LCD",
    "VERSION",
    "AnatomicalRegion",
    "Check",
    "Decision",
    "Followup",
    "PlannedSession",
    "Policy",
    "SessionRecord",
    "TreatmentHistory",
    "as_policy",
    "region_label",
    "region_of",
    "repeat_eligibility",
    "structure_checks",
]
