"""Every .xlsx export is written here, with XlsxWriter in constant-memory mode.

Rows are written to a temporary file as they come, so memory stays flat
however many rows there are (a year's 105,000 workload answers included);
the finished file is sent in chunks. (openpyxl still reads uploaded
workbooks; XlsxWriter writes faster with a fraction of the memory.)

Each column declares its kind, and the kind decides how the cell is stored
and shown, so a workbook opens ready to work with in Excel and LibreOffice:

- money: a number shown ``#,##0.00``; a plain number (quantities, hours): the same;
- percent: the figure the pages show (85.25) stored as the fraction 0.8525 and
  shown ``0.00%``, so it sums and charts as a percentage;
- count: a whole number ``#,##0``; year: a whole number without separator (2570);
- date / datetime / month: a real date cell (sortable, filterable, usable in formulas)
  shown in the Buddhist era, ``31 ธ.ค. 2569``. The format code
  ``[$-107041E]`` means Arabic digits (01), the Thai Buddhist calendar (07) and
  the Thai locale (041E); Excel and LibreOffice (checked with 7.4) both show
  the พ.ศ. year from it. The newer ``[$-th-TH,107]`` spelling is not used:
  LibreOffice shows such a cell as a bare serial number.
- text: always text: a value that starts with "=" never becomes a formula, nor
  does a text of digits become a number.

Every table has an autofilter over its header and rows (a totals row is
written below it, outside the filter, so sorting never moves it), and its
header row is frozen.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

import xlsxwriter
from django.http import FileResponse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from tracking.thaicalendar import FiscalMonth, _uses_buddhist_era, be_year

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}

TEXT, MONEY, PERCENT, NUMBER, COUNT, YEAR, DATE, DATETIME, MONTH = (
    "text", "money", "percent", "number", "count", "year", "date", "datetime", "month",
)  # fmt: skip
# Outputs and hours: a whole number is written as a count (no .00), any other with its decimals.
QUANTITY = "quantity"
DATE_KINDS = (DATE, DATETIME, MONTH)
BUDDHIST_ERA = "[$-107041E]"
NUMBER_FORMATS = {
    MONEY: "#,##0.00",
    NUMBER: "#,##0.00",
    PERCENT: "0.00%",
    COUNT: "#,##0",
    YEAR: "0",
    DATE: f"{BUDDHIST_ERA}d mmm yyyy",
    DATETIME: f"{BUDDHIST_ERA}d mmm yyyy hh:mm",
    MONTH: f"{BUDDHIST_ERA}mmm yy",  # a month's first day, shown ต.ค. 69 as the report pages head it
}
DEFAULT_WIDTHS = {
    TEXT: 16, MONEY: 18, NUMBER: 14, PERCENT: 12, COUNT: 10, YEAR: 10, DATE: 14, DATETIME: 18, MONTH: 10,
    QUANTITY: 12,
}  # fmt: skip
SHEET_NAME_LIMIT = 31
SHEET_NAME_FORBIDDEN = "[]:*?/\\"


@dataclass(frozen=True)
class Column:
    header: object
    kind: str = TEXT
    width: int | None = None


@dataclass
class Sheet:
    """One table: a header row, then ``rows`` (any iterable of sequences), then an optional totals row."""

    title: object
    columns: Sequence[Column]
    rows: Iterable
    footer: Sequence | None = None


def workbook_response(*, filename: str, fallback: str, sheets: list[Sheet]) -> FileResponse:
    """A download of ``sheets``; ``filename`` may be Thai, ``fallback`` is its ASCII stand-in."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_workbook(spool, sheets)
    spool.seek(0)
    response = FileResponse(spool, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition(filename, fallback)
    return response


def content_disposition(filename: str, fallback: str) -> str:
    """RFC 6266 with an RFC 5987 ``filename*`` for the Thai name, the ASCII name for older clients."""
    if not fallback.isascii() or any(c in fallback for c in '"\\\r\n'):
        raise ValueError("the fallback file name must be plain ASCII")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


def download_names(title, fiscal_year: int, month: FiscalMonth | None = None, extra: str = "") -> dict:
    """``filename`` (the user's language) and ``fallback`` (English ASCII) for an export.

    Months are named, never numbered (a fiscal month 03 reads as March but is
    December): ``งบประมาณ-ปีงบ2570-ถึงธ.ค.2569.xlsx`` / ``budget-FY2570-to-Dec-2026.xlsx``.
    ``title`` is a lazy translation; ``extra`` (a project code) is added as it is.
    """

    def name(english: bool) -> str:
        parts = [str(title), str(_("FY%(year)s") % {"year": fiscal_year})]
        if month is not None:
            if english or not _uses_buddhist_era():
                when = f"{month.short_name} {month.year}"
            else:
                when = f"{month.short_name}{be_year(month.year)}"  # ธ.ค.2569
            parts.append(str(_("to %(month)s") % {"month": when}))
        if extra:
            parts.append(extra)
        text = "-".join(part.strip().replace(" ", "-") for part in parts)
        return "".join(c for c in text if c not in '<>:"/\\|?*' and c.isprintable()) + ".xlsx"

    localised = name(english=False)
    with translation.override("en"):
        fallback = name(english=True)
    fallback = "".join(c if c.isascii() and (c.isalnum() or c in "-_.") else "-" for c in fallback)
    fallback = re.sub("-+", "-", fallback).strip("-")
    return {"filename": localised, "fallback": fallback}


def write_workbook(target, sheets: list[Sheet]) -> None:
    workbook = xlsxwriter.Workbook(target, OPTIONS)
    header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    formats = {kind: workbook.add_format({"num_format": code}) for kind, code in NUMBER_FORMATS.items()}
    totals = {
        kind: workbook.add_format({"bold": True, "top": 1, **({"num_format": code} if code else {})})
        for kind, code in {TEXT: None, **NUMBER_FORMATS}.items()
    }
    used = set()
    for sheet_spec in sheets:
        columns = list(sheet_spec.columns)
        sheet = workbook.add_worksheet(_unique(sheet_name(sheet_spec.title), used))
        widths = [column.width or DEFAULT_WIDTHS.get(column.kind, 16) for column in columns]
        for index, (column, width) in enumerate(zip(columns, widths, strict=True)):
            # The column's own format too, so figures typed into a blank template look the same.
            sheet.set_column(index, index, width, formats.get(column.kind))
        headers = [str(column.header) for column in columns]
        sheet.set_row(0, _header_height(headers, widths))
        sheet.write_row(0, 0, headers, header)
        sheet.freeze_panes(1, 0)
        # Printed: A4 landscape, all columns on one page width, the header on every page.
        sheet.set_paper(9)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)
        sheet.repeat_rows(0)
        last = 0
        for last, row in enumerate(sheet_spec.rows, start=1):
            _write_row(sheet, last, columns, row, formats)
        if columns:
            sheet.autofilter(0, 0, last, len(columns) - 1)
        if sheet_spec.footer is not None:
            _write_row(sheet, last + 1, columns, sheet_spec.footer, totals)
    workbook.close()


