"""The admin of cooperation's records."""

# -- partners --

# -- partner requests and cooperations --
