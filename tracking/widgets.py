"""Widgets that write their HTML directly: the same HTML as Django's, without a template per option or input.

Tested against Django's own widgets in tracking/tests/test_widgets.py.
"""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe


class FastSelect(forms.Select):
    """A select whose options are written directly rather than one template each.

    Django renders every option through a template; a list of the 87 ALRO units
    or the 77 provinces costs a good part of a page's time that way. The HTML is the same as
    Django's (escaped, ``selected`` marked).
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        options = []
        for option_value, label in self.choices:
            if isinstance(label, list | tuple):  # an optgroup: Django's fallback keeps it right
                return super().render(name, value, attrs, renderer)
            option_value = "" if option_value is None else str(option_value)
            selected = " selected" if option_value in chosen else ""
            options.append(f'<option value="{escape(option_value)}"{selected}>{escape(label)}</option>')
        return mark_safe(f"<select{flatatt(final)}>\n" + "\n".join(options) + "\n</select>")  # noqa: S308  # nosec B308 B703


class FastInputMixin:
    """An <input> written directly rather than through three widget templates.

    The workload aspect form has 40 inputs and the month's results form one per step and
    indicator; Django's template per input was the largest part of those pages. The HTML is
    the same as Django's input.html with attrs.html (escaped, booleans as bare attributes).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        # html.escape is what django.utils.html.escape does, without its check for lazy arguments
        # on every call (a dozen a input); every part here is a plain string.
        parts = [f'<input type="{html.escape(widget["type"])}" name="{html.escape(name)}"']
        if widget["value"] is not None:
            parts.append(f' value="{html.escape(str(widget["value"]))}"')
        for key, item in widget["attrs"].items():
            if item is True:
                parts.append(f" {html.escape(key)}")
            elif item is not False:
                parts.append(f' {html.escape(key)}="{html.escape(str(item))}"')
        parts.append(">")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped above  # nosec B308 B703


class FastTextInput(FastInputMixin, forms.TextInput):
    pass
