"""The shared checks of bad input, without the pages: upload checks, photo cleaning, the Thai date
and number fields, the workbook cell reader and the .xlsx writer; with property-based tests
(hypothesis) where the space of inputs is large. The pages' catalogues are in each app's
tests/test_bad_input.py; the shared helpers in tracking/tests/badinput.py.
"""

import datetime as dt
import io
import string
from decimal import Decimal

import openpyxl
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from PIL import Image

from tracking.forms import THAI_DIGITS, ThaiDateField, ThaiDecimalField, ThaiIntegerField, normalise_number
from tracking.images import MAX_PIXELS, clean_photo
from tracking.spreadsheets import MAX_MONEY, CellReader
from tracking.tests.badinput import (
    BILLION_LAUGHS,
    DATE,
    DECIMAL_PLACES,
    HOSTILE_IMAGES,
    MIN_VALUE,
    PLAIN_SHARED_STRINGS,
    SCRIPT,
    SQL,
    Msg,
    changed_tables,
    check_messages,
    database_state,
    docx_like,
    handmade_xlsx,
    jpeg_bytes,
    many_entries_zip,
    png_declaring,
    refused_whole,
    truncated,
    workbook_bytes,
    zip_bomb,
)
from tracking.uploads import check_document, check_spreadsheet
from tracking.xlsx import Column, Sheet, workbook_response

EXAMPLES = hsettings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
ARABIC_TO_THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


def upload(data: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def thai(error: ValidationError) -> str:
    with translation.override("th"):
        return " ".join(error.messages)


# --- the upload checks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (lambda: zip_bomb(80), "a.xlsx", "ถูกปฏิเสธ"),
        (lambda: many_entries_zip(2500), "a.xlsx", "ถูกปฏิเสธ"),
        (lambda: truncated(workbook_bytes([["a"]])), "a.xlsx", "ไม่ใช่ไฟล์ .xlsx"),
        (docx_like, "a.xlsx", "ไม่ใช่ไฟล์ .xlsx"),
        (lambda: b"\x00" * (5 * 1024 * 1024 + 1), "a.xlsx", "ไฟล์มีขนาดใหญ่เกินไป (5.0 MB)"),
        (lambda: workbook_bytes([["a"]]), "a.xls", "กรุณาอัปโหลดไฟล์ Excel (.xlsx)"),
    ],
    ids=["bomb", "entries", "truncated", "docx", "oversized", "xls"],
)
def test_check_spreadsheet_refuses_in_thai(data, name, message):
    with pytest.raises(ValidationError) as refused:
        check_spreadsheet(upload(data(), name))
    assert message in thai(refused.value)


def test_check_spreadsheet_passes_a_real_workbook_and_rewinds_it():
    file = upload(workbook_bytes([["ปี", 2570]]), "ok.xlsx")
    check_spreadsheet(file)
    assert file.tell() == 0


def test_openpyxl_parses_through_defusedxml():
    """The XML entity attacks in the import tests are stopped by defusedxml; it must stay installed."""
    assert openpyxl.DEFUSEDXML is True
    book = openpyxl.load_workbook(io.BytesIO(handmade_xlsx(PLAIN_SHARED_STRINGS)), read_only=True)
    assert next(book.active.iter_rows(values_only=True)) == ("ปีงบประมาณ",)
    with pytest.raises(Exception, match="could not read strings"):
        openpyxl.load_workbook(io.BytesIO(handmade_xlsx(BILLION_LAUGHS)), read_only=True)


NAMES = st.sampled_from(
    ["a.xlsx", "a.XLSX", "a.pdf", "a.docx", "a.doc", "a.pptx", "a.exe", "a", ".xlsx", "ก.xls"]
)
PREFIXES = st.sampled_from(
    [b"", b"PK\x03\x04", b"%PDF-", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"MZ", b"GIF89a"]
)


