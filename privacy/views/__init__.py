"""The personal-data pages: the trail, the person pages of the office and each person's own data."""
