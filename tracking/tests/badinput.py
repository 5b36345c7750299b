"""Shared pieces of the bad-input catalogue (the */tests/test_bad_input.py files).

- ``database_state()`` / ``changed_tables()``: a digest of every row of every table (business
  tables, their pghistory event tables, users, roles…) to prove a refused form changed nothing;
- ``Msg`` and the Thai messages the catalogue expects, taken from locale/th and Django's Thai;
- ``refused()``: POST a form with bad values through the test client and check the whole contract;
- ``form_data()`` / ``assign()``: the page's own form as a browser would send it back, and which
  of its fields get which bad value;
- builders of hostile files: zip bombs, billion-laughs workbooks, truncated and renamed files,
  fake, truncated, polyglot and decompression-bomb images.
"""

import functools
import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.forms.widgets import ChoiceWidget, PasswordInput
from django.utils.html import escape
from openpyxl import Workbook
from PIL import Image

# Tables whose rows change without any form being saved: sessions (the signed-in client),
# the database cache (allauth's rate limits, page caches).
VOLATILE_TABLES = {"django_session", "django_cache"}


def database_state() -> dict[str, str]:
    """Each table's row count and a digest of its rows (a sum of row hashes: order-free), in one query."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename"
        )
        tables = [name for (name,) in cursor.fetchall() if name not in VOLATILE_TABLES]
        # Table names come from the catalogue and are quoted: nothing here is user input.
        parts = [
            f"(SELECT count(*) || ':' || coalesce(sum(hashtextextended(t::text, 0)), 0)"  # noqa: S608  # nosec B608
            f" FROM {connection.ops.quote_name(name)} t)"
            for name in tables
        ]
        cursor.execute("SELECT " + ", ".join(parts))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def changed_tables(before: dict[str, str]) -> list[str]:
    after = database_state()
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def media_files(root) -> list[Path]:
    return [path for path in Path(root).rglob("*") if path.is_file()]


# --- messages ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Msg:
    """A message the user must see: its Thai text (a fragment), or, while the Thai translation of
    its msgid is still to be added to locale/th, the English msgid fragment that shows today."""

    thai: str
    english: str = ""
    pending: bool = False

    def found_in(self, text: str) -> bool:
        wanted = self.english if self.pending else self.thai
        return wanted in text or escape(wanted) in text

    def check(self, body: str):
        """Assert the message is in ``body``; while its translation is pending, mark the test xfail."""
        check_messages([(self, body)])


def check_messages(pairs):
    """Each (Msg, text) must match. Messages still in English are collected and the test then
    xfails, once everything else has passed; when the translation lands, the English is gone and
    the assertion fails: then drop ``pending=True`` from the Msg."""
    pending = []
    for message, text in pairs:
        wanted = message.english if message.pending else message.thai
        assert message.found_in(text), f"expected {wanted!r} in {text[:300]!r}"
        if message.pending:
            pending.append(message.english)
    if pending:
        pytest.xfail(f"Thai translation still to be added for {sorted(set(pending))}")


# Django's own messages with their Thai (Django's catalogue or ours, locale/th).
REQUIRED = Msg("กรุณากรอกข้อมูลช่องนี้")
NUMBER = Msg("กรอกหมายเลข")  # "Enter a number." / "Enter a whole number."
# Ours (tracking/forms.py): 1.234,50 or 1.000 is read as a European number and told how to type it.
EUROPEAN = Msg("ตัวเลขแบบยุโรป")
MIN_VALUE = Msg("ค่านี้ต้องมากกว่าหรือเท่ากับ")
MAX_VALUE = Msg("ค่านี้ต้องน้อยกว่าหรือเท่ากับ")
CHOICE = Msg("เลือกตัวเลือกที่ถูกต้อง")
EMAIL = Msg("ป้อนที่อยู่อีเมลที่ถูกต้อง")
URL = Msg("ใส่ URL ที่ถูกต้อง")
DATE = Msg("กรุณากรอกวันที่เป็น วัน/เดือน/ปี พ.ศ.")
# Django's messages that Django's Thai catalogue leaves untranslated; listed in
# tracking/django_overrides.py so our catalogue carries them (in locale/th).
TOO_LONG = Msg("ต้องมีความยาวไม่เกิน", "Ensure this value has at most")
MAX_DIGITS = Msg("ได้ไม่เกิน", "Ensure that there are no more than")  # in total, or before the point
DECIMAL_PLACES = Msg("ทศนิยมได้ไม่เกิน", "decimal place")
NULL_CHARACTER = Msg("ต้องไม่มีอักขระว่าง (null)", "Null characters are not allowed.")
ALREADY_EXISTS = Msg("มีอยู่แล้ว", "already exists.")
PASSWORD_TOO_SHORT = Msg("รหัสผ่านสั้นเกินไป", "This password is too short.")
PASSWORD_TOO_COMMON = Msg("รหัสผ่านนี้ใช้กันทั่วไป", "This password is too common.")
PASSWORD_NUMERIC = Msg("รหัสผ่านเป็นตัวเลขทั้งหมด", "This password is entirely numeric.")
PASSWORD_SIMILAR = Msg("รหัสผ่านคล้ายกับ", "The password is too similar to the")
NOT_A_VALID_VALUE = Msg("ไม่ใช่ค่าที่ถูกต้อง", "is not a valid value.")


# Crafted characters: NUL and other control characters (tracking.middleware), refused whole.
CONTROL_CHARACTERS = Msg("คำขอนี้มีอักขระที่ระบบไม่รับ")
# Text of invisible characters only: zero-width space, joiners, word joiner, BOM, NBSP.
INVISIBLE_TEXTS = ["\u200b", "\u200b\u200c\u200d", "\u2060\ufeff", "\u00a0\u00a0", " \u200b\u3164 "]
# Values a crafted URL puts where a number goes: too large for the database, negative.
OUT_OF_RANGE = ["99999999999", "-1"]


def refused_whole(client, url, data=None, *, method="post"):
    """A request with a control character in a field or the query string: 400, the Thai page that
    says why, and no row of any table changed."""
    before = database_state()
    response = getattr(client, method)(url, data or {})
    assert response.status_code == 400, f"status {response.status_code}"
    CONTROL_CHARACTERS.check(response.content.decode())
    assert changed_tables(before) == [], "the database changed"
    return response


# --- the whole contract of one refused POST -------------------------------------------------


def refused(client, url, data, bad=None, *, message: Msg | None = None, form_key="form", files=None):
    """POST ``data`` with the ``bad`` fields changed, and check the whole contract.

    ``bad``: {name: (value, Msg)}; value None leaves the field out, as a browser does for an
    unticked box; Msg None marks a value that only goes with the others (no error expected).
    The page comes back (200), each bad field carries its message, what was typed is still in the
    field, ``message`` (if given) is on the page, and no row of any table changed.
    """
    bad = bad or {}
    post = {**data, **{name: value for name, (value, _msg) in bad.items()}}
    post = {name: value for name, value in post.items() if value is not None}
    bad = {name: item for name, item in bad.items() if item[1] is not None}  # (value, None): data only
    before = database_state()
    response = client.post(url, {**post, **(files or {})})
    assert response.status_code == 200, f"status {response.status_code}"
    body = response.content.decode()
    assert changed_tables(before) == [], "the database changed"
    checks = [(message, body)] if message else []
    shown = [
        response.context[key] for key in (form_key, "form", "formset") if bad and key in response.context
    ]
    for name, (value, expected) in bad.items():
        found = (
            (form, f) for form in shown for f in _forms_of(form) if name in {f[n].html_name for n in f.fields}
        )
        form, bound = next(found, (None, None))
        assert bound is not None, f"no field {name} in the form shown again"
        short = name.removeprefix(f"{bound.prefix}-") if bound.prefix else name
        errors = list(bound.errors.get(short, [])) or list(bound.non_field_errors())
        errors += list(getattr(form, "non_form_errors", list)())
        assert errors, f"no error shown for {name}"
        checks.append((expected, " ".join(str(e) for e in errors)))
        # A choice comes back as the list of choices, a password never: only typed text is shown again.
        typed = isinstance(value, str) and value.strip() and "\x00" not in value
        if typed and not isinstance(bound.fields[short].widget, ChoiceWidget | PasswordInput):
            assert escape(value) in body, f"what was typed in {name} is not kept"
    for expected, _text in checks[1 if message else 0 :]:
        if not expected.pending:
            assert escape(expected.thai) in body or expected.thai in body, (
                f"{expected.thai!r} not on the page"
            )
    check_messages(checks)
    return response


def _forms_of(form):
    """A form, or every form of a formset."""
    return list(getattr(form, "forms", None) or [form])


# --- values ----------------------------------------------------------------------------------

SCRIPT = "<script>alert(1)</script>"
IMG_ONERROR = '"><img src=x onerror=alert(1)>'
SQL = "'; DROP TABLE projects_project; --"
# Thai with English, Thai digits, emoji, a zero-width space, right-to-left override and a combining mark.
MIXED = "โครงการ ABC ๑๒๓ 😀 zero\u200bwidth \u202eRTL\u202c ก\u0e49\u0e49"
HOSTILE_TEXT = [SCRIPT, IMG_ONERROR, SQL, MIXED]

# Numbers a person might type into a money field, and what must happen.
NOT_NUMBERS = ["abc", "สามพัน", "1.2.3", "1,2,3.4.5", "NaN", "Infinity", "-Infinity", "1e", "--1", "0x10"]


# --- hostile spreadsheets ------------------------------------------------------------------------


def workbook_bytes(rows, title=None) -> bytes:
    book = Workbook()
    sheet = book.active
    if title:
        sheet.title = title
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@functools.cache
def zip_bomb(unpacked_mb=80) -> bytes:
    """A tiny file that claims to be a workbook and unpacks to ``unpacked_mb`` MB of one sheet."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", '<?xml version="1.0"?><workbook/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<c>0</c>" * (1024 * 128)  # 1 MB
            for _ in range(unpacked_mb):
                sheet.write(chunk)
    return out.getvalue()


