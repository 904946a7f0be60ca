"""What an import reports: the counts of a file that went in, or every error of one that did not."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from grants_office.core.errors import Invalid


@dataclass(frozen=True)
class RowError:
    """What is wrong with one row; `line` is the physical line in the file (the header is line 1).

    `line` is None for a problem with the whole file (its encoding, or no rows at all).
    """

    line: int | None
    messages: tuple[str, ...]

    def __str__(self) -> str:
        reasons = " ".join(self.messages)
        if self.line is None:
            return reasons
        return _("line %(line)d: %(reasons)s") % {"line": self.line, "reasons": reasons}


class ImportRejected(Invalid):
    """The file has errors and nothing was imported; `errors` lists every one of them."""

    code = "import_rejected"

    def __init__(self, errors: list[RowError]):
        rows = sum(1 for error in errors if error.line is not None and error.line > 1)
        if rows:
            message = ngettext(
                "Nothing was imported: %(count)d row has errors.",
                "Nothing was imported: %(count)d rows have errors.",
                rows,
            ) % {"count": rows}
        else:
            message = _("Nothing was imported: the file cannot be read as a municipality list.")
        super().__init__(
            message, fields={(f"line {e.line}" if e.line else "file"): list(e.messages) for e in errors}
        )
        self.errors = errors


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged
