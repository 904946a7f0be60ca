"""Everything the service holds about one person, section by section: the export writes each row, the
office's person page counts them. A new model with personal data adds its section here."""

from __future__ import annotations

from privacy.holdings import account, gatherings, work
from privacy.holdings.section import Section

SECTIONS: list[Section] = [*account.SECTIONS, *work.SECTIONS, *gatherings.SECTIONS]


def collect(person) -> dict[str, list[dict]]:
    """Every section's rows as JSON values, in a fixed number of queries whatever their number."""
    return {
        section.key: [section.shown(item, person) for item in section.rows(person)] for section in SECTIONS
    }


def counts(person) -> list[tuple[Section, int]]:
    """How many rows each section holds (one count per section)."""
    return [(section, section.rows(person).count()) for section in SECTIONS]
