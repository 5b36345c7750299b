"""Checks an uploaded spreadsheet before any parser touches it.

An .xlsx and an .ods are both zips of XML files. Before a reader opens one,
the file must be small enough, a real zip holding a workbook of the kind its
name says, with a bounded number of entries and a bounded uncompressed size
(a zip bomb fails here, not in memory). openpyxl parses .xlsx through
defusedxml, which is installed; calamine (.ods) expands no XML entities.
"""

import zipfile

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 60 * 1024 * 1024
MAX_ENTRIES = 2000
MAX_RATIO = 200
XLSX, ODS = "xlsx", "ods"
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def _check_size(upload, limit: int) -> None:
    if upload.size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(upload.size / 1024 / 1024, 1), "limit": limit // 1024 // 1024}
        )


def spreadsheet_kind(archive: zipfile.ZipFile) -> str | None:
    """XLSX or ODS by what the zip holds, None when it is neither.

    An OpenDocument file starts with an entry ``mimetype`` naming its type; an
    Office Open XML workbook has a content-type list and ``xl/workbook.xml``.
    """
    entries = archive.infolist()
    names = {entry.filename for entry in entries}
    if entries and entries[0].filename == "mimetype" and "content.xml" in names:
        if entries[0].file_size <= 100 and archive.read(entries[0]).strip() == ODS_MIMETYPE:
            return ODS
        return None
    if "xl/workbook.xml" in names and "[Content_Types].xml" in names:
        return XLSX
    return None


def check_spreadsheet(upload) -> str:
    """Raise a ValidationError in Thai unless ``upload`` looks like a safe .xlsx or .ods file; its kind."""
    _check_size(upload, MAX_UPLOAD_BYTES)
    name = upload.name.lower()
    expected = XLSX if name.endswith(".xlsx") else ODS if name.endswith(".ods") else None
    if expected is None:
        raise ValidationError(_("Upload a spreadsheet: Excel (.xlsx) or LibreOffice/OpenOffice (.ods)."))
    not_real = _("This is not a real %(kind)s file (it may be damaged or another format renamed).") % {
        "kind": f".{expected}"
    }
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ValidationError(not_real)
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            total = sum(entry.file_size for entry in entries)
            too_packed = any(
                entry.compress_size and entry.file_size / entry.compress_size > MAX_RATIO for entry in entries
            )
            if len(entries) > MAX_ENTRIES or total > MAX_UNCOMPRESSED_BYTES or too_packed:
                raise ValidationError(
                    _("The file unpacks to far more data than a spreadsheet should; it was refused.")
                )
            if spreadsheet_kind(archive) != expected:
                raise ValidationError(not_real)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        raise ValidationError(not_real) from None
    upload.seek(0)
    return expected


# Documents people attach to news: what the name says must match what the bytes are.
DOCUMENT_TYPES = {
    ".pdf": "pdf", ".docx": "ooxml", ".xlsx": "ooxml", ".pptx": "ooxml",
    ".doc": "ole", ".xls": "ole", ".ppt": "ole",
}  # fmt: skip
# An Office Open XML file is a zip with a content-type list and the parts of its kind.
OOXML_FOLDERS = {".docx": "word/", ".xlsx": "xl/", ".pptx": "ppt/"}
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024


def check_document(upload) -> None:
    """PDF or office files only, checked by their first bytes, at most 10 MB."""
    name = upload.name.lower()
    kind = next((kind for ext, kind in DOCUMENT_TYPES.items() if name.endswith(ext)), None)
    if kind is None:
        raise ValidationError(_("Attach PDF, Word, Excel or PowerPoint files only."))
    _check_size(upload, MAX_DOCUMENT_BYTES)
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    ok = {
        "pdf": lambda: head.startswith(b"%PDF-"),
        "ooxml": lambda: head.startswith(b"PK\x03\x04") and _is_office_zip(upload, name),
        "ole": lambda: head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"),
    }[kind]()
    upload.seek(0)
    if not ok:
        raise ValidationError(_("The file's content does not match its name; it was refused."))


def _is_office_zip(upload, name: str) -> bool:
    """A zip holding [Content_Types].xml and a part of the kind its name says (a .docx has word/…)."""
    folder = next(folder for ext, folder in OOXML_FOLDERS.items() if name.endswith(ext))
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        return False
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False
    return "[Content_Types].xml" in names and any(n.startswith(folder) for n in names)


def save_with_files(instance, files: dict) -> None:
    """Write ``files`` ({field name: (file name, content)}) and then the row, all or nothing.

    The files go first, so a row never points at a file that is not there. When a file
    cannot be written (a full disk, object storage down) nothing is saved and the user
    gets a Thai message; when the row cannot be written, the files already written are
    removed again, so no orphan is left on either side.
    """
    from django.db import transaction

    written = []
    try:
        for name, (filename, content) in files.items():
            getattr(instance, name).save(filename, content, save=False)
            written.append(name)
        with transaction.atomic():
            instance.save()
    except BaseException as error:
        for name in written:
            getattr(instance, name).delete(save=False)
        if isinstance(error, OSError):
            raise ValidationError(
                _(
                    "The file could not be stored on the server (its disk may be full). Nothing was "
                    "saved. Please try again later, and tell the system administrator if it happens again."
                )
            ) from error
        raise
