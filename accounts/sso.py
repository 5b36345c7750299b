"""allauth's OpenID Connect views, with a provider that is down or misconfigured turned into a message.

allauth handles a refused or cancelled sign-in itself (``SocialAccountAdapter.on_authentication_error``),
but not everything a broken provider does: an unreachable discovery URL when the button is pressed, or
a discovery document that is not the JSON object it expects, escape as exceptions and become a 500.
"""

import functools
import logging

from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.openid_connect import views as oidc
from django.contrib.auth.decorators import login_not_required
from jwt import PyJWTError
from requests import RequestException

from accounts.adapters import sso_failed

logger = logging.getLogger(__name__)

# What a provider's answers can raise inside allauth: network and HTTP errors, bad JSON
# (requests' JSONDecodeError is a ValueError), a discovery document without a key it
# reads (KeyError) or not an object at all (TypeError, AttributeError), a bad id_token.
PROVIDER_FAILURES = (
    RequestException,
    OAuth2Error,
    PyJWTError,
    LookupError,
    ValueError,
    TypeError,
    AttributeError,
)


def _guarded(view):
    @login_not_required
    @functools.wraps(view)
    def guarded(request, provider_id):
        try:
            return view(request, provider_id)
        except PROVIDER_FAILURES:
            logger.warning("Single sign-on through %s failed", provider_id, exc_info=True)
            return sso_failed(request)

    return guarded


login = _guarded(oidc.login)
callback = _guarded(oidc.callback)
