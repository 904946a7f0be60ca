"""Cooperation's endpoints under /api/v1/ (eligibility, call watch, partners, requests, agreements)."""

urlpatterns = []

# -- eligibility --

# -- call watch --

# -- partners --

# -- partner requests and cooperations --
