"""The people of the lifecycle tests (one per role), shared with the workflows tests."""

from tests.workflows.conftest import people

__all__ = ["people"]
