from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.contrib.sites.shortcuts import get_current_site
from django.db import transaction
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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
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
