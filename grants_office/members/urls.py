from django.urls import path

from grants_office.members import views

app_name = "members"

urlpatterns = [
    path("members/", views.municipalities, name="municipalities"),
    path("members/organisations/", views.organisations, name="organisations"),
]
