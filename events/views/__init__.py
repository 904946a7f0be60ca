"""The events pages, one module per part (thin over `events.services` and `events.selectors`)."""
