"""Writing rows the same way in every app: children of a parent, and edits checked for staleness."""

import hashlib
import json

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _


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


# --- edits that started from an older version -------------------------------------------------
#
# A form carries a stamp of the row (or rows) as they were when the form was opened. The save
# compares it with the stamp of what is saved now, under the row's lock: if someone else saved
# meanwhile, nothing is written and the user keeps what they typed, with the newer stamp in the
# form, so that saving again replaces the other person's version knowingly, never by accident.


def stamp_of(*values) -> str:
    """A short fingerprint of ``values`` (anything with a stable str()), for a hidden form field."""
    digest = hashlib.sha256(json.dumps(values, default=str, sort_keys=True).encode())
    return digest.hexdigest()[:32]


class EditedMeanwhile(ValidationError):
    """Someone else saved the same thing after this form was opened; ``stamp`` is theirs."""

    def __init__(self, stamp: str):
        super().__init__(
            _(
                "Someone else saved this while you were editing it. What you typed is still in the form "
                "but has not been saved: open the page in a new tab to see their version, then save "
                "again if yours should replace it."
            )
        )
        self.stamp = stamp


def check_stamp(expected: str | None, current: str) -> None:
    """Raise EditedMeanwhile unless the form was opened on the version saved now (or carries no stamp)."""
    if expected and expected != current:
        raise EditedMeanwhile(current)


class StampField(forms.CharField):
    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(required=False, max_length=64, **kwargs)


def restamp(form, stamp: str, field: str = "edit_stamp") -> None:
    """Show the form again carrying the newer stamp, so that the next save goes through."""
    data = form.data.copy()
    data[form.add_prefix(field)] = stamp
    form.data = data
