"""Load the demo union (demo/data/) through the same services that users' actions go through.

Reference data (registry, themes, programmes, rubrics) is matched by its natural key, so a registry that
was imported before is reused, not duplicated. People, calls and proposals are written once: a second run
finds the marker user and changes nothing.

The load runs in sections, in order (`run.SECTIONS`), one module each: `registry` (the member registry
and the office's reference data), `calls`, `people`, `stories` (proposals and decisions), `reports`
(exchange rates, and ideas dated before their first step), `tables` (saved views of the proposals
table); `documents` uploads files for them and `shared` holds what they pass on. Adding a section —
the lead engineer's documents, say — is one function `def section(demo: Demo) -> None` and one entry
in SECTIONS.

One thing is done by hand because no user action does it: closed calls are open while their proposals
are walked, then their deadline moves to the past (`calendar`): the funder's calendar, not anyone's
history.

Documents: call checklists are published with the calls, so `mark_ready` checks them as it does for
people. Before a review round opens or a proposal is marked ready, its registrant uploads a version of
every required document that has none yet; "upload" steps in the stories add drafts, newer versions and
the funders' receipts and reports (`documents`).
"""

from demo.loader.run import SECTIONS, Result, check_conflicts, counts, is_loaded, load
from demo.loader.shared import Demo, DemoConflict

__all__ = ["SECTIONS", "Demo", "DemoConflict", "Result", "check_conflicts", "counts", "is_loaded", "load"]
