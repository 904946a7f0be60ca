from django.contrib.auth import views as auth_views
from django.urls import path

from grants_office.core import views

urlpatterns = [
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password-reset/",
        views.PasswordResetView.as_view(**views.AUTH_TEMPLATES["password_reset"]),
        name="password_reset",
    ),
    path(
        "accounts/password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(**views.AUTH_TEMPLATES["password_reset_done"]),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(**views.AUTH_TEMPLATES["password_reset_confirm"]),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        auth_views.PasswordResetCompleteView.as_view(**views.AUTH_TEMPLATES["password_reset_complete"]),
        name="password_reset_complete",
    ),
]
