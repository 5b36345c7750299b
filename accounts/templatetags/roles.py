from django import template

from accounts.roles import Role

register = template.Library()


@register.filter
def role_label(code):
    """The Thai (or English) name of a role code."""
    return Role(code).label if code in Role.values else code
