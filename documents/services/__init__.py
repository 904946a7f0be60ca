"""Every write on documents goes through one function here, one per action a person can take: sets and
their document slots (`sets`), uploads through signed URLs (`uploads`), downloads (`downloads`)."""

from documents.services.downloads import download_url, open_version_content
from documents.services.sets import create_document, create_library_set, create_proposal_set
from documents.services.uploads import (
    complete_upload,
    receive_upload_content,
    remove_abandoned_uploads,
    request_upload,
)

__all__ = [
    "complete_upload",
    "create_document",
    "create_library_set",
    "create_proposal_set",
    "download_url",
    "open_version_content",
    "receive_upload_content",
    "remove_abandoned_uploads",
    "request_upload",
]
