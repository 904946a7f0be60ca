"""Domain signals of the documents app. Sent only after the transaction commits."""

from django.dispatch import Signal

# version, by: a new immutable version of a document exists
version_created = Signal()
