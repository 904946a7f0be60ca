"""Domain signals of the documents app. Sent inside the transaction of the change (see workflows.signals)."""

from django.dispatch import Signal

# version, by: a new immutable version of a document exists
version_created = Signal()
