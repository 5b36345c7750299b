"""Form fields for Thai users: dates typed and shown in the Buddhist era."""

import datetime as dt
import re
import unicodedata

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from tracking.thaicalendar import BE_OFFSET

_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


class FastSelect(forms.Select):
    """A select whose options are written directly rather than one template each.

    Django renders every option through a template; a list of the 87 ALRO units
    or the 77 provinces costs several milliseconds that way, a good part of a
    page. The HTML is the same as Django's (escaped, ``selected`` marked).
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
        parts = [f'<input type="{escape(widget["type"])}" name="{escape(name)}"']
        if widget["value"] is not None:
            parts.append(f' value="{escape(str(widget["value"]))}"')
        for key, item in widget["attrs"].items():
            if item is True:
                parts.append(f" {escape(key)}")
            elif item is not False:
                parts.append(f' {escape(key)}="{escape(str(item))}"')
        parts.append(">")
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped above  # nosec B308 B703


class FastNumberInput(FastInputMixin, forms.NumberInput):
    pass


class FastTextInput(FastInputMixin, forms.TextInput):
    pass


class ThaiNameChoiceField(forms.ModelChoiceField):
    """A choice of province, district or unit, shown by its Thai name."""

    widget = FastSelect

    def label_from_instance(self, obj):
        return obj.name_th


class ThaiNameMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name_th


class ThaiDateInput(forms.TextInput):
    """Shows a date as d/m/yyyy in the Buddhist era (22/11/2569)."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": _("dd/mm/yyyy (B.E.)"), "inputmode": "numeric", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return f"{value.day}/{value.month}/{value.year + BE_OFFSET}"
        return super().format_value(value)


class ThaiDateField(forms.DateField):
    """Accepts d/m/yyyy with a Buddhist-era year (2569), or an ISO date from a date picker.

    A plain DateField would silently read 22/11/2569 as the year 2569 C.E.;
    here a year before 2400 is refused, as nobody types a C.E. year meaning it, and an ISO date
    (yyyy-mm-dd, Christian year) from 2400 on, as nobody means a C.E. year that far ahead.
    """

    widget = ThaiDateInput
    default_error_messages = {
        "invalid": _("Enter a date as day/month/Buddhist-era year, e.g. 22/11/2569."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.date):
            return value
        text = str(value).strip()
        match = _DATE.match(text)
        try:
            if match:
                day, month, year = (int(part) for part in match.groups())
                if year < 2400:
                    raise ValueError("not a Buddhist-era year")
                return dt.date(year - BE_OFFSET, month, day)
            date = dt.date.fromisoformat(text)
            # A date picker sends the Christian year; 2569-11-22 typed by hand is a B.E. year in
            # the wrong place, and would be stored 543 years late.
            if date.year >= 2400:
                raise ValueError("a Buddhist-era year in an ISO date")
            return date
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def normalise_number(text: str) -> str:
    """'๑,๒๓๔.๕๐ บาท' → '1234.50': Thai digits, thousands commas, spaces and 'บาท' are fine."""
    return (
        text.translate(THAI_DIGITS).replace(",", "").replace("บาท", "").replace(" ", "").replace("\u00a0", "")
    )


class ThaiDecimalField(forms.DecimalField):
    """A DecimalField that reads numbers as Thai offices type them (1,234.50 or ๑,๒๓๔.๕๐)."""

    def to_python(self, value):
        if isinstance(value, str):
            value = normalise_number(value)
        return super().to_python(value)


def thai_mobile_field(**kwargs):
    """A Thai phone number of 9 or 10 digits starting with 0, e.g. 0812345678."""
    return forms.RegexField(
        regex=r"^0[0-9]{8,9}$",
        help_text=_("10 digits, e.g. 0812345678"),
        error_messages={"invalid": _("Enter a Thai phone number of 9 or 10 digits starting with 0.")},
        **{"label": _("Mobile phone"), **kwargs},
    )


# Characters that show nothing: format characters (zero-width space U+200B, joiners U+200C/U+200D,
# word joiner U+2060, byte order mark U+FEFF…), every kind of space and line break, controls, and
# the "filler" letters that render blank.
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def is_blank(text: str) -> bool:
    """True when ``text`` shows nothing on the page: empty, or only invisible characters."""
    return all(
        char.isspace()
        or char in _BLANK_LETTERS
        or unicodedata.category(char) in ("Cf", "Cc", "Zs", "Zl", "Zp")
        for char in text
    )


def refuse_invisible_text():
    """Every stripped text field of every form reads text of invisible characters only as empty.

    Django strips spaces (``str.strip()``, NBSP included) before the "required" check, but a
    zero-width space is not a space to Python, so a name or a reason of zero-width spaces passed
    as filled in. One hook here rather than a field class in each of the project's forms (and
    allauth's): run once at start-up (tracking.apps). Passwords (``strip=False``) are left alone.
    """
    original = forms.CharField.to_python
    if getattr(original, "refuses_invisible_text", False):
        return

    def to_python(self, value):
        value = original(self, value)
        if self.strip and isinstance(value, str) and value and is_blank(value):
            return self.empty_value
        return value

    to_python.refuses_invisible_text = True
    forms.CharField.to_python = to_python
