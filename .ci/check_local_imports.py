#!/usr/bin/env python
"""Fail when an import inside a function does not say why, with a reason from the short list below.

ruff's PLC0415 (import-outside-top-level) flags every import inside a function of the product packages;
the ones that must stay are written

    from kombu import Connection  # noqa: PLC0415 -- optional dependency

optionally with a few words after the reason: `# noqa: PLC0415 -- rare path: check_storage only`
(the comment goes on the first line of the import, where ruff looks for it). This script fails on an
import inside a function or class without such a comment, and on a `noqa: PLC0415` without a reason or
with one outside the list; ruff (RUF100) fails on a noqa that silences nothing.

Usage: .ci/check_local_imports.py [FILE ...]   (default: every module of the product packages; pre-commit
passes the staged files, and files outside the product packages are skipped)
"""

from __future__ import annotations

import ast
import io
import re
import sys
import tokenize
from pathlib import Path

from packages import PRODUCT_PACKAGES

ALLOWED_REASONS = {
    # inside AppConfig.ready(), or the module needs the app registry loaded before it can be imported
    "app ready": "needs the app registry loaded (AppConfig.ready)",
    # a package only some deployments install or configure, e.g. kombu when a broker is set
    "optional dependency": "a package only some deployments use",
    # a heavy module that one rarely taken code path needs, kept off every process's start-up
    "rare path": "a heavy module only one rare code path needs",
}

ROOT = Path(__file__).resolve().parent.parent

NOQA = re.compile(r"#\s*noqa:\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*)(?P<rest>.*)$")
REASON = re.compile(r"^\s*--\s*(?P<reason>[^:]+?)\s*(?::\s*\S.*)?$")


def is_product_module(path: Path) -> bool:
    try:
        parts = path.resolve().relative_to(ROOT).parts
    except ValueError:
        return False
    return path.suffix == ".py" and parts[0] in PRODUCT_PACKAGES and "migrations" not in parts


def local_import_lines(tree: ast.AST) -> list[int]:
    """First lines of the imports inside a function or class body (what PLC0415 flags)."""
    lines = []

    def visit(node: ast.AST, nested: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom) and nested:
                lines.append(child.lineno)
            scope = isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef | ast.Lambda)
            visit(child, nested or scope)

    visit(tree, False)
    return lines


def problems_in(path: Path) -> list[str]:
    name = path.resolve().relative_to(ROOT)
    source = path.read_text(encoding="utf-8")
    try:
        tree = ast.parse(source, str(path))
    except SyntaxError as error:
        return [f"{name}:{error.lineno}: cannot be parsed ({error.msg})"]
    reasons: dict[int, str | None] = {}  # line -> the reason given, None when there is none
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        noqa = NOQA.search(token.string) if token.type == tokenize.COMMENT else None
        if noqa and "PLC0415" in re.split(r"[\s,]+", noqa["codes"]):
            reason = REASON.match(noqa["rest"])
            reasons[token.start[0]] = reason["reason"] if reason else None
    problems = []
    for line in sorted(set(local_import_lines(tree)) | set(reasons)):
        if line not in reasons:
            problems.append(f"{name}:{line}: import inside a function without `# noqa: PLC0415 -- <reason>`")
        elif reasons[line] is None:
            problems.append(f"{name}:{line}: `noqa: PLC0415` without a reason (`-- <reason>`)")
        elif reasons[line] not in ALLOWED_REASONS:
            problems.append(f"{name}:{line}: {reasons[line]!r} is not one of the allowed reasons")
    return problems


def main(arguments: list[str]) -> int:
    if arguments:
        paths = [Path(argument) for argument in arguments]
    else:
        paths = sorted(path for package in PRODUCT_PACKAGES for path in (ROOT / package).rglob("*.py"))
    paths = [path for path in paths if path.is_file() and is_product_module(path)]
    problems = [problem for path in paths for problem in problems_in(path)]
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} import(s) inside functions without an allowed reason.")
        print("Move the import to the top of the module, or say why it must stay with one of:")
        for reason, meaning in ALLOWED_REASONS.items():
            print(f"    -- {reason}: {meaning}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
