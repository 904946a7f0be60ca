"""The personal-data endpoints: the office's audit trail (trail.py) and the exports of a person's data
(exports.py)."""
