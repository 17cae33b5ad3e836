"""What applies to ligament and tendon sites instead of the TPI LCDs, and to prolotherapy
(issue 15): ``structure_checks``.

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from collections.abc import Iterable

from taut.clinical import atlas
from taut.clinical.payer.policy import Check, Policy, _site_label, as_policy

# -- Ligament and tendon sites (issue 15) ---------------------------------------

STRUCTURE_LCD = (
    "Medicare contractors cover injections of tendon sheaths, tendon origins and insertions "
    "and ligaments under their own LCDs (e.g. L34076, with billing article A52863), not the "
    "TPI LCDs: for pain or dysfunction from inflammation or another pathological change, "
    "short-term, as part of an overall plan with a diagnosis, and reassessed after one to "
    "three injections"
)
NCD_150_7 = (
    "Medicare does not cover prolotherapy, joint sclerotherapy or ligamentous injections with "
    "sclerosing agents (NCD 150.7, formerly CIM 35-13): not reasonable and necessary"
)


def _structure_sites(sites: object) -> tuple[tuple[str, str], ...]:
    if isinstance(sites, str) or not isinstance(sites, Iterable):
        raise ValueError(f"sites: pass a list of site ids or (site id, side) pairs, not {sites!r}")
    found: dict[tuple[str, str], None] = {}
    for index, site in enumerate(sites):
        if isinstance(site, str):
            site_id, side = site, ""
        elif isinstance(site, tuple | list) and len(site) == 2:
            site_id, side = site
        else:
            raise ValueError(f"sites[{index}]: expected a site id or (site id, side), got {site!r}")
        if not isinstance(site_id, str) or site_id not in atlas.SITES:
            raise ValueError(f"sites[{index}]: unknown atlas site {site_id!r}")
        if site_id in atlas.STRUCTURES:
            found[(site_id, str(side))] = None
    return tuple(found)


def structure_checks(
    sites: Iterable[str | tuple[str, str]], *, prolotherapy: bool, policy: Policy | str
) -> tuple[Check, ...]:
    """What applies to a session's ligament and tendon sites instead of the TPI LCDs, and to
    prolotherapy; empty when the session has neither.

    ``sites``: atlas site ids or (site id, side) pairs; muscles are left to
    ``repeat_eligibility``. Checks: ``structure_rules`` (passed; the TPI LCDs cover trigger
    points, the tendon and ligament injection LCDs [S75] apply instead); ``structure_limit``
    (the clinic's ``policy.structure_sites_per_session``, distinct site and side; None: no
    limit); ``prolotherapy`` (failed: NCD 150.7 [S73]; commercial policies call it
    investigational [S74]).
    Source: [S49], [S50] (TPI LCDs), [S75] (L34076, A52863), [S73] (NCD 150.7), [S74].
    Status: secondary; the clinic limit is clinic policy (unverified).
    """
    policy = as_policy(policy)
    if not isinstance(prolotherapy, bool):
        raise ValueError(f"prolotherapy: expected True or False, got {prolotherapy!r}")
    found = _structure_sites(sites)
    checks = []
    if found:
        names = ", ".join(
            f"{_site_label(site)}{f' ({side})' if side else ''}" for site, side in found
        )
        checks.append(
            Check(
                "structure_rules",
                True,
                f"{names}: ligament and tendon sites, coded 20550/20551"
                f"{' (prolotherapy: M0076 instead [S74])' if prolotherapy else ''}. The TPI "
                f"LCDs' limits (sessions a year, interval, relief, one region) are for trigger "
                f"points and do not count them. {STRUCTURE_LCD}.",
                "[S49], [S50], [S75], [S74]" if prolotherapy else "[S49], [S50], [S75]",
                "secondary",
            )
        )
        limit = policy.structure_sites_per_session
        if limit is None:
            text = "The clinic sets no limit on ligament and tendon sites in one session."
            checks.append(Check("structure_limit", True, text, "", "unverified"))
        else:
            count = len(found)
            text = (
                f"{count} ligament and tendon site{'s' if count != 1 else ''} in this session; "
                f"the clinic's policy allows {limit}."
            )
            checks.append(
                Check("structure_limit", count <= limit, text, "clinic policy", "unverified")
            )
    if prolotherapy:
        checks.append(
            Check(
                "prolotherapy",
                False,
                f"Prolotherapy recorded. {NCD_150_7}. Commercial policies call it "
                "investigational; check the payer's policy and tell the patient before the "
                "session.",
                "[S73], [S74]",
                "secondary",
            )
        )
    return tuple(checks)
