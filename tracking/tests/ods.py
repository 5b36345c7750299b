"""Builds small OpenDocument spreadsheets by hand for the import tests (no writer library needed).

An .ods is a zip: an uncompressed ``mimetype`` entry first, a manifest, and
``content.xml`` with one ``table:table`` per sheet.
"""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from xml.sax.saxutils import escape, quoteattr

from openpyxl import load_workbook

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
 <manifest:file-entry manifest:full-path="/"
  manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>
 <manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
    "<office:body><office:spreadsheet>"
)
TAIL = "</office:spreadsheet></office:body></office:document-content>"


def _cell(value) -> str:
    if value is None or value == "":
        return "<table:table-cell/>"
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int | float | Decimal):
        return (
            f'<table:table-cell office:value-type="float" office:value="{value}">'
            f"<text:p>{value}</text:p></table:table-cell>"
        )
    if isinstance(value, dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{day.isoformat()}">'
            f"<text:p>{day.isoformat()}</text:p></table:table-cell>"
        )
    text = escape(str(value))
    return f'<table:table-cell office:value-type="string"><text:p>{text}</text:p></table:table-cell>'


def content_xml(sheets: dict) -> str:
    body = "".join(
        f"<table:table table:name={quoteattr(title)}>"
        + "".join("<table:table-row>" + "".join(_cell(v) for v in row) + "</table:table-row>" for row in rows)
        + "</table:table>"
        for title, rows in sheets.items()
    )
    return HEAD + body + TAIL


def ods_bytes(sheets: dict | None = None, *, content: str | None = None, mimetype: str = MIMETYPE) -> bytes:
    """``sheets``: {title: [[value, …], …]}; or the raw ``content`` XML for hostile files."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), mimetype, compress_type=zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", MANIFEST)
        archive.writestr("content.xml", content if content is not None else content_xml(sheets or {}))
    return out.getvalue()


def xlsx_to_ods(data: bytes) -> bytes:
    """The same workbook as .ods: every sheet, every value with its type."""
    book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    sheets = {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book}
    book.close()
    return ods_bytes(sheets)
