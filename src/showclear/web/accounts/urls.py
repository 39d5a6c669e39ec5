"""Sign-in, second factor, account page, tokens and invitations."""

from __future__ import annotations

from django.contrib.auth.views import LogoutView
from django.urls import path

from showclear.web.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("otp/verify/", views.otp_verify, name="otp_verify"),
    path("otp/setup/", views.otp_setup, name="otp_setup"),
    path("", views.account, name="account"),
    path("pin/", views.set_pin_view, name="pin"),
    path("tokens/", views.create_token, name="token_create"),
    path("tokens/<int:token_id>/revoke/", views.revoke_token, name="token_revoke"),
    path("p/<str:production>/invite/", views.invite_new, name="invite_new"),
    path("invite/<str:secret>/", views.invite_accept, name="invite_accept"),
]
