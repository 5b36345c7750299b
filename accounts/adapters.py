import datetime as dt

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from tracking.thaicalendar import format_time


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


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin):
        """SSO signs people in to accounts that exist; it never creates one."""
        return False
