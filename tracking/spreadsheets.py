"""Reading and writing spreadsheets of any app: typed cells read with every problem collected.

``CellReader`` reads one row's cells by header and records a ``Problem`` (sheet, row, column,
message) instead of stopping at the first, so an import lists everything wrong at once; the
layouts themselves belong to the apps (projects/spreadsheet.py, workload/centre/registry_file.py).
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _

from tracking.forms import NumberTypingError, ThaiDateField, normalise_number
from tracking.thaicalendar import BE_OFFSET

YES, NO = "ใช่", "ไม่"
# The largest amounts the tables hold: money 13 digits and satang, quantities 12 digits and 2 places.
MAX_MONEY = Decimal("9999999999999.99")
MAX_QUANTITY = Decimal("999999999999.99")
FLOAT_DUST = Decimal("1e-6")


def yes_no(flag: bool) -> str:
    return YES if flag else NO


# --- reading cells -------------------------------------------------------------------


@dataclass
class Problem:
    sheet: str
    row: int
    column: str
    message: str


@dataclass
class CellReader:
    """Reads one row's cells by header, collecting every problem instead of stopping at the first."""

    sheet: str
    row: int
    values: dict
    problems: list = field(default_factory=list)

    def fail(self, column, message):
        self.problems.append(Problem(self.sheet, self.row, column, message))

    def text(self, column, required=True, max_length=500):
        value = self.values.get(column)
        text = "" if value is None else str(value).strip()
        if required and not text:
            self.fail(column, _("Required, but empty."))
        elif len(text) > max_length:
            self.fail(column, _("Longer than %(n)s characters.") % {"n": max_length})
        return text

    def number(self, column, required=True, places=2, minimum=Decimal(0), maximum=MAX_MONEY):
        value = self.values.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.fail(column, _("Required, but empty."))
            return None
        try:
            number = (
                Decimal(str(value))
                if isinstance(value, int | float) and not isinstance(value, bool)
                else Decimal(normalise_number(str(value), whole=places == 0))
            )
        except NumberTypingError as error:
            self.fail(column, str(error))
            return None
        except (InvalidOperation, ValueError):
            self.fail(column, _("Not a number: %(value)s") % {"value": value})
            return None
        if not number.is_finite():
            self.fail(column, _("Not a number: %(value)s") % {"value": value})
            return None
        # Compared before rounding: a huge number cannot be rounded to satang (and is refused anyway).
        if number < minimum or number > maximum:
            self.fail(column, _("Must be between %(low)s and %(high)s.") % {"low": minimum, "high": maximum})
            return None
        rounded = number.quantize(Decimal(1).scaleb(-places))
        # A spreadsheet's own arithmetic leaves float dust (0.1 + 0.2); a typed third decimal is refused.
        if rounded != number and not (isinstance(value, float) and abs(rounded - number) < FLOAT_DUST):
            if places:
                self.fail(column, _("At most %(places)s decimal places.") % {"places": places})
            else:
                self.fail(column, _("Must be a whole number."))
            return None
        return rounded

    def whole(self, column, minimum=1, maximum=9999):
        number = self.number(column, places=0, minimum=Decimal(minimum), maximum=Decimal(maximum))
        return int(number) if number is not None else None

    def choice(self, column, choices: dict, required=True):
        """Accepts a code or its Thai or English label."""
        text = self.text(column, required=required)
        if not text:
            return None
        for code, label in choices.items():
            with translation.override("th"):
                thai = str(label)
            with translation.override("en"):
                english = str(label)
            if text in (code, thai, english):
                return code
        self.fail(column, _("Unknown value: %(value)s") % {"value": text})
        return None

    def flag(self, column):
        text = self.text(column, required=False).lower()
        if text in ("", "ไม่", "no", "false", "0", "n"):
            return False
        if text in ("ใช่", "yes", "true", "1", "y", "✓"):
            return True
        self.fail(column, _("Answer ใช่ or ไม่."))
        return False

    def date(self, column):
        value = self.values.get(column)
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            # 1/10/2569 typed into a date cell becomes the Common Era year 2569 (shown 3112 in the
            # Buddhist-era format): no project runs then, so it is read as the Buddhist-era year typed.
            if value.year <= BE_OFFSET + 1900:
                return value
            try:
                return value.replace(year=value.year - BE_OFFSET)
            except ValueError:  # 29 February of a year that is not a leap year in the Common Era
                self.fail(column, _("Not a date; write day/month/Buddhist-era year, e.g. 1/10/2569."))
                return None
        try:
            return ThaiDateField().to_python(str(value))
        except Exception:
            self.fail(column, _("Not a date; write day/month/Buddhist-era year, e.g. 1/10/2569."))
            return None
