"""The app dependency graph in docs/architecture.md holds, with no import cycles and no
imports hidden inside functions; and taut.clinical is Django-free."""

import ast
import functools
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TAUT = ROOT / "taut"
PROJECT_MODULES = {"settings", "urls", "cli", "admin_site", "wsgi", "asgi", "conftest"}
# The web edge of every app (views, URL confs, management commands) may call the workflows,
# which compose several apps' services (docs/decisions/0009-workflows.md).
EDGE_LAYER = "workflows"


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


def is_edge(path: Path) -> bool:
    """A view module, a URL conf or a management command: where requests and commands
    come in."""
    parts = path.relative_to(TAUT).parts
    return (
        "views" in parts[:-1]
        or "management" in parts
        or path.stem in ("urls", "views")
        or path.stem.endswith("_views")
    )


@functools.cache
def parsed(path: Path) -> ast.Module:
    """``path``'s syntax tree, parsed once for all the tests here (none changes it)."""
    return ast.parse(path.read_text(), filename=str(path))


def nested_ids(tree: ast.AST) -> set[int]:
    """The ids of every node inside a function or class body (below its def or class
    statement), found in one pass over the tree."""
    found: set[int] = set()

    def visit(node: ast.AST, inside: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if inside:
                found.add(id(child))
            scope = ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef
            visit(child, inside or isinstance(child, scope))

    visit(tree, False)
    return found


def taut_imports(path: Path, *, nested_only: bool = False):
    """(line, module) of each absolute import in ``path``; with ``nested_only``, only those
    inside a function or class body (a lazy import)."""
    tree = parsed(path)
    nested = nested_ids(tree) if nested_only else set()
    for node in ast.walk(tree):
        if nested_only and id(node) not in nested:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module
            for alias in node.names:  # "from taut.x import y": y may be a module
                yield node.lineno, f"{node.module}.{alias.name}"


def source_files():
    return [p for p in TAUT.rglob("*.py") if "tests" not in p.parts and "migrations" not in p.parts]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_it_keeps_imports_inside_the_declared_graph():
    edges = declared_edges()
    apps = {p.name for p in TAUT.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    apps.discard("tests")
    assert set(edges) | {t for ts in edges.values() for t in ts} <= apps | {"clinical", "lib"}
    broken = []
    for path in source_files():
        app = app_of(path)
        if app is None:
            continue
        reach = allowed(edges, app)
        if is_edge(path):
            reach |= allowed(edges, EDGE_LAYER)
        for line, name in taut_imports(path):
            parts = name.split(".")
            if parts[0] != "taut" or len(parts) < 2:
                continue
            target = parts[1]
            if target in PROJECT_MODULES:
                broken.append(f"{path.relative_to(ROOT)}:{line} imports project module {name}")
            elif target not in reach:
                broken.append(f"{path.relative_to(ROOT)}:{line} ({app}) imports {name}")
    assert broken == [], "Imports outside docs/architecture.md's graph:\n" + "\n".join(broken)


def module_edges(path: Path, modules) -> set[str]:
    """The taut modules ``path`` imports: for "from a.b import c", a.b.c when c is a module,
    else a.b (a package's own __init__ running first is not an edge)."""
    tree = parsed(path)
    edges = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            edges |= {alias.name for alias in node.names if alias.name in modules}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                if child in modules:
                    edges.add(child)
                elif node.module in modules:
                    edges.add(node.module)
    return edges


def test_it_has_no_import_cycles_between_modules():
    """Reads in queries, writes in services: no module reaches back into one that imports
    it (a cycle is what a lazy import hides)."""
    paths = {module_name(p): p for p in source_files()}
    graph = {name: module_edges(path, paths) - {name} for name, path in paths.items()}
    cycles, index, low, stack, on_stack = [], {}, {}, [], set()

    def visit(node):  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(10_000)
    for node in graph:
        if node not in index:
            visit(node)
    assert cycles == []


def test_it_imports_taut_modules_at_the_top_of_each_module():
    """No import of a taut module inside a function: the wiring is visible at the top of
    each file (Django's app registry needs one exception: an AppConfig's ready())."""
    lazy = [
        f"{path.relative_to(ROOT)}:{line} imports {name} inside a function"
        for path in source_files()
        if path.name != "apps.py" and path.name != "admin_site.py"
        for line, name in taut_imports(path, nested_only=True)
        if name.startswith("taut.")
    ]
    assert lazy == []


def test_it_keeps_django_out_of_the_clinical_rules_source():
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in (TAUT / "clinical").rglob("*.py")
        for line, name in taut_imports(path)
        if name.split(".")[0] == "django"
        or (name.startswith("taut.") and not name.startswith("taut.clinical"))
    ]
    assert offenders == []


def test_it_keeps_django_out_of_the_fhir_mapping():
    """``taut.fhir.mapping`` is pure (issue 18): Taut's records in, FHIR JSON out."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in (TAUT / "fhir" / "mapping").rglob("*.py")
        for line, name in taut_imports(path)
        if name.split(".")[0] == "django"
        or (
            name.startswith("taut.") and not name.startswith(("taut.clinical", "taut.fhir.mapping"))
        )
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


MAX_MODULE_LINES = 500


def test_it_keeps_every_module_under_five_hundred_lines():
    """A module past ~500 lines becomes a package of topics (the style guide)."""
    long = [
        f"{path.relative_to(ROOT)}: {count} lines"
        for path in TAUT.rglob("*.py")
        if "migrations" not in path.parts
        and (count := len(path.read_text().splitlines())) > MAX_MODULE_LINES
    ]
    assert long == []
