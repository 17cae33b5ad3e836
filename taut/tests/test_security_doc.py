"""docs/security.md names the test that shows each requirement: every named test file and
test function must exist, so a renamed or deleted test fails here rather than leaving the
map pointing at nothing. No database; reads files only."""

import ast
import re
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DOCS = [ROOT / "docs" / "security.md", *sorted((ROOT / "docs" / "security").glob("*.md"))]
# `path/to/test_x.py::test_name` or a bare `test_x.py::test_name` (then under
# taut/accounts/tests/, as docs/security.md says), and bare `path/test_x.py` files.
NAMED = re.compile(r"`((?:[\w./-]+/)?test_\w+\.py)(?:::(\w+))?`")
BARE_DIR = "taut/accounts/tests"


def references(text: str) -> list[tuple[str, str | None]]:
    return [(path, name) for path, name in NAMED.findall(text)]


def resolve(path: str) -> Path:
    if "/" in path:
        return ROOT / path
    return ROOT / BARE_DIR / path


@cache
def functions(path: Path) -> frozenset[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    )


def test_it_reads_test_references_out_of_the_text():
    text = "`a/test_b.py::test_c`, `test_d.py::test_e` and `tests/browser/test_f.py`, not `b.py`"
    assert references(text) == [
        ("a/test_b.py", "test_c"),
        ("test_d.py", "test_e"),
        ("tests/browser/test_f.py", ""),
    ]


@pytest.mark.parametrize("doc", DOCS, ids=lambda doc: doc.name)
def test_every_test_the_security_docs_name_exists(doc):
    missing = []
    found = references(doc.read_text(encoding="utf-8"))
    for path, name in found:
        file = resolve(path)
        if not file.is_file():
            missing.append(path)
        elif name and name not in functions(file):
            missing.append(f"{path}::{name}")
    assert found or doc.name != "security.md"
    assert not missing, f"{doc.relative_to(ROOT)} names tests that do not exist: {missing}"


def test_the_readme_and_architecture_link_the_security_page():
    for page in ("README.md", "docs/architecture.md"):
        assert "docs/security.md" in (ROOT / page).read_text(encoding="utf-8"), page
