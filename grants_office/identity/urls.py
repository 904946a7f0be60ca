from django.urls import path

from grants_office.identity import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/login/second-factor/", views.second_factor, name="second-factor"),
    path("account/two-factor/", views.two_factor, name="two-factor"),
    path("account/two-factor/setup/", views.setup, name="two-factor-setup"),
    path("account/two-factor/recovery-codes/", views.renew_recovery_codes, name="two-factor-recovery-codes"),
    path("account/two-factor/off/", views.turn_off, name="two-factor-off"),
    path("people/<int:pk>/two-factor/reset/", views.reset, name="two-factor-reset"),
]
