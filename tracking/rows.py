"""Writing a row that belongs to a parent row, the same way in every app."""

from django.core.exceptions import PermissionDenied


def save_child(model, *, parent_field: str, parent, instance=None, fields: dict):
    """Create (``instance`` None) or change a ``model`` row of ``parent`` from cleaned form fields.

    A row of another parent is refused, so an id in the URL cannot reach across parents.
    The caller holds the transaction and has checked the user's right to change ``parent``.
    """
    instance = instance or model(**{parent_field: parent})
    if getattr(instance, f"{parent_field}_id") != parent.pk:
        raise PermissionDenied
    for name, value in fields.items():
        setattr(instance, name, value)
    instance.full_clean()
    instance.save()
    return instance
