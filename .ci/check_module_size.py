#!/usr/bin/env python
"""Fail when a module is longer than its limit: a long module is a package waiting to be cut by section.

Limits, in lines: 400 for the product packages (migrations excluded, they are generated); 300 for the
demo data and the benchmark data generator, which are split by section.

Usage: .ci/check_module_size.py [FILE ...]   (default: every module the limits cover; pre-commit passes
the staged files, and files no limit covers are skipped)
"""

from __future__ import annotations

import sys
from pathlib import Path

from packages import PRODUCT_PACKAGES

ROOT = Path(__file__).resolve().parent.parent
PRODUCT_LIMIT = 400
# (the module, or the package it becomes) -> limit; the first match wins
SECTION_LIMITS = {
    "demo/data.py": 300,
    "demo/data/": 300,
    "bench/generate.py": 300,
    "bench/generate/": 300,
}


def limit_of(path: Path) -> int | None:
    try:
        relative = path.resolve().relative_to(ROOT)
    except ValueError:
        return None
    if relative.suffix != ".py" or "migrations" in relative.parts:
        return None
    name = relative.as_posix()
    for prefix, limit in SECTION_LIMITS.items():
        if name == prefix or (prefix.endswith("/") and name.startswith(prefix)):
            return limit
    return PRODUCT_LIMIT if relative.parts[0] in PRODUCT_PACKAGES else None


def main(arguments: list[str]) -> int:
    if arguments:
        paths = [Path(argument) for argument in arguments]
    else:
        roots = [*PRODUCT_PACKAGES, "bench"]
        paths = sorted(path for root in roots for path in (ROOT / root).rglob("*.py"))
    too_long = []
    for path in paths:
        limit = limit_of(path)
        if limit is None or not path.is_file():
            continue
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > limit:
            too_long.append((lines, limit, path.resolve().relative_to(ROOT)))
    for lines, limit, name in sorted(too_long, reverse=True):
        print(f"{name}: {lines} lines (limit {limit})")
    if too_long:
        print(f"{len(too_long)} module(s) over their limit: split them by section into a package.")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
