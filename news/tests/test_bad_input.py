"""Bad input on news: the item form, its cover, photos and attachments, sending back.

A refused item or file shows a clear Thai message, changes no row and leaves no file in MEDIA_ROOT;
text is stored as typed and shown escaped, and the formatted body is cleaned of scripts (nh3).
"""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape

from accounts.roles import Role
from news.models import News, NewsAttachment, NewsImage
from tracking.tests.badinput import (
    CHOICE,
    DATE,
    ELF,
    HOSTILE_IMAGES_BY_PAGE,
    HTML_PAGE,
    IMG_ONERROR,
    MIXED,
    REQUIRED,
    SCRIPT,
    SQL,
    TOO_LONG,
    WINDOWS_EXE,
    Msg,
    big_bytes,
    changed_tables,
    database_state,
    docx_like,
    jpeg_bytes,
    media_files,
    refused,
)

pytestmark = pytest.mark.django_db

GOOD = {"title": "อบต.ดอนแก้วจัดกิจกรรม", "summary": "สรุปข่าว", "category": "local", "body": "เนื้อหา"}


@pytest.fixture
def writer(client, make_user, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"))
    return client


@pytest.fixture
def item(writer):
    assert writer.post(reverse("news:create"), GOOD).status_code == 302
    return News.objects.get()


def test_the_good_item_is_accepted(writer):
    assert writer.post(reverse("news:create"), GOOD).status_code == 302


ROUNDS = [
    {
        "title": ("", REQUIRED),
        "summary": ("   ", REQUIRED),
        "category": ("gossip", CHOICE),
        "body": ("", REQUIRED),
    },
    {"publish_date": ("31/4/2569", DATE), "category": ("", REQUIRED)},
    {"publish_date": ("1/1/2026", DATE)},  # a Gregorian year
    {"title": ("ข" * 301, TOO_LONG), "summary": ("ค" * 601, TOO_LONG), "body": ("ง" * 50001, TOO_LONG)},
]


@pytest.mark.parametrize("bad", ROUNDS, ids=["-".join(r) for r in ROUNDS])
def test_bad_items_are_refused_in_thai_and_nothing_changes(writer, bad):
    refused(writer, reverse("news:create"), GOOD, bad)


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [c[1:] for c in HOSTILE_IMAGES_BY_PAGE],
    ids=[c[0] for c in HOSTILE_IMAGES_BY_PAGE],
)
def test_a_hostile_cover_is_refused_on_its_field_and_leaves_no_file(writer, tmp_path, name, make, message):
    cover = SimpleUploadedFile(name, make(), content_type="image/jpeg")
    response = refused(writer, reverse("news:create"), GOOD, message=message, files={"cover_upload": cover})
    assert response.context["form"].errors["cover_upload"]
    assert escape(GOOD["title"]) in response.content.decode()  # what was typed is kept
    assert media_files(tmp_path) == []


@pytest.mark.parametrize(
    ("name", "make", "message"),
    [c[1:] for c in HOSTILE_IMAGES_BY_PAGE],
    ids=[c[0] for c in HOSTILE_IMAGES_BY_PAGE],
)
def test_a_hostile_photo_is_refused_and_leaves_no_file(writer, item, tmp_path, name, make, message):
    before = database_state()
    upload = SimpleUploadedFile(name, make(), content_type="image/jpeg")
    response = writer.post(reverse("news:add_file", args=[item.pk, "image"]), {"image": upload}, follow=True)
    assert response.status_code == 200
    message.check(response.content.decode())
    assert changed_tables(before) == [] and not NewsImage.objects.exists()
    assert media_files(tmp_path) == []


def office_zip(folder="word/") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<document/>")
    return out.getvalue()


def plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("setup.exe", WINDOWS_EXE)
    return out.getvalue()


MISMATCH = Msg("เนื้อหาของไฟล์ไม่ตรงกับชื่อไฟล์ จึงถูกปฏิเสธ")
ONLY_DOCUMENTS = Msg("แนบได้เฉพาะไฟล์ PDF, Word, Excel หรือ PowerPoint")
FILE_TOO_LARGE = Msg("ไฟล์มีขนาดใหญ่เกินไป")
CHOOSE_A_FILE = Msg("กรุณาเลือกไฟล์")
EMPTY_FILE = Msg("ไฟล์ที่ส่งว่างเปล่า")
HOSTILE_ATTACHMENTS = [
    ("exe-as-pdf", "report.pdf", lambda: WINDOWS_EXE, MISMATCH),
    ("elf-as-docx", "report.docx", lambda: ELF, MISMATCH),
    ("html-as-pdf", "report.pdf", lambda: HTML_PAGE, MISMATCH),
    ("zip-with-exe-as-docx", "report.docx", plain_zip, MISMATCH),
    ("xlsx-as-docx", "report.docx", lambda: office_zip("xl/"), MISMATCH),
    ("pdf-as-xls", "report.xls", lambda: b"%PDF-1.7\n", MISMATCH),
    ("exe", "setup.exe", lambda: WINDOWS_EXE, ONLY_DOCUMENTS),
    ("double-extension", "report.pdf.exe", lambda: b"%PDF-1.7\n", ONLY_DOCUMENTS),
    ("html", "page.html", lambda: HTML_PAGE, ONLY_DOCUMENTS),
    ("svg", "logo.svg", lambda: b"<svg><script>alert(1)</script></svg>", ONLY_DOCUMENTS),
    ("no-extension", "report", lambda: b"%PDF-1.7\n", ONLY_DOCUMENTS),
    ("11-MB-pdf", "big.pdf", lambda: big_bytes(11, b"%PDF-1.7\n"), FILE_TOO_LARGE),
    ("empty", "empty.pdf", lambda: b"", EMPTY_FILE),
]


