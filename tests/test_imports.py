"""No import circle among the package's modules, and the names profiles are checked against match the rules."""

from __future__ import annotations

import ast
from pathlib import Path

from tei_encoder.blocks import PASSES, RULES
from tei_encoder.profiles.vocabulary import LABEL_FORMS, PASS_NAMES, RULE_NAMES
from tei_encoder.stages import STAGES

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "tei_encoder"


def module_names(root: Path) -> dict[str, tuple[Path, bool]]:
    """Dotted module name → (file, is a package's __init__)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        found[".".join(parts[:-1] if is_package else parts)] = (path, is_package)
    return found


def import_graph(root: Path) -> dict[str, set[str]]:
    """Each module → the package's modules it imports, anywhere in it (lazy imports inside functions too)."""
    modules = module_names(root)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, (path, is_package) in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                    base = ".".join(parts + ([node.module] if node.module else []))
                # "from . import x" names a module x; "from .m import f" names m.
                targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in modules else base for a in node.names]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            graph[name].update(t for t in targets if t in modules and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        groups.append(sorted(group))
            elif child not in index:
                index[child] = low[child] = len(index)
                stack.append(child)
                on_stack.add(child)
                work.append((child, iter(sorted(graph[child]))))
            elif child in on_stack:
                low[node] = min(low[node], index[child])
    return groups


def test_cycle_finder_finds_a_circle_and_only_a_circle():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert cycles(graph) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_import_graph_reads_relative_and_lazy_imports():
    graph = import_graph(PACKAGE)
    assert "tei_encoder.blocks" in graph["tei_encoder.stages.blocks"]  # from ..blocks import parse_blocks
    assert "tei_encoder.corpus.link" in graph["tei_encoder.stages.register_link"]  # imported inside the stage
    assert "tei_encoder.stages.profile" in graph["tei_encoder.stages"]  # from . import profile


def test_no_import_circle_in_the_package():
    found = cycles(import_graph(PACKAGE))
    assert found == [], "import circles: " + "; ".join(" → ".join(group) for group in found)


def test_profile_vocabulary_names_the_rules_that_exist():
    # Profiles are checked against the names without importing the rules: the two must agree.
    assert tuple(PASSES) == PASS_NAMES
    assert tuple(RULES) == RULE_NAMES


def test_every_label_form_is_one_the_label_reader_knows():
    # The reader tests each form by its name: a form the profiles allow but no code reads is an error.
    reader = (PACKAGE / "blocks" / "labels.py").read_text(encoding="utf-8")
    unread = [form for form in LABEL_FORMS if f'"{form}"' not in reader]
    assert unread == []


def test_stage_table_names_each_stage_once_in_its_own_module():
    names = [name for name, _ in STAGES]
    assert len(names) == len(set(names))
    for name, stage in STAGES:
        assert stage.__module__ == f"tei_encoder.stages.{name}"
