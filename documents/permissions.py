"""Who may do what with the office's library sets: the office writes (`can_manage_library`); who reads a
set is a question about rows, answered by the library's policy (`documents/library.py`).

Proposal sets follow the proposal: workflows registers their policy (see owners.py).
"""

from __future__ import annotations

from grants_office.members.permissions import is_office_staff


def can_manage_library(user, document_set=None) -> bool:
    return is_office_staff(user)
