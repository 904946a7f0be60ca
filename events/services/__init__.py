"""Every write of events, one module per part: `events` (create, edit, the machine), `registrations`
(register, cancel, the waiting list, approve, refuse, move), `attendance` and `certificates`."""
