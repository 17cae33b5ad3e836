"""The clinic's own evidence: responder rates, durability of relief, safety, payer and
process figures and goals across its signed sessions, a printable report, and a
de-identified export for research and quality work (issue 17)."""
