"""Reads of events, one module per part: `visibility` (who sees which event), `registrations`,
`attendance` and `certificates`."""

from events.selectors.visibility import events_visible_to, visible_event, visible_event_ids

__all__ = ["events_visible_to", "visible_event", "visible_event_ids"]
