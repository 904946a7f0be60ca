"""docs/performance.md: each bench script writes its own section between its markers, the rest stays."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bench.machine import machine

PAGE = Path(__file__).resolve().parent.parent / "docs" / "performance.md"


def write_section(name: str, title: str, how: str, text: str) -> None:
    """Replace (or add) the section `<!-- name -->`: its title, when and on what it was measured and
    `how`, then the table `text`."""
    previous = PAGE.read_text() if PAGE.exists() else "# Performance\n"
    start, end = f"<!-- {name} -->", f"<!-- /{name} -->"
    measured = f"Measured {date.today().isoformat()} on {machine()}{how}"
    section = "\n".join([start, f"## {title}", "", measured, "", text, end])
    if start in previous:
        before, rest = previous.split(start, 1)
        previous = before + section + rest.split(end, 1)[1]
    else:
        previous = previous.rstrip() + "\n\n" + section + "\n"
    PAGE.write_text(previous)
