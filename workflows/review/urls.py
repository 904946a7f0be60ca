"""Expert review pages. Included from workflows/urls.py without a namespace of their own, so the names
are `workflows:review-…` and `workflows:my-reviews`."""

from django.urls import path

from workflows.review import views

urlpatterns = [
    path("proposals/<int:pk>/review/", views.review_section, name="review-section"),
    path("proposals/<int:pk>/review/open/", views.open_round, name="review-open"),
    path("review-rounds/<int:pk>/", views.round_detail, name="review-round"),
    path("review-rounds/<int:pk>/assign/", views.assign, name="review-assign"),
    path("review-rounds/<int:pk>/close/", views.close_round, name="review-close"),
    path("reviews/", views.my_reviews, name="my-reviews"),
    path("reviews/<int:pk>/", views.assignment_detail, name="review-assignment"),
    path("reviews/<int:pk>/accept/", views.accept, name="review-accept"),
    path("reviews/<int:pk>/decline/", views.decline, name="review-decline"),
    path("reviews/<int:pk>/withdraw/", views.withdraw, name="review-withdraw"),
    path("reviews/<int:pk>/review/", views.save_review, name="review-save"),
]
