"""allauth's pages that the accounts app replaces, under allauth's own URL names.

tracking/urls.py includes these ahead of allauth.urls, so they win; no namespace, as allauth's
templates and redirects reverse the plain names.
"""

from django.urls import path

from accounts import sso, views

urlpatterns = [
    # Only a verified address may become the one the system uses.
    path("email/", views.email, name="account_email"),
    # The same OpenID Connect views, a failing provider answered with a message.
    path("oidc/<str:provider_id>/login/", sso.login, name="openid_connect_login"),
    path("oidc/<str:provider_id>/login/callback/", sso.callback, name="openid_connect_callback"),
]
