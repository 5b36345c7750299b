from django import template

register = template.Library()


@register.filter
def get_list(mapping, key):
    """``mapping|get_list:key``: the list stored under key, or an empty list."""
    return mapping.get(key, [])


@register.filter
def index(sequence, position):
    """``sequence|index:i``: the item at position i (from 0), or None."""
    try:
        return sequence[int(position)]
    except (IndexError, TypeError, ValueError):
        return None