def _header_height(headers: list[str], widths: list[int]) -> float:
    """Tall enough for the wrapped headers: LibreOffice does not grow a row to fit on opening."""
    lines = 1
    for text, width in zip(headers, widths, strict=True):
        # Thai vowel and tone marks sit above or below a letter and take no width of their own.
        visible = sum(1 for c in text if unicodedata.category(c) not in ("Mn", "Me"))
        lines = max(lines, math.ceil(visible / max(width - 1, 1)))
    return 17.0 * lines + 2


def _write_row(sheet, number: int, columns: list[Column], row, formats) -> None:
    for index, (column, value) in enumerate(zip(columns, row, strict=False)):
        if isinstance(value, Promise):
            value = str(value)
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            sheet.write_boolean(number, index, value)
            continue
        kind = column.kind
        if isinstance(value, str):
            kind = TEXT  # a label in a figure column ("–", "รวม") stays text
        elif isinstance(value, dt.date) and kind not in DATE_KINDS:
            kind = DATETIME if isinstance(value, dt.datetime) else DATE
        elif kind == TEXT:
            kind = NUMBER if isinstance(value, float | Decimal) else COUNT  # a number is never text
        if kind == QUANTITY:
            kind = COUNT if value == int(value) else NUMBER
        style = formats.get(kind)
        if kind == TEXT:
            sheet.write_string(number, index, value, style)
        elif kind in DATE_KINDS:
            sheet.write_datetime(number, index, _naive(value), style)
        elif kind == PERCENT:
            sheet.write_number(number, index, float(Decimal(str(value)) / 100), style)
        else:
            sheet.write_number(number, index, float(value), style)


def _naive(value):
    """A spreadsheet has no time zones: times are written as Thai local time."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def sheet_name(title) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, not starting or ending with '."""
    name = "".join(" " if c in SHEET_NAME_FORBIDDEN else c for c in str(title)).strip().strip("'")
    return name[:SHEET_NAME_LIMIT].strip() or "Sheet"


def _unique(name: str, used: set) -> str:
    """Two tables with the same title get distinct sheets (names compare without case, as Excel does)."""
    candidate, number = name, 2
    while candidate.lower() in used:
        suffix = f" ({number})"
        candidate = name[: SHEET_NAME_LIMIT - len(suffix)] + suffix
        number += 1
    used.add(candidate.lower())
    return candidate
