"""Streaming .xlsx exports, written with XlsxWriter in constant-memory mode.

Rows are written to a temporary file as they come, so memory stays flat
however many rows there are (a year's 105,000 workload answers included);
the finished file is sent in chunks. Text is always written as text: a value
that starts with "=" can never become a formula in the reader's spreadsheet,
nor does a text of digits become a number. (openpyxl still reads uploaded
workbooks; XlsxWriter writes about twice as fast with a fraction of the memory.)
"""

import tempfile
from decimal import Decimal

import xlsxwriter
from django.http import FileResponse
from django.utils.functional import Promise

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
}


def xlsx_response(*, filename: str, sheet_title: str, headers: list[str], rows) -> FileResponse:
    """A download of one sheet: a bold header row, then ``rows`` (any iterable of sequences)."""
    widths = [16] * len(headers)
    return workbook_response(filename=filename, sheets=[(sheet_title, headers, widths, rows)])


def _plain(value):
    if isinstance(value, Decimal):
        return float(value)  # a spreadsheet number is a double either way
    if isinstance(value, Promise):
        return str(value)
    return value


def workbook_response(*, filename: str, sheets) -> FileResponse:
    """Several sheets: ``sheets`` is a list of (title, headers, column widths, rows).

    Header rows are bold and frozen; numbers stay numbers; text stays text.
    """
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook = xlsxwriter.Workbook(spool, OPTIONS)
    bold = workbook.add_format({"bold": True})
    for title, headers, widths, rows in sheets:
        sheet = workbook.add_worksheet(_sheet_name(title))
        sheet.freeze_panes(1, 0)
        for index, width in enumerate(widths):
            sheet.set_column(index, index, width)
        sheet.write_row(0, 0, [str(h) for h in headers], bold)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                value = _plain(value)
                if value is None or value == "":
                    continue
                if isinstance(value, str):
                    sheet.write_string(number, column, value)
                elif isinstance(value, bool):
                    sheet.write_boolean(number, column, value)
                else:
                    sheet.write(number, column, value)
    workbook.close()
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)


def _sheet_name(title) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\ ."""
    name = "".join(" " if c in "[]:*?/\\" else c for c in str(title))
    return name[:31] or "Sheet"