@functools.cache
def many_entries_zip(count=2500) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        for index in range(count):
            archive.writestr(f"xl/junk/{index}.xml", "")
    return out.getvalue()


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&lol9;</t></si></sst>"""

EXTERNAL_ENTITY = """<?xml version="1.0"?>
<!DOCTYPE sst [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">
<si><t>&xxe;</t></si></sst>"""


def handmade_xlsx(shared_strings: str, sheet_title="Sheet1", sheet: str | None = None) -> bytes:
    """The smallest workbook openpyxl opens: one sheet whose cell A1 is shared string 0."""
    ns = "http://schemas.openxmlformats.org"
    sheet = sheet or (
        f'<?xml version="1.0"?><worksheet xmlns="{ns}/spreadsheetml/2006/main"><sheetData>'
        '<row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    parts = {
        "[Content_Types].xml": (
            f'<?xml version="1.0"?><Types xmlns="{ns}/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/officeDocument" '
            'Target="xl/workbook.xml"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<?xml version="1.0"?><workbook xmlns="{ns}/spreadsheetml/2006/main" '
            f'xmlns:r="{ns}/officeDocument/2006/relationships"><sheets>'
            f'<sheet name="{sheet_title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<?xml version="1.0"?><Relationships xmlns="{ns}/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{ns}/officeDocument/2006/relationships/worksheet" '
            'Target="worksheets/sheet1.xml"/>'
            f'<Relationship Id="rId2" Type="{ns}/officeDocument/2006/relationships/sharedStrings" '
            'Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/worksheets/sheet1.xml": sheet,
        "xl/sharedStrings.xml": shared_strings,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


PLAIN_SHARED_STRINGS = (
    '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'count="1" uniqueCount="1"><si><t>ปีงบประมาณ</t></si></sst>'
)


def truncated(data: bytes, keep=0.5) -> bytes:
    return data[: int(len(data) * keep)]


def docx_like() -> bytes:
    """A Word document's zip (no workbook inside), to be renamed .xlsx."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


# --- hostile images --------------------------------------------------------------------------------


def png_bytes(width=64, height=48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 60)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes(width=64, height=48) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (20, 120, 60)).save(out, format="JPEG")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A small PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb's shape)."""
    data = bytearray(png_bytes(8, 8))
    # The IHDR chunk starts at byte 8: length (4), type (4), width (4), height (4), 5 more bytes, CRC (4).
    data[16:24] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[12:29])) & 0xFFFFFFFF
    data[29:33] = struct.pack(">I", crc)
    return bytes(data)


