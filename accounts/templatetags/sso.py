from allauth.socialaccount.adapter import get_adapter
from django import template

register = template.Library()


@register.filter
def sso_provider_name(account):
    """The configured name of an SSO link's provider ("DLA Connect"), or its id once no longer configured."""
    apps = get_adapter().list_apps(None, provider=account.provider)
    return apps[0].name if apps else account.provider
