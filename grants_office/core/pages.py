"""How the web pages of every app turn a service's domain errors into answers, in one place.

`NotFound` never needs handling in a view: `grants_office.core.middleware.DomainErrorMiddleware`
answers the 404 page. For the rest an action view calls `perform(form, service, ...)` and gets an
`Outcome`: 200 with the service's result, 400 with the errors of `Invalid` on the form, or 409 with the
`Conflict` to show; the view then renders what fits its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from grants_office.core.errors import Conflict, Invalid


@dataclass
class Outcome:
    """What a page action came to: 200 with the service's result, 400 (the form now carries the errors,
    or `problem` is the `Invalid` when there was no form) or 409 with the `Conflict` to show."""

    status: int
    result: Any = None
    problem: Conflict | Invalid | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


def add_errors(form, error: Invalid) -> None:
    """The service's field errors on the form; a field the form does not have goes to the top."""
    for field, problems in error.fields.items():
        for problem in problems:
            form.add_error(field if field in form.fields else None, problem)
    if error.message and not error.fields:
        form.add_error(None, error.message)


def perform(form, action, *args, **kwargs) -> Outcome:
    """Run a service for a page action; `form` (may be None) receives the errors of `Invalid`."""
    try:
        return Outcome(200, result=action(*args, **kwargs))
    except Invalid as error:
        if form is None:
            return Outcome(400, problem=error)
        add_errors(form, error)
        return Outcome(400)
    except Conflict as error:
        return Outcome(409, problem=error)
