"""One line of what a patient reads, with its source and status for the clinician.

The words are English; each is marked for the translation catalogue (``wording.gettext_noop``)
and translated where it is shown. A line with values (the emergency number, the clinic's
name) keeps its ``template`` and ``values`` too, so a page can translate the template and
fill in the same values (``Line.said``).

Sources are the ids of ``docs/clinical-rules.md`` (``shared/reference/clinical.md`` §9).
"""

from dataclasses import dataclass

VERSION = "2026.2"  # 2026.2: lines keep their template and values, for translation
POLICY = "clinic policy (not in clinical.md)"


@dataclass(frozen=True)
class Line:
    """One bullet of the handout: the patient's words, and for the clinician its source.

    ``template`` and ``values``: the words before the values were filled in (empty for a
    line without values, whose ``text`` is its own template)."""

    text: str
    source: str
    status: str
    template: str = ""
    values: tuple[tuple[str, str], ...] = ()

    @classmethod
    def said(cls, template: str, source: str, status: str, **values: str) -> "Line":
        """A line whose words have ``{name}`` places for ``values``.

        Not a rule: how a line keeps its words for translation."""
        return cls(
            template.format(**values), source, status, template, tuple(sorted(values.items()))
        )
