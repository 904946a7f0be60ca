"""The proposal API (fixed paths in docs/architecture.md): the views `workflows/api_urls.py` routes."""

from workflows.api.documents import ProposalDocumentsView
from workflows.api.proposals import ProposalViewSet

__all__ = ["ProposalDocumentsView", "ProposalViewSet"]
