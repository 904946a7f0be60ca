"""Comment text: stored raw, shown escaped. Mentions of known people become links; newlines become
<br> and blank lines paragraphs. Everything the author typed passes through `escape`."""

from __future__ import annotations

import re

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

# Django usernames are letters, digits and @.+-_; a trailing dot ends the sentence, not the name.
MENTION = re.compile(r"(?<![\w@.+-])@([\w.@+-]*[\w@+-])")


def mentioned_usernames(text: str) -> list[str]:
    """Usernames mentioned in `text`, first occurrence first, each once."""
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match.group(1), None)
    return list(seen)


def _line(line: str, known: dict[str, int]) -> str:
    parts, last = [], 0
    for match in MENTION.finditer(line):
        username = match.group(1)
        if username not in known:
            continue
        parts.append(escape(line[last : match.start()]))
        parts.append(
            format_html(
                '<a class="mention" href="#user-{}" data-user-id="{}">@{}</a>',
                username,
                known[username],
                username,
            )
        )
        last = match.end()
    parts.append(escape(line[last:]))
    return "".join(parts)


def render(text: str, known: dict[str, int] | None = None) -> SafeString:
    """HTML for `text`; `known` maps the usernames actually mentioned (visible to them) to user ids."""
    known = known or {}
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = [p for p in re.split(r"\n{2,}", text) if p.strip()]
    html = "".join(
        "<p>" + "<br>".join(_line(line, known) for line in paragraph.split("\n")) + "</p>"
        for paragraph in paragraphs
    )
    return mark_safe(html)