@pytest.mark.parametrize(
    ("name", "make", "message"), [c[1:] for c in HOSTILE_ATTACHMENTS], ids=[c[0] for c in HOSTILE_ATTACHMENTS]
)
def test_a_hostile_attachment_is_refused_and_leaves_no_file(writer, item, tmp_path, name, make, message):
    before = database_state()
    upload = SimpleUploadedFile(name, make(), content_type="application/pdf")
    response = writer.post(
        reverse("news:add_file", args=[item.pk, "attachment"]), {"file": upload}, follow=True
    )
    assert response.status_code == 200
    message.check(response.content.decode())
    assert changed_tables(before) == [] and not NewsAttachment.objects.exists()
    assert media_files(tmp_path) == []


def test_real_office_files_and_odd_names_are_kept_safely(writer, item, tmp_path):
    url = reverse("news:add_file", args=[item.pk, "attachment"])
    for name, data in [
        ("คำสั่ง.docx", docx_like()),
        ("../../etc/passwd.pdf", b"%PDF-1.7\n"),
        ("ก" * 250 + ".pdf", b"%PDF-1.7\n"),
        ("<img src=x onerror=alert(1)>.pdf", b"%PDF-1.7\n"),
    ]:
        response = writer.post(url, {"file": SimpleUploadedFile(name, data)}, follow=True)
        assert "เพิ่มไฟล์แล้ว" in response.content.decode(), name
    assert NewsAttachment.objects.count() == 4
    for path in media_files(tmp_path):
        assert path.resolve().is_relative_to(tmp_path.resolve() / "news" / "files")
    body = writer.get(reverse("news:detail", args=[item.pk])).content.decode()
    assert IMG_ONERROR.removeprefix('">') not in body


def test_a_photo_caption_too_long_is_named_not_taken_for_a_missing_file(writer, item, tmp_path):
    upload = SimpleUploadedFile("p.jpg", jpeg_bytes(), content_type="image/jpeg")
    before = database_state()
    response = writer.post(
        reverse("news:add_file", args=[item.pk, "image"]),
        {"image": upload, "caption": "จ" * 301},
        follow=True,
    )
    body = response.content.decode()
    assert "คำบรรยายภาพ" in body and "กรุณาเลือกไฟล์" not in body
    assert changed_tables(before) == [] and media_files(tmp_path) == []
    response = writer.post(reverse("news:add_file", args=[item.pk, "image"]), {"caption": "x"}, follow=True)
    CHOOSE_A_FILE.check(response.content.decode())


def test_the_body_is_cleaned_of_scripts_and_handlers_and_text_is_escaped(writer):
    body = (
        '<p onclick="steal()">ย่อหน้า</p><script>alert(1)</script>'
        f"<img src=x onerror=alert(1)> [ลิงก์](javascript:alert(1)) [ดี](https://dla.go.th)\n\n"
        f"{SQL} {MIXED}\n\n{'ข้อความยาว ' * 1000}"
    )
    data = {**GOOD, "title": SCRIPT, "summary": IMG_ONERROR, "body": body}
    assert writer.post(reverse("news:create"), data).status_code == 302
    item = News.objects.get()
    assert (item.title, item.summary) == (SCRIPT, IMG_ONERROR)  # plain text, stored as typed
    assert item.body == body.strip()  # the text is kept as typed; what is shown is made from it
    page = writer.get(reverse("news:detail", args=[item.pk])).content.decode()
    shown = page.split('<div class="news-body">', 1)[1].split("</div>", 1)[0]
    # Typed tags are shown as the text they are: no element, handler or script link gets through.
    for gone in ("<script", "<p onclick", "<img", '<a href="javascript:'):
        assert gone not in shown
    assert "&lt;script&gt;" in shown
    assert '<a href="https://dla.go.th"' in shown and MIXED in shown and SQL in shown
    assert shown.count("ข้อความยาว") == 1000  # a long body is kept whole
    assert escape(SCRIPT) in page and SCRIPT not in page and IMG_ONERROR not in page
    assert "onclick" not in page.replace("&lt;p onclick", "") and "javascript:alert" not in page


def test_a_send_back_reason_too_long_is_refused(client, writer, item, make_user):
    writer.post(reverse("news:submit", args=[item.pk]))
    client.force_login(make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"))
    before = database_state()
    response = client.post(
        reverse("news:decide", args=[item.pk, "send-back"]), {"reason": "เหตุผล" * 400}, follow=True
    )
    assert response.status_code == 200
    assert changed_tables(before) == []
    TOO_LONG.check(response.content.decode())
