"""The part a person plays on one proposal, which decides what they see of its review and discussion."""

from enum import StrEnum


class Role(StrEnum):
    OFFICE = "office"  # office staff and admins: everything
    REVIEWER = "reviewer"  # an expert past the conflict-of-interest gate: internal comments, own reviews
    TEAM = "team"  # anyone else who sees the proposal (lead and partner teams): shared comments only