@EXAMPLES
@given(head=PREFIXES, body=st.binary(max_size=2000), name=NAMES)
@example(head=b"", body=docx_like(), name="a.docx")
@example(head=b"", body=workbook_bytes([["x"]]), name="a.xlsx")
def test_any_bytes_under_any_name_pass_or_get_a_thai_refusal(head, body, name):
    """Whatever arrives, the checks answer with a Thai ValidationError or let it through, never crash."""
    for check in (check_spreadsheet, check_document):
        file = upload(head + body, name)
        try:
            check(file)
        except ValidationError as error:
            assert any("\u0e00" <= c <= "\u0e7f" for c in thai(error)), thai(error)
        else:
            assert file.tell() == 0


# --- photos -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "make", "message"), [c[1:] for c in HOSTILE_IMAGES], ids=[c[0] for c in HOSTILE_IMAGES]
)
def test_clean_photo_refuses_hostile_files_in_thai(name, make, message):
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(make(), name))
    check_messages([(message, thai(refused.value))])


def test_a_picture_just_under_the_pixel_limit_would_be_read():
    """The limit is what the refusals above test: one pixel row less than the bomb is a photo's size."""
    side = int(MAX_PIXELS**0.5)
    with Image.open(io.BytesIO(png_declaring(side, side))) as probe:
        assert probe.width * probe.height <= MAX_PIXELS


MODES = st.sampled_from(["RGB", "RGBA", "L", "LA", "P", "1", "I", "I;16", "F", "CMYK", "YCbCr"])
FORMATS = st.sampled_from(["PNG", "JPEG", "WEBP", "GIF", "BMP", "TIFF"])


@EXAMPLES
@given(mode=MODES, fmt=FORMATS, width=st.integers(1, 64), height=st.integers(1, 64))
def test_any_small_image_becomes_a_clean_jpeg_or_a_thai_refusal(mode, fmt, width, height):
    out = io.BytesIO()
    try:
        Image.new(mode, (width, height)).save(out, format=fmt)
    except (OSError, ValueError, KeyError):
        return  # Pillow cannot write this mode in this format: nothing to upload
    try:
        clean = clean_photo(upload(out.getvalue(), f"p.{fmt.lower()}"))
    except ValidationError as error:
        assert fmt in ("GIF", "BMP", "TIFF") or "ไฟล์นี้ไม่ใช่ภาพถ่าย" in thai(error), (mode, fmt, thai(error))
        return
    assert fmt in ("PNG", "JPEG", "WEBP")
    with Image.open(io.BytesIO(clean.image.read())) as stored:
        assert stored.format == "JPEG" and stored.mode == "RGB" and stored.size == (width, height)


@EXAMPLES
@given(
    data=st.binary(max_size=3000), head=st.sampled_from([b"", b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"RIFF"])
)
@example(data=jpeg_bytes()[:300], head=b"")
def test_any_bytes_as_a_photo_give_a_thai_refusal_not_a_crash(data, head):
    with pytest.raises(ValidationError) as refused:
        clean_photo(upload(head + data, "p.jpg"))
    assert "ภาพ" in thai(refused.value)


# --- the Buddhist-era date field ----------------------------------------------------------------


def read_date(text):
    with translation.override("th"):
        return ThaiDateField().clean(text)


@EXAMPLES
@given(
    day=st.dates(min_value=dt.date(1857, 1, 1), max_value=dt.date(9000, 12, 31)), sep=st.sampled_from("/.-")
)
def test_every_date_typed_in_the_buddhist_era_is_read_back_exactly(day, sep):
    be = day.year + 543
    assert read_date(f"{day.day}{sep}{day.month}{sep}{be}") == day
    assert read_date(f" {day.day:02d}/{day.month:02d}/{be} ") == day
    assert read_date(f"{day.day}/{day.month}/{be}".translate(ARABIC_TO_THAI)) == day  # Thai digits
    assert ThaiDateField().widget.format_value(day) == f"{day.day}/{day.month}/{be}"


