"""The events pages: /events/…, the certificates and the public verification page."""


app_name = "events"

urlpatterns = [
    # -- events, registrations and attendance (pages) --
    # -- certificates and verification --
]
