"""The app dependency graph in docs/architecture.md holds, and taut.clinical is Django-free."""

import ast
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAUT = ROOT / "taut"
PROJECT_MODULES = {"settings", "urls", "cli", "admin_site", "wsgi", "asgi", "conftest"}


def declared_edges() -> dict[str, set[str]]:
    text = (ROOT / "docs" / "architecture.md").read_text()
    block = re.search(r"```mermaid\n(.*?)```", text, re.S).group(1)
    edges: dict[str, set[str]] = {}
    for source, target in re.findall(r"^\s*(\w+)\s*-->\s*(\w+)\s*$", block, re.M):
        edges.setdefault(source, set()).add(target)
    return edges


def allowed(edges: dict[str, set[str]], app: str) -> set[str]:
    seen, stack = set(), [app]
    while stack:
        for target in edges.get(stack.pop(), ()):
            if target not in seen:
                seen.add(target)
                stack.append(target)
    return seen | {app}


def app_of(path: Path) -> str | None:
    parts = path.relative_to(TAUT).parts
    if len(parts) == 1 or "tests" in parts or "migrations" in parts:
        return None
    return parts[0]


def taut_imports(path: Path):
    tree = ast.parse(path.read_text(), filename=str(path))
    for node in ast.walk(tree):
        names = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            yield node.lineno, name


def test_it_keeps_imports_inside_the_declared_graph():
    edges = declared_edges()
    apps = {p.name for p in TAUT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    apps.discard("tests")
    assert set(edges) | {t for ts in edges.values() for t in ts} <= apps | {"clinical", "lib"}
    broken = []
    for path in TAUT.rglob("*.py"):
        app = app_of(path)
        if app is None:
            continue
        for line, name in taut_imports(path):
            parts = name.split(".")
            if parts[0] != "taut" or len(parts) < 2:
                continue
            target = parts[1]
            if target in PROJECT_MODULES:
                broken.append(f"{path.relative_to(ROOT)}:{line} imports project module {name}")
            elif target != app and target not in allowed(edges, app):
                broken.append(f"{path.relative_to(ROOT)}:{line} ({app}) imports {name}")
    assert broken == [], "Imports outside docs/architecture.md's graph:\n" + "\n".join(broken)


def test_it_keeps_django_out_of_the_clinical_rules_source():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in (TAUT / "clinical").rglob("*.py")
        for line, name in taut_imports(path)
        if name.split(".")[0] == "django"
        or (name.startswith("taut.") and not name.startswith("taut.clinical"))
    ]
    assert offenders == []


def test_it_imports_every_clinical_module_without_loading_django():
    # Every module of the package and of its subpackages (dosing.session, screening.verdict…).
    modules = sorted(
        ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in (TAUT / "clinical").rglob("*.py")
        if "tests" not in path.relative_to(TAUT).parts
    )
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        "loaded = sorted(m for m in sys.modules if m == 'django' or m.startswith('django.'))\n"
        "print(loaded)\n"
        "sys.exit(1 if loaded else 0)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert {"taut.clinical.dosing", "taut.clinical.dosing.session"} <= set(modules), modules
