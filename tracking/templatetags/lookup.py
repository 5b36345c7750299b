from django import template

register = template.Library()


@register.filter
def get_list(mapping, key):
    """``mapping|get_list:key``: the list stored under key, or an empty list."""
    return mapping.get(key, [])
