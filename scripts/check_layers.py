"""The app-level import graph of src/xiaoneng against the layers of issue 27.

Reports every import (module-level or inside a function; migrations excepted) from an app to
an app of a higher layer, and every cycle between apps (two apps of one layer may import each
other one way only). ``-f`` also lists the function-level imports between apps. Exits 1 when
it finds a break or a cycle. Not yet part of ``make lint``: the shell imports (office.permissions,
office.forms, office.person, portal.figures, portal.ratelimit) and the applications app are
being moved separately.

    python scripts/check_layers.py [-f]
"""

from __future__ import annotations

import ast
import collections
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent / "src" / "xiaoneng"
LAYERS = [
    ["audit", "errors", "privacy", "conf", "sealing", "periodic", "deferred", "fieldcrypt"],
    ["org", "workdays", "notify", "documents", "web"],
    ["cases", "catalog"],
    [
        "applications",
        "supervision",
        "accountability",
        "assessment",
        "targets",
        "campaigns",
        "referrals",
        "webhooks",
        "security",
    ],
    ["office", "portal", "api"],
    ["ops", "demo"],
]
WIRING = {"settings", "urls", "wsgi", "cli", "__init__"}  # the project wiring imports anything
LAYER = {app: index for index, apps in enumerate(LAYERS) for app in apps}


def imports() -> tuple[dict[tuple[str, str], list[str]], list[tuple[str, str, str]]]:
    edges: dict[tuple[str, str], list[str]] = collections.defaultdict(list)
    local: list[tuple[str, str, str]] = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if "migrations" in rel.parts:
            continue
        app = rel.parts[0].removesuffix(".py")
        tree = ast.parse(path.read_text())
        in_function = {
            id(node)
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef)
            for node in ast.walk(function)
        }
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module and not node.level:
                if node.module == "xiaoneng":
                    modules = [f"xiaoneng.{alias.name}" for alias in node.names]
                else:
                    modules = [node.module]
            elif isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            else:
                continue
            for module in modules:
                parts = module.split(".")
                if parts[0] != "xiaoneng" or len(parts) < 2:
                    continue
                target = parts[1]
                if target in (app, "__version__"):
                    continue
                where = f"{rel}:{node.lineno}"
                edges[(app, target)].append(where)
                if id(node) in in_function:
                    local.append((app, target, where))
    return edges, local


def cycles(edges: dict[tuple[str, str], list[str]]) -> list[list[str]]:
    graph: dict[str, set[str]] = collections.defaultdict(set)
    for source, target in edges:
        if source not in WIRING:
            graph[source].add(target)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                component.append(other)
                if other == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def main() -> int:
    edges, local = imports()
    bad = 0
    for (source, target), where in sorted(edges.items()):
        if source in WIRING or target in WIRING:
            continue
        if source not in LAYER or target not in LAYER:
            print(f"no layer for {source} or {target}: {where[:3]}")
            bad += 1
        elif LAYER[target] > LAYER[source]:
            print(f"upward: {source} -> {target} ({len(where)}): {', '.join(where[:6])}")
            bad += 1
    for component in cycles(edges):
        print("cycle:", " ".join(component))
        for source in component:
            for target in component:
                if (source, target) in edges:
                    print(f"    {source} -> {target}: {', '.join(edges[(source, target)][:4])}")
        bad += 1
    if "-f" in sys.argv:
        print("function-level imports between apps:")
        for source, target, where in local:
            print(f"    {source} -> {target}  {where}")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
