"""The package's layering stays true: stages import only downwards, nothing imports the
package root from inside, and no module imports itself through a cycle.

Imports are read with ``ast`` from the source, including those inside functions and under
``TYPE_CHECKING``: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "reportgen"

# Each stage and the stages below it that it may import. The pipeline reads top to bottom:
# cli → web → run → review → api → render, document → narrative, charts → analysis → ingest →
# settings → core → models, errors.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "models": set(),
    "core": {"errors", "models"},
    "settings": {"core", "errors", "models"},
    "ingest": {"settings", "core", "errors", "models"},
    "analysis": {"ingest", "settings", "core", "errors", "models"},
    "narrative": {"analysis", "settings", "core", "errors", "models"},
    "charts": {"analysis", "settings", "core", "errors", "models"},
    "document": {"narrative", "charts", "analysis", "settings", "core", "errors", "models"},
    "render": {"settings", "core", "errors", "models"},
    "api": {"render", "document", "narrative", "charts", "analysis", "ingest", "settings", "core", "errors", "models"},
}
ALLOWED["compat"] = set()  # library internals behind one seam: a ground floor anything may use
for _stage in list(ALLOWED):
    if _stage not in ("compat", "errors", "models"):
        ALLOWED[_stage] |= {"compat"}
ALLOWED["review"] = ALLOWED["api"] | {"api"}
ALLOWED["run"] = ALLOWED["api"] | {"api", "review"}  # batch writes review's snapshot
ALLOWED["web"] = ALLOWED["api"] | {"api", "run", "review"}
ALLOWED["cli"] = ALLOWED["web"] | {"web"}


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        rel = path.relative_to(PACKAGE.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(tree):
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                pkg = package.split(".")
                base = ".".join(pkg[: len(pkg) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        for t in targets:
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t.startswith("reportgen") and t != name:
                out.add(t)
    return out


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {name: imports_of(name, path, known) for name, path in mods.items()}


def stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "root"


def test_no_module_imports_the_package_root() -> None:
    offenders = sorted(m for m, deps in graph().items() if "reportgen" in deps and m != "reportgen")
    assert offenders == [], f"these modules import the package root: {offenders}"


def test_every_module_belongs_to_a_known_stage() -> None:
    unknown = sorted({stage(m) for m in graph()} - set(ALLOWED) - {"root"})
    assert unknown == [], f"add these stages to ALLOWED with their place in the pipeline: {unknown}"


def test_stages_import_only_downwards() -> None:
    upward = []
    for module, deps in graph().items():
        here = stage(module)
        if here == "root":
            continue
        for dep in deps:
            there = stage(dep)
            if there != here and there not in ALLOWED[here]:
                upward.append(f"{module} -> {dep}")
    assert upward == [], "imports against the pipeline's direction:\n" + "\n".join(sorted(upward))


def test_no_import_cycles() -> None:
    g = graph()
    cycles: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in sorted(g.get(node, ())):
            if state.get(dep) == 1:
                cycles.append(stack[stack.index(dep):] + [dep])
            elif dep not in state:
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in sorted(g):
        if node not in state:
            visit(node)
    assert cycles == [], "import cycles:\n" + "\n".join(" -> ".join(c) for c in cycles)


def test_the_checker_sees_a_planted_cycle_and_an_upward_import(tmp_path: Path) -> None:
    """The checks above cannot pass vacuously: they find what they are for."""
    known = {"reportgen.analysis.a", "reportgen.document.b"}
    a = tmp_path / "a.py"
    a.write_text("from reportgen.document.b import thing\n")
    deps = imports_of("reportgen.analysis.a", a, known)
    assert deps == {"reportgen.document.b"}
    assert "document" not in ALLOWED[stage("reportgen.analysis.a")]
