import datetime as dt
import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError, AuthProcess
from django import forms
from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tracking.thaicalendar import format_time

logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts are made by administrators or by an approved access request, never by open sign-up."""
        return False

    def validation_error(self, code, *args):
        if code == "invalid_login" or code == "username_password_mismatch":
            # One message whether the username exists or not: no user enumeration.
            return forms.ValidationError(_("The username or password is not correct."), code=code)
        if code == "too_many_login_attempts":
            minutes = settings.LOGIN_LOCKOUT_MINUTES
            until = timezone.localtime() + dt.timedelta(minutes=minutes)
            return forms.ValidationError(
                _(
                    "Too many failed sign-in attempts. For your safety this account is locked for "
                    "%(minutes)s minutes: try again after %(time)s."
                ),
                code=code,
                params={"minutes": minutes, "time": format_time(until)},
            )
        return super().validation_error(code, *args)


def sso_failed(request, *, cancelled=False):
    """Back to where the SSO round trip started (sign-in page, or account page when linking), saying why."""
    if cancelled:
        messages.warning(request, _("Signing in through single sign-on was cancelled."))
    else:
        messages.error(
            request,
            _(
                "Single sign-on is not available right now: the agency's sign-in service did not answer "
                "as expected. Sign in with your username and password, or try again later."
            ),
        )
    return redirect("accounts:index" if request.user.is_authenticated else "account_login")


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """An SSO identity is tied to a local user only by linking, and found again by its subject id."""

    def is_open_for_signup(self, request, sociallogin):
        """SSO signs people in to accounts that exist; it never creates one."""
        return False

    def authenticate_by_email(self, sociallogin):
        """Never: a provider asserting an address does not make its holder our user of that address."""
        return None

    def pre_social_login(self, request, sociallogin):
        """An identity nobody linked signs nobody in; it can only be linked by someone signed in."""
        if sociallogin.is_existing or sociallogin.state.get("process") == AuthProcess.CONNECT:
            return
        messages.error(
            request,
            _(
                "This single sign-on account is not linked to an account here yet. Sign in with your "
                "username and password, then link it from your account page."
            ),
        )
        raise ImmediateHttpResponse(redirect("account_login"))

    def get_connect_redirect_url(self, request, socialaccount):
        return reverse("accounts:index")

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        logger.warning("Single sign-on through %s failed: %s", provider.sub_id, exception or error)
        raise ImmediateHttpResponse(sso_failed(request, cancelled=error == AuthError.CANCELLED))
