"""Reads an uploaded workbook, .xlsx or .ods, as sheets of rows of plain values.

.xlsx is read by openpyxl in read-only mode (rows parsed as they are read,
through defusedxml); .ods by calamine (python-calamine, the Rust reader),
which we keep rather than writing an OpenDocument parser. Both give the
same values: text as str, numbers as int or float, dates as date or
datetime, empty cells as None, so an import reads either format the same way.
The file must already have passed ``tracking.uploads.check_spreadsheet``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from tracking.uploads import ODS, XLSX, spreadsheet_kind

UNREADABLE = _("The file could not be read as a spreadsheet (.xlsx or .ods).")


class UnreadableWorkbook(Exception):
    """The file could not be parsed as a workbook (any reader's failure)."""


@dataclass
class SheetRows:
    title: str
    rows: Iterator[tuple]  # from row 1 (the header row) down, each a tuple of plain values


def kind_of(fileobj) -> str | None:
    fileobj.seek(0)
    try:
        with zipfile.ZipFile(fileobj) as archive:
            return spreadsheet_kind(archive)
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        fileobj.seek(0)


@contextmanager
def open_workbook(fileobj):
    """Yields the sheets in order; a failure to open or to read any row raises UnreadableWorkbook."""
    kind = kind_of(fileobj)
    if kind == XLSX:
        try:
            workbook = load_workbook(fileobj, read_only=True, data_only=True)
        except Exception as error:  # any failure of openpyxl means an unreadable file
            raise UnreadableWorkbook from error
        try:
            yield [SheetRows(sheet.title, _guarded(sheet.iter_rows(values_only=True))) for sheet in workbook]
        finally:
            workbook.close()
    elif kind == ODS:
        try:
            workbook = CalamineWorkbook.from_filelike(fileobj)
            sheets = [
                SheetRows(name, _ods_rows(workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)))
                for name in workbook.sheet_names
            ]
        except Exception as error:  # calamine's errors: XmlError, ZipError, CalamineError, …
            raise UnreadableWorkbook from error
        try:
            yield sheets
        finally:
            workbook.close()
    else:
        raise UnreadableWorkbook


def _guarded(rows) -> Iterator[tuple]:
    """openpyxl parses a sheet's XML as its rows are read: a broken sheet fails here."""
    try:
        yield from rows
    except Exception as error:
        raise UnreadableWorkbook from error


def _ods_rows(rows) -> Iterator[tuple]:
    """calamine writes an empty cell as "" and every number as a float; read as openpyxl does."""
    for row in rows:
        yield tuple(_plain(value) for value in row)


def _plain(value):
    if value == "":
        return None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value
