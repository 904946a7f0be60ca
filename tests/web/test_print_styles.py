"""The print stylesheet: office.css carries `@media print` rules that leaves the tools of the screen
off the paper (the browser test `tests/browser/test_print.py` prints real pages with it)."""

import re
from pathlib import Path

from django.conf import settings

STYLESHEET = Path(settings.BASE_DIR) / "grants_office" / "core" / "static" / "core" / "office.css"


def print_block() -> str:
    """The bodies of the stylesheet's `@media print { ... }` blocks (braces matched), one after the other:
    the print section and any part's own print rules."""
    css = STYLESHEET.read_text(encoding="utf-8")
    bodies = []
    for match in re.finditer(r"@media print\s*\{", css):
        depth, start = 1, match.end()
        for index in range(start, len(css)):
            depth += {"{": 1, "}": -1}.get(css[index], 0)
            if depth == 0:
                bodies.append(css[start:index])
                break
        else:
            raise AssertionError("an @media print block is not closed")
    assert bodies, "office.css has print rules"
    return "\n".join(bodies)


def rules(block: str) -> dict[str, str]:
    """Each selector of the block with the declarations it gets (comments dropped)."""
    block = re.sub(r"/\*.*?\*/", "", block, flags=re.S)
    found: dict[str, str] = {}
    for selectors, declarations in re.findall(r"([^{}]+)\{([^{}]*)\}", block):
        for selector in selectors.split(","):
            found[" ".join(selector.split())] = found.get(" ".join(selector.split()), "") + declarations
    return found


def test_the_tools_of_the_screen_are_not_printed():
    hidden = {selector for selector, body in rules(print_block()).items() if "display: none" in body}
    for selector in [
        ".skip-link",
        ".site-nav",
        ".site-tools",
        "button",
        ".button",
        "form",
        ".move-panel",
        ".upload",
        ".add-document",
        ".consultation-form",
        ".comment-form",
        ".filters",
    ]:
        assert selector in hidden, selector


def test_the_content_is_black_on_white_over_the_whole_page():
    found = rules(print_block())
    assert "color: #000 !important" in found["*"] and "background: transparent !important" in found["*"]
    assert "max-width: none" in found["main"]
    assert "display: block" in found[".proposal-layout"] and "display: block" in found[".board-layout"]


def test_rows_and_cards_keep_together_and_folded_parts_open():
    found = rules(print_block())
    for selector in ("tr", ".card", ".review-card", ".comment"):
        assert "break-inside: avoid" in found[selector], selector
    assert "display: table-header-group" in found["thead"]
    assert "content-visibility: visible" in found["details::details-content"]
    assert "attr(href)" in found['a[href^="http"]::after']
