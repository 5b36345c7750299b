import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError, AuthProcess
from django import forms
from django.contrib import messages
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts import signin_limits
from tracking.thaicalendar import format_time

REFUSALS = {
    signin_limits.PER_USERNAME_FROM_ADDRESS: gettext_lazy(
        "Too many failed sign-in attempts for this username from your network address "
        "(%(failures)s within %(minutes)s minutes). Signing in with this username from here is "
        "paused: try again after %(time)s."
    ),
    signin_limits.PER_USERNAME: gettext_lazy(
        "Too many failed sign-in attempts for this username (%(failures)s within %(minutes)s "
        "minutes, from several addresses). For safety, signing in to this account is paused: try "
        "again after %(time)s."
    ),
    signin_limits.PER_ADDRESS: gettext_lazy(
        "Too many failed sign-in attempts from your network address (%(failures)s within "
        "%(minutes)s minutes, whatever the username). Signing in from here is paused: try again "
        "after %(time)s."
    ),
}
logger = logging.getLogger(__name__)


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts are made by administrators or by an approved access request, never by open sign-up."""
        return False

    def validation_error(self, code, *args):
        if code == "invalid_login" or code == "username_password_mismatch":
            # One message whether the username exists or not: no user enumeration.
            return forms.ValidationError(_("The username or password is not correct."), code=code)
        return super().validation_error(code, *args)

    def send_mail(self, template_prefix, email, context_data):
        """allauth's mails, rendered now and sent once the transaction that caused them commits."""
        request = context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request), **context_data}
        message = self.render_mail(template_prefix, email, ctx)
        transaction.on_commit(message.send)

    def get_client_ip(self, request):
        """REMOTE_ADDR, or X-Forwarded-For only as written by a proxy in TRUSTED_PROXIES."""
        return signin_limits.client_ip(request)

    def pre_authenticate(self, request, **credentials):
        """Count the attempt as a failure until the password proves right (see accounts.signin_limits).

        Replaces allauth's single per-address + per-username counter, whose
        per-address part refused correct passwords once others had failed from
        the same address.
        """
        username = credentials.get("username", "")
        refused = signin_limits.refusal(request, username)
        if refused is None:
            self._login_failed_rl_usage, refused = signin_limits.count_attempt(request, username)
        if refused is not None:
            raise self.refusal_error(refused)

    def refusal_error(self, refused: signin_limits.Refusal) -> forms.ValidationError:
        return forms.ValidationError(
            REFUSALS[refused.kind],
            code="too_many_login_attempts",
            params={
                "failures": refused.failures,
                "minutes": refused.minutes,
                "time": format_time(refused.until),
            },
        )


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
        """Match an SSO identity only to an account whose owner verified the same address here.

        allauth falls back to unverified addresses when no verified one matches.
        """
        from accounts.models import User

        for address in sociallogin.email_addresses:
            if address.verified and self.can_authenticate_by_email(sociallogin, address.email):
                user = User.objects.with_verified_email(address.email).filter(is_active=True).first()
                if user is not None:
                    return user, address.email
        return None
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