def gif_html_polyglot() -> bytes:
    """A real GIF image with an HTML page appended: a browser sniffing it may run the script."""
    out = io.BytesIO()
    Image.new("P", (4, 4)).save(out, format="GIF")
    return out.getvalue() + b"<html><script>alert(document.cookie)</script></html>"


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(1)</script><rect width='10' height='10'/></svg>"
)
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 200
HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def big_bytes(megabytes: float, head: bytes = b"") -> bytes:
    return head + b"\x00" * (int(megabytes * 1024 * 1024) - len(head))


# --- building a valid POST from the page's own form -----------------------------------------------


def form_data(form) -> dict:
    """What the browser would send back for ``form`` (or a formset) as the page shows it."""
    from django import forms as djforms

    data = {}
    parts = [form.management_form, *form.forms] if hasattr(form, "management_form") else [form]
    for part in parts:
        for name, field in part.fields.items():
            bound = part[name]
            value = bound.value()
            if isinstance(field.widget, djforms.CheckboxInput):
                if field.widget.check_test(value):
                    data[bound.html_name] = "on"
                continue
            if isinstance(field, djforms.FileField):
                continue
            if value is None:
                data[bound.html_name] = ""
            elif isinstance(value, list | tuple):
                data[bound.html_name] = [str(getattr(v, "pk", v)) for v in value]
            elif isinstance(field, djforms.ModelChoiceField | djforms.ChoiceField):
                data[bound.html_name] = str(getattr(value, "pk", value))
            else:
                shown = field.widget.format_value(value)
                data[bound.html_name] = "" if shown is None else str(shown)
    return data


