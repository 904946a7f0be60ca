"""The proposals' stories, registered in this order (the modules hold consecutive runs of them).

Each story is a list of steps, each a tuple `(action, username, data)`:

- a lifecycle transition name (`start_consultation`, `submit`, ...) runs `perform_transition` as that
  user with that data; `"call"` names a call key (`demo.data.calls`);
- `consultation`, `comment`, `update`, `reuse`, `upload`, `open_review`, `assign`, `accept`, `decline`,
  `review`, `close_review` call the services of the same names.

`before` runs while the call is open; `after` runs once the funder's calendar has moved on (closed calls'
deadlines in the past), so decisions and expiry come after the deadline, as they do in life.
"""

from demo.data.proposals import horizon_life, interreg, this_year

PROPOSALS = [*interreg.PROPOSALS, *horizon_life.PROPOSALS, *this_year.PROPOSALS]

__all__ = ["PROPOSALS"]
