"""Discussion: threaded comments on a proposal or one document version, with @mentions."""
