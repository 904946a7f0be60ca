"""The events API, one module per part (thin over `events.services` and `events.selectors`)."""
