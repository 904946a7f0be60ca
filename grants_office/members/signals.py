"""Domain signals of the member registry (sent inside the transaction of the change; a receiver may
only write rows)."""

from django.dispatch import Signal

# municipalities: the ones an import created or changed with bulk writes, which send no post_save
# (cooperation gives them their partner profiles and search documents)
municipalities_imported = Signal()