@EXAMPLES
@given(day=st.dates(min_value=dt.date(1000, 1, 1), max_value=dt.date(2399, 12, 31)))
def test_a_christian_year_typed_where_the_buddhist_one_belongs_is_refused(day):
    with pytest.raises(forms.ValidationError) as refused:
        read_date(f"{day.day}/{day.month}/{day.year}")
    assert DATE.thai in thai(refused.value)


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-11-22", dt.date(2026, 11, 22)),
        ("2569-11-22", None),
        ("31/02/2569", None),
        ("29/2/2567", dt.date(2024, 2, 29)),
    ],
)
def test_iso_dates_are_christian_and_a_buddhist_year_in_them_is_refused(typed, expected):
    if expected is None:
        with pytest.raises(forms.ValidationError):
            read_date(typed)
    else:
        assert read_date(typed) == expected


@EXAMPLES
@given(text=st.text(max_size=40))
@example(text="๓๑/๑๒/๒๕๖๙")
@example(text="0/0/0000")
@example(text="99/99/9999")
@example(text="1/1/" + "9" * 40)
def test_any_text_as_a_date_is_a_date_or_the_thai_message(text):
    try:
        value = read_date(text)
    except forms.ValidationError as error:
        assert DATE.thai in thai(error) or "กรุณากรอกข้อมูลช่องนี้" in thai(error)
    else:
        assert isinstance(value, dt.date)


# --- the baht field and the number helpers ---------------------------------------------------------

AMOUNTS = st.decimals(min_value=0, max_value=MAX_MONEY, places=2, allow_nan=False, allow_infinity=False)


def money_field():
    return ThaiDecimalField(min_value=0, max_digits=15, decimal_places=2)


def spellings(amount: Decimal) -> list[str]:
    plain = f"{amount:.2f}"
    grouped = f"{amount:,.2f}"
    return [plain, grouped, grouped.translate(ARABIC_TO_THAI), f"{grouped} บาท", f"  {plain}\u00a0"]


@EXAMPLES
@given(amount=AMOUNTS)
@example(amount=Decimal("0.01"))
@example(amount=MAX_MONEY)
def test_every_amount_in_satang_round_trips_exactly_however_it_is_typed(amount):
    for typed in spellings(amount):
        assert money_field().clean(typed) == amount, typed


@EXAMPLES
@given(amount=st.decimals(min_value=Decimal("-1e15"), max_value=Decimal("-0.01"), places=2))
def test_negative_amounts_are_refused_in_thai(amount):
    with pytest.raises(forms.ValidationError) as refused:
        money_field().clean(f"{amount:,.2f}")
    check_messages([(MIN_VALUE, thai(refused.value))])


@EXAMPLES
@given(amount=st.decimals(min_value=0, max_value=Decimal("1e9"), places=3))
def test_fractions_of_a_satang_are_refused(amount):
    if amount == amount.quantize(Decimal("0.01")):
        return
    with pytest.raises(forms.ValidationError) as refused:
        money_field().clean(str(amount))
    check_messages([(DECIMAL_PLACES, thai(refused.value))])


@EXAMPLES
@given(text=st.text(max_size=30))
@example(text="NaN")
@example(text="-Infinity")
@example(text="1e999999999")
@example(text="๑,๒๓๔.๕๖๗")
@example(text="1" * 400)
def test_any_text_as_an_amount_is_an_amount_or_a_message(text):
    """Never an exception other than the form's own; a result is always a finite amount in satang."""
    try:
        value = money_field().clean(text)
    except forms.ValidationError as error:
        assert thai(error)
    else:
        assert value is None or (
            value.is_finite() and 0 <= value <= MAX_MONEY and value == value.quantize(Decimal("0.01"))
        )


@EXAMPLES
@given(number=st.integers(min_value=0, max_value=10**15))
@example(number=0)
@example(number=1234)
def test_every_whole_number_round_trips_however_it_is_typed(number):
    grouped = f"{number:,}"
    for typed in (str(number), grouped, grouped.translate(ARABIC_TO_THAI), f" {number}\u00a0", f"{grouped} "):
        assert ThaiIntegerField(min_value=0).clean(typed) == number, typed


