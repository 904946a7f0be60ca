#!/usr/bin/env python
"""Fail when modules of the product packages import each other in a circle, and print each circle.

import-linter's `acyclic_siblings` contract compares packages, not modules, so this walks grimp's module
graph (import-linter's own graph library) instead. Imports inside functions count: a circle broken by a
function-level import is still a circle. Imports under `if TYPE_CHECKING:` do not, as they never run.

Every import between two modules of a circle is shown in at least one printed circle, so fixing what is
printed leaves nothing hidden.

Usage: .ci/check_cycles.py [PACKAGE ...]   (default: the product packages)
"""

from __future__ import annotations

import sys
from collections import deque
from itertools import pairwise
from pathlib import Path

import grimp
from packages import PRODUCT_PACKAGES


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen, queue = set(), deque([start])
    while queue:
        for child in graph[queue.popleft()] - seen:
            seen.add(child)
            queue.append(child)
    return seen


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that all reach each other (a few hundred modules: plain reachability will do)."""
    reach = {module: reachable(graph, module) for module in graph}
    components, placed = [], set()
    for module in sorted(graph):
        if module in placed or module not in reach[module]:
            continue
        component = sorted(other for other in reach[module] if module in reach[other])
        placed.update(component)
        components.append(component)
    return components


def shortest_path(graph: dict[str, set[str]], start: str, goal: str, within: set[str]) -> list[str]:
    previous: dict[str, str | None] = {start: None}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        if node == goal:
            path = []
            step: str | None = node
            while step is not None:
                path.append(step)
                step = previous[step]
            return path[::-1]
        for child in sorted(graph[node] & within):
            if child not in previous:
                previous[child] = node
                queue.append(child)
    raise AssertionError(f"{goal} is not reachable from {start} inside its own component")


def circles_of(graph: dict[str, set[str]], component: list[str]) -> list[list[str]]:
    """Short circles that together use every import inside the component."""
    members = set(component)
    uncovered = {(a, b) for a in component for b in graph[a] & members}
    circles = []
    for importer, imported in sorted(uncovered):
        if (importer, imported) not in uncovered:
            continue
        circle = [importer, *shortest_path(graph, imported, importer, members)]
        circles.append(circle)
        uncovered -= set(pairwise(circle))
    return circles


def line_of(import_graph: grimp.ImportGraph, importer: str, imported: str) -> str:
    details = import_graph.get_import_details(importer=importer, imported=imported)
    return ",".join(str(detail["line_number"]) for detail in details) or "?"


def main(packages: list[str]) -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import_graph = grimp.build_graph(*packages, exclude_type_checking_imports=True, cache_dir=None)
    modules = import_graph.modules
    graph = {module: import_graph.find_modules_directly_imported_by(module) for module in modules}
    components = strongly_connected(graph)
    count = 0
    for component in components:
        for circle in circles_of(graph, component):
            count += 1
            print(f"circle {count}:")
            for importer, imported in pairwise(circle):
                print(f"    {importer}:{line_of(import_graph, importer, imported)} -> {imported}")
    if count:
        print(
            f"{count} import circle(s) in {len(components)} group(s) of modules; break each by moving "
            "what both sides need down a layer, not by an import inside a function."
        )
        return 1
    print(f"No import circle in {', '.join(packages)} ({len(graph)} modules).")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(PRODUCT_PACKAGES)))
