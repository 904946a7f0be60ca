"""Domain signals: cooperation tells, notifications listens (sent inside the transaction of the change,
with `sender` the model class; a receiver may only write rows, e.g. the notifications outbox)."""

from django.dispatch import Signal

# response, by: an expression of interest arrived -> the requesting team
partner_response_received = Signal()
# response, by: the requester accepted or declined it (response.state) -> the responder
partner_response_decided = Signal()
# partner_request, by (None when it closed itself after its date)
partner_request_closed = Signal()