@EXAMPLES
@given(amount=st.decimals(min_value=1000, max_value=MAX_MONEY, places=2))
@example(amount=Decimal("1234.50"))
def test_a_european_amount_is_named_and_never_misread(amount):
    thai_way = f"{amount:,.2f}"
    european = thai_way.translate(str.maketrans(",.", ".,"))  # 1.234,50
    for field in (money_field(), ThaiIntegerField()):
        with pytest.raises(forms.ValidationError) as refused:
            field.clean(european)
        assert "ตัวเลขแบบยุโรป" in thai(refused.value) and thai_way in thai(refused.value)


@EXAMPLES
@given(text=st.text(alphabet="0123456789๐๑๒๓๔๕๖๗๘๙,. -\u00a0", max_size=20))
def test_any_digits_and_separators_are_a_whole_number_or_a_message(text):
    try:
        value = ThaiIntegerField(required=False).clean(text)
    except forms.ValidationError as error:
        assert thai(error)
    else:
        assert value is None or isinstance(value, int)


@given(digits=st.text(alphabet=string.digits, min_size=1, max_size=20))
def test_thai_digits_are_normalised_to_arabic(digits):
    assert normalise_number(digits.translate(ARABIC_TO_THAI)) == digits
    assert digits.translate(ARABIC_TO_THAI).translate(THAI_DIGITS) == digits


# --- the workbook cell reader ------------------------------------------------------------------

CELLS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(
        ["1,234.50", "๑๒", "1e30", "1e-30", "NaN", "-0", "0.005", "=1+1", "@SUM(1)", " ", "๒๕๗๐"]
    ),
    st.dates(),
    st.datetimes(),
    st.times(),
)


@EXAMPLES
@given(value=CELLS, places=st.sampled_from([0, 2]))
def test_the_cell_reader_never_crashes_and_reads_only_what_fits(value, places):
    reader = CellReader("แผ่นงาน", 2, {"A": value})
    with translation.override("th"):
        number = reader.number("A", places=places)
        reader.text("A", required=False)
        reader.date("A")
        reader.flag("A")
    if number is not None:
        assert 0 <= number <= MAX_MONEY and number == number.quantize(Decimal(1).scaleb(-places))
    else:
        assert reader.problems or value is None or (isinstance(value, str) and not value.strip())
    assert all(p.sheet == "แผ่นงาน" and p.row == 2 and p.column == "A" and p.message for p in reader.problems)


@EXAMPLES
@given(amount=AMOUNTS)
def test_amounts_in_cells_are_read_exactly_as_text_or_number(amount):
    for value in (f"{amount:,.2f}", f"{amount:.2f}".translate(ARABIC_TO_THAI), float(amount), amount):
        if isinstance(value, float) and abs(Decimal(repr(value)) - amount) >= Decimal("1e-6"):
            continue  # a float cannot hold this amount: a spreadsheet could not either
        reader = CellReader("s", 2, {"A": value})
        assert reader.number("A") == amount, value
        assert reader.problems == []


# New msgids of tracking/spreadsheets.py, still to be translated in locale/th.
NEW_MESSAGES = {
    "ทศนิยม": Msg("ทศนิยมได้ไม่เกิน", "At most 2 decimal places."),
    "จำนวนเต็ม": Msg("ต้องเป็นจำนวนเต็ม", "Must be a whole number."),
}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("12.345", "ทศนิยม"),
        (1.5, "จำนวนเต็ม"),
        ("1e30", "ต้องอยู่ระหว่าง"),
        (float("inf"), "ไม่เป็นตัวเลข"),
        (True, "ไม่เป็นตัวเลข"),
    ],
)
def test_cells_that_do_not_fit_are_named(value, message):
    reader = CellReader("s", 2, {"A": value})
    with translation.override("th"):
        assert reader.number("A", places=0 if value == 1.5 else 2) is None
        text = reader.problems[0].message
    if message in NEW_MESSAGES:
        check_messages([(NEW_MESSAGES[message], text)])
    assert message in text


# --- the .xlsx writer ---------------------------------------------------------------------------

SHEET_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(lambda s: s.strip() == s and s)


