"""The hazard log (docs/safety/hazard-log.md) names, for every control, the test that proves
it: each named test must exist, and every hazard the clinical safety case must cover is in
the log with at least one control and its test."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOG = ROOT / "docs" / "safety" / "hazard-log.md"
#: ``path/to/test_file.py::test_name`` in backticks.
REFERENCE = re.compile(r"`((?:taut|tests)/[\w/]+\.py)::(\w+)`")
HAZARD = re.compile(r"^## (H\d+)\. (.+)$", re.MULTILINE)

#: The hazards issue 11 requires the log to cover (DCB0129-style), by the words of their title.
REQUIRED = (
    "wrong dose",
    "missed allergy",
    "missed red flag",
    "lapsed decision",
    "missed emergency",
    "wrong code",
    "wrong repeat advice",
    "wrong patient",
    "lost data",
)


def _sections() -> dict[str, str]:
    text = LOG.read_text()
    heads = list(HAZARD.finditer(text))
    return {
        f"{m.group(1)}. {m.group(2)}": text[
            m.end() : heads[i + 1].start() if i + 1 < len(heads) else len(text)
        ]
        for i, m in enumerate(heads)
    }


def _references() -> list[tuple[str, str]]:
    return sorted(set(REFERENCE.findall(LOG.read_text())))


def test_it_covers_every_required_hazard_with_a_tested_control():
    sections = _sections()
    titles = {title.lower(): body for title, body in sections.items()}
    for hazard in REQUIRED:
        bodies = [body for title, body in titles.items() if hazard in title]
        assert bodies, f"the hazard log has no section for {hazard!r}"
        assert any(REFERENCE.search(body) for body in bodies), f"{hazard!r} names no test"


def test_it_names_a_residual_risk_for_every_hazard():
    for title, body in _sections().items():
        assert "Residual risk" in body, f"{title} states no residual risk"


@pytest.mark.parametrize(("path", "name"), _references())
def test_every_test_the_log_names_exists(path, name):
    source = ROOT / path
    assert source.is_file(), f"{path} does not exist"
    assert re.search(rf"^(?:async )?def {name}\(", source.read_text(), re.MULTILINE), (
        f"{path} has no test {name}"
    )


def test_it_checks_a_real_list_of_references():
    """The pattern finds the references (a broken pattern would pass every log)."""
    assert len(_references()) >= 20
