"""Cooperation's pages."""

app_name = "cooperation"

urlpatterns = []

# -- eligibility --

# -- call watch --

# -- partners --

# -- partner requests and cooperations --

# -- member and organisation pages --
