"""The demo union as plain data: a union of municipalities modelled on the Trakya union (Thrace, Türkiye).

Places, programmes and people are realistic but the people, e-mail addresses (all under example.org),
call references and proposals are invented. Dates are relative to the moment of loading, so the demo
always has open, closing-soon and closed calls. `demo/loader/` reads this package and writes everything
through the services; nothing here touches the database.

One module per section, in the order the loader writes them: the member registry (`members`), the
office's reference data (`reference`: themes, programmes, rubrics), `calls`, `people`, the proposals'
stories (`proposals`) and the documents' files (`documents`); `moments` says when things happen.
"""

from demo.data.calls import CALLS
from demo.data.cooperation import CALL_RULES, COOPERATIONS, PARTNER_REQUESTS, PROFILES
from demo.data.documents import DOCUMENT_FILES
from demo.data.events import EVENTS, PROJECT_TEAMS
from demo.data.members import MUNICIPALITIES, ORGANISATIONS
from demo.data.moments import Ago, BeforeDeadline, FromNow
from demo.data.people import TEAMS_SINCE, USERS, K
from demo.data.proposals import PROPOSALS
from demo.data.reference import EU_CRITERIA, PROGRAMMES, RUBRICS, THEMES

PASSWORD = "demo12345"
# The office's accounts sign in with a second factor; in the demo their authenticator apps share this key
# (hex; an app takes it as the base32 SECOND_FACTOR_KEY_SHOWN, which the logins print).
SECOND_FACTOR_KEY = "7472616b79612d64656d6f2d3266612d6b657921"
SECOND_FACTOR_KEY_SHOWN = "ORZG C23Z MEWW IZLN N4WT EZTB FVVW K6JB"
UNION = "Trakya Belediyeler Birliği"
# The demo counts as loaded when this user exists with this e-mail (see loader.is_loaded).
MARKER_USERNAME = "koordinator"
MARKER_EMAIL = "koordinator@example.org"

__all__ = [
    "CALLS",
    "CALL_RULES",
    "COOPERATIONS",
    "DOCUMENT_FILES",
    "EU_CRITERIA",
    "EVENTS",
    "MARKER_EMAIL",
    "MARKER_USERNAME",
    "MUNICIPALITIES",
    "ORGANISATIONS",
    "PARTNER_REQUESTS",
    "PASSWORD",
    "PROFILES",
    "PROGRAMMES",
    "PROJECT_TEAMS",
    "PROPOSALS",
    "RUBRICS",
    "SECOND_FACTOR_KEY",
    "SECOND_FACTOR_KEY_SHOWN",
    "TEAMS_SINCE",
    "THEMES",
    "UNION",
    "USERS",
    "Ago",
    "BeforeDeadline",
    "FromNow",
    "K",
]
