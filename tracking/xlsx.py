"""Streaming .xlsx exports: rows go to a temporary file in openpyxl's write-only mode.

Memory stays flat however many rows there are; the finished file is sent in
chunks. Text cells are always written as text, so a value that starts with
"=" can never become a formula in the reader's spreadsheet.
"""

import tempfile

from django.http import FileResponse
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(sheet, value, bold=False):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


def xlsx_response(*, filename: str, sheet_title: str, headers: list[str], rows) -> FileResponse:
    """A download of one sheet: a bold header row, then ``rows`` (any iterable of sequences)."""
    widths = [16] * len(headers)
    return workbook_response(filename=filename, sheets=[(sheet_title, headers, widths, rows)])


def workbook_response(*, filename: str, sheets) -> FileResponse:
    """Several sheets: ``sheets`` is a list of (title, headers, column widths, rows).

    Header rows are bold and frozen; numbers stay numbers; text stays text.
    """
    workbook = Workbook(write_only=True)
    for title, headers, widths, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(widths, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        sheet.append([_cell(sheet, str(h), bold=True) for h in headers])
        for row in rows:
            sheet.append([_cell(sheet, value) for value in row])
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=XLSX_CONTENT_TYPE)
