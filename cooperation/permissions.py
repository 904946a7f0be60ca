"""Who may do what in cooperation: predicates `(user, obj) -> bool`, no queries beyond the person's
memberships of today (`grants_office.members.selectors.memberships_today`)."""

# -- eligibility --

# -- partners --

# -- partner requests and cooperations --