def assign(data: dict, items) -> dict:
    """{field: (value, message)} from (pattern, value, message) items: each pattern takes the next
    field of ``data`` it matches that no earlier item took (``s_*`` three times: three grid cells)."""
    from fnmatch import fnmatchcase

    bad = {}
    for pattern, value, message in items:
        names = (
            sorted(n for n in data if fnmatchcase(n, pattern) and n not in bad)
            if "*" in pattern
            else [pattern]
        )
        assert names, f"no free field matches {pattern!r}"
        bad[names[0]] = (value, message)
    return bad


# Messages of tracking/images.py and tracking/uploads.py, in Thai.
NOT_A_PHOTO = Msg("ไฟล์นี้ไม่ใช่ภาพถ่ายที่ระบบอ่านได้")
TOO_MANY_PIXELS = Msg("ภาพมีจำนวนพิกเซลมากเกินไป")
PHOTO_TOO_LARGE = Msg("ไฟล์ภาพใหญ่เกินไป")


def truncated_jpeg() -> bytes:
    data = jpeg_bytes(400, 300)
    return data[: len(data) // 2]


# (id, file name, bytes maker, message): every upload of a photo must refuse these.
HOSTILE_IMAGES = [
    ("text-renamed", "photo.jpg", lambda: "นี่ไม่ใช่ภาพ".encode(), NOT_A_PHOTO),
    ("truncated-jpeg", "photo.jpg", truncated_jpeg, NOT_A_PHOTO),
    ("bomb-50000px", "bomb.png", lambda: png_declaring(50_000, 50_000), TOO_MANY_PIXELS),
    ("8000px-square", "big.png", lambda: png_declaring(8_000, 8_000), TOO_MANY_PIXELS),
    ("svg-script", "drawing.svg", lambda: SVG_WITH_SCRIPT, NOT_A_PHOTO),
    ("svg-as-png", "drawing.png", lambda: SVG_WITH_SCRIPT, NOT_A_PHOTO),
    ("gif-html-polyglot", "photo.gif", gif_html_polyglot, NOT_A_PHOTO),
    ("html", "photo.jpg", lambda: HTML_PAGE, NOT_A_PHOTO),
    ("exe", "photo.jpg", lambda: WINDOWS_EXE, NOT_A_PHOTO),
    ("11-MB", "photo.jpg", lambda: big_bytes(11, jpeg_bytes()), PHOTO_TOO_LARGE),
]
# Every one is refused by clean_photo (tracking/tests/test_bad_input.py); through each page that
# takes photos, one of each kind of refusal is enough to show the page says it and keeps nothing.
HOSTILE_IMAGES_BY_PAGE = [
    c for c in HOSTILE_IMAGES if c[0] in ("text-renamed", "bomb-50000px", "gif-html-polyglot", "11-MB")
]


def round_ids(rounds) -> list[str]:
    """Test ids for rounds of (form name, [(field, value, message), ...]): number, form, fields."""
    ids = []
    for number, (name, items) in enumerate(rounds):
        ids.append(f"{number:02d}-{name}-{'-'.join(field for field, *_ in items)}")
    return ids