@EXAMPLES
@given(
    texts=st.lists(
        st.one_of(
            SHEET_TEXT, st.sampled_from(["=1+1", "=cmd|' /C calc'!A0", "+1", "-1", "@A1", "0123", "1e5"])
        ),
        min_size=1,
        max_size=8,
    )
)
def test_text_written_to_a_workbook_stays_text(texts):
    sheet = Sheet("แผ่น", [Column("ข้อความ", width=20)], [[t] for t in texts])
    response = workbook_response(filename="x.xlsx", fallback="x.xlsx", sheets=[sheet])
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    cells = [row[0] for row in book.active.iter_rows(min_row=2)]
    assert [(c.value, c.data_type) for c in cells] == [(t, "s") for t in texts]


# --- filters in the address bar ---------------------------------------------------------------------

JUNK = {
    "fy": "abc", "month": "99", "q": SCRIPT, "province": SQL, "unit": "-1", "project": "x", "source": "<b>",
    "category": "'", "page": "-5", "status": "1 OR 1=1",
}  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["projects:index", "reports:budget", "reports:performance", "reports:workload", "news:index",
     "workload:registry", "accounts:user_list", "accounts:unit_options", "accounts:sso_admins",
     "progress:index"],
)  # fmt: skip
def test_junk_in_a_filter_never_breaks_a_page_nor_reaches_it_unescaped(client, make_user, name):
    client.force_login(make_user("super", roles=["super_admin"], unit="ALRO-ICT"))
    before = database_state()
    response = client.get(reverse(name), JUNK)
    assert response.status_code in (200, 404), response.status_code  # progress: an unknown month is 404
    body = response.content.decode()
    assert SCRIPT not in body
    if name == "projects:index":
        assert escape(SCRIPT) in body  # the search box shows what was typed, as text
    assert changed_tables(before) == []


# --- crafted characters and numbers in the address bar ------------------------------------------
# Every URL and every query parameter its view reads: tracking/tests/test_crafted_urls.py.


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/news/?q=a%00b", "/accounts/units/options/?province=%00", "/news/?q%00=a", "/news/?q=%1b[31m",
     "/workload/registry/?province=%7f", "/news/%00/"],
)  # fmt: skip
def test_control_characters_in_the_address_are_400_in_thai_without_signing_in(client, url):
    refused_whole(client, url, method="get")


@pytest.mark.django_db
def test_control_characters_in_a_filter_are_400_in_thai_for_the_signed_in_too(client, make_user):
    client.force_login(make_user("super", roles=["super_admin"], unit="ALRO-ICT"))
    for name in ("projects:index", "reports:budget", "progress:index", "accounts:user_list"):
        refused_whole(client, reverse(name), {"q": "ก\x00", "fy": "2569"}, method="get")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"fy": "-1"}, {"fy": "99999999999"}, {"fy": "abc"}, {"fy": "1e3"}, {"month": "99999999999"},
     {"month": "-1"}, {"month": "0"}, {"fy": "2569", "month": "13"}],
)  # fmt: skip
def test_a_year_or_month_out_of_range_in_the_progress_list_is_404(client, make_user, query):
    client.force_login(make_user("super", roles=["super_admin"], unit="ALRO-ICT"))
    assert client.get(reverse("progress:index"), query).status_code == 404


def test_files_and_typed_line_breaks_are_not_control_characters(rf):
    """Only field values are read: an uploaded file is bytes of any kind, and a textarea sends
    tabs and line breaks."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tracking.middleware import _has_control_characters

    upload = SimpleUploadedFile("photo.jpg", b"\xff\xd8\x00\x01\x1b\x7f" + jpeg_bytes())
    request = rf.post("/progress/", {"caption": "บรรทัด 1\r\n\tบรรทัด 2", "image": upload})
    assert not _has_control_characters(request)
    assert _has_control_characters(rf.post("/progress/", {"caption": "ก\x00"}))
    assert _has_control_characters(rf.post("/progress/", {"caption": "ก", "image": upload, "note": "\x1b"}))
    assert _has_control_characters(rf.get("/news/", {"q\t": "ก"}))
