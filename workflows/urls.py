from django.urls import include, path

from workflows import views

app_name = "workflows"

urlpatterns = [
    path("board/", views.board, name="board"),
    path("proposals/", views.my_proposals, name="mine"),
    path("proposals/new/", views.new_idea, name="new"),
    path("proposals/<int:pk>/", views.proposal_detail, name="proposal"),
    path("proposals/<int:pk>/moves/", views.moves, name="moves"),
    path("proposals/<int:pk>/transitions/<slug:name>/", views.transition, name="transition"),
    path("", include("workflows.documents_views")),
    path("", include("workflows.consultation_views")),
    path("", include("workflows.discussion.urls")),
    path("", include("workflows.review.urls")),
]
