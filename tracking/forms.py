"""Form fields for Thai users: dates in the Buddhist era, numbers with Thai digits and separators."""

import datetime as dt
import re
import unicodedata
from decimal import Decimal

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from tracking.thaicalendar import BE_OFFSET, format_number, format_quantity
from tracking.widgets import FastSelect, FastTextInput

_DATE = re.compile(r"^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$")


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
# Spaces anywhere (a leading or trailing one, NBSP from a copied cell, a space between thousands)
# and the zero-width space Thai text is often typed with.
_BLANKS = re.compile(r"[\s\u200b\ufeff]+")
_COMMA_GROUPS = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?")  # 1,234 / 1,234,567.50
_DOT_GROUPS = re.compile(r"([+-]?\d{1,3}(?:\.\d{3})+)(?:,(\d+))?")  # 1.234 / 1.234.567 / 1.234,50
_COMMA_DECIMALS = re.compile(r"([+-]?\d+),(\d{1,2})")  # 12,5 / 1234,50
_PLAIN = re.compile(r"[+-]?\d+(?:\.\d*)?")
_ONE_DOT_GROUP = re.compile(r"[+-]?\d{1,3}\.\d{3}")  # 1.234: a thousand, or three decimals?

EUROPEAN_NUMBER = _(
    "%(typed)s is read as a European number (dots between thousands, a comma before the decimals). "
    "Here a comma separates thousands and a dot the decimals: type %(meant)s."
)
MISPLACED_COMMA = _(
    "A comma separates thousands, in groups of three digits (1,234,567); decimals follow a dot (12.50)."
)
THOUSANDS_OR_DECIMALS = _(
    "At most %(max)s digits after the dot. If you meant thousands, type a comma: %(meant)s."
)


class NumberTypingError(ValueError):
    """A number typed in a way that cannot be read without guessing; ``message`` says how to type it."""

    def __init__(self, message, code, params=None):
        super().__init__(message)
        self.message, self.code, self.params = message, code, params or {}

    def validation_error(self):
        return forms.ValidationError(self.message, code=self.code, params=self.params)

    def __str__(self):
        return str(self.message) % self.params if self.params else str(self.message)


def normalise_number(text: str, *, whole: bool = False) -> str:
    """'๑,๒๓๔.๕๐ บาท' → '1234.50': Thai digits, thousands commas, spaces and 'บาท' are fine.

    The one place where typed numbers are read, for every integer and decimal field and the
    spreadsheet import. A European number (1.234,50 or 1.234.567) or a comma where no thousands
    separator can be raises NumberTypingError rather than being read as something else; so does
    1.234 where only a whole number is wanted (``whole``). Anything else is returned for the
    field to accept or refuse.
    """
    text = _BLANKS.sub("", text.translate(THAI_DIGITS).replace("บาท", "")).replace("\u2212", "-")
    if _COMMA_GROUPS.fullmatch(text):
        return text.replace(",", "")
    european = _DOT_GROUPS.fullmatch(text)
    if european and (european[2] is not None or text.count(".") > 1 or whole):
        meant = f"{int(european[1].replace('.', '')):,}" + (f".{european[2]}" if european[2] else "")
        raise NumberTypingError(EUROPEAN_NUMBER, "european", {"typed": text, "meant": meant})
    comma_decimals = _COMMA_DECIMALS.fullmatch(text)
    if comma_decimals:
        meant = f"{comma_decimals[1]}.{comma_decimals[2]}"
        raise NumberTypingError(EUROPEAN_NUMBER, "european", {"typed": text, "meant": meant})
    if "," in text and _PLAIN.fullmatch(text.replace(",", "")):  # else the field says it is no number
        raise NumberTypingError(MISPLACED_COMMA, "misplaced_comma")
    return text


class IntegerInput(FastTextInput):
    """A whole number typed as text (``inputmode="numeric"``): type=number would drop Thai digits.

    ``grouped``: shown with thousands separators (counts, not years or order numbers).
    """

    def __init__(self, attrs=None, grouped=False):
        super().__init__({"inputmode": "numeric", **(attrs or {})})
        self.grouped = grouped

    def format_value(self, value):
        if self.grouped and isinstance(value, int) and not isinstance(value, bool):
            return f"{value:,}"
        return super().format_value(value)


class DecimalInput(FastTextInput):
    """A decimal typed as text (``inputmode="decimal"``), shown with thousands separators.

    ``places``: 2 for money (``1,234.50``); None for quantities (``12``, ``12.5``, no ``.00``).
    What the user typed comes back as typed.
    """

    def __init__(self, attrs=None, places=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})
        self.places = places

    def format_value(self, value):
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_quantity(value) if self.places is None else format_number(value, self.places)
        return super().format_value(value)


class ThaiIntegerField(forms.IntegerField):
    """An IntegerField that reads numbers as Thai offices type them (1,234, ๑๒, ' 12 ')."""

    widget = IntegerInput

    def to_python(self, value):
        if isinstance(value, str):
            try:
                value = normalise_number(value, whole=True)
            except NumberTypingError as error:
                raise error.validation_error() from None
        return super().to_python(value)


class ThaiDecimalField(forms.DecimalField):
    """A DecimalField that reads numbers as Thai offices type them (1,234.50 or ๑,๒๓๔.๕๐)."""

    widget = DecimalInput

    def to_python(self, value):
        if isinstance(value, str):
            try:
                value = normalise_number(value)
            except NumberTypingError as error:
                raise error.validation_error() from None
            if (
                self.decimal_places is not None
                and self.decimal_places < 3
                and _ONE_DOT_GROUP.fullmatch(value)
            ):
                raise forms.ValidationError(
                    THOUSANDS_OR_DECIMALS,
                    code="max_decimal_places",
                    params={"max": self.decimal_places, "meant": f"{int(value.replace('.', '')):,}"},
                )
        return super().to_python(value)


def number_formfield(db_field, **kwargs):
    """``formfield_callback`` of model forms: integer and decimal columns get the Thai fields."""
    if isinstance(db_field, models.IntegerField) and not db_field.choices:
        return db_field.formfield(**{"form_class": ThaiIntegerField, "widget": IntegerInput, **kwargs})
    if isinstance(db_field, models.DecimalField) and not db_field.choices:
        return db_field.formfield(**{"form_class": ThaiDecimalField, "widget": DecimalInput, **kwargs})
    return db_field.formfield(**kwargs)


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
