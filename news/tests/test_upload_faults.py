"""News files that cannot be written (a full disk): no row, no file, a Thai message."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from news.models import News, NewsAttachment, NewsImage
from news.tests.test_news import photo_bytes, write
from progress.tests.test_upload_faults import DISK_FULL_MESSAGE, fail_on_write, files_under

pytestmark = pytest.mark.django_db


def test_an_attachment_or_image_on_a_full_disk_leaves_nothing(
    client, people, settings, tmp_path, monkeypatch
):
    settings.MEDIA_ROOT = tmp_path
    item = write(client, people["recorder"])
    fail_on_write(monkeypatch, 1)
    pdf = SimpleUploadedFile(
        "กำหนดการ.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", content_type="application/pdf"
    )
    response = client.post(reverse("news:add_file", args=[item.pk, "attachment"]), {"file": pdf}, follow=True)
    assert DISK_FULL_MESSAGE in response.content.decode()
    fail_on_write(monkeypatch, 2)  # the image is written, its thumbnail is not
    image = SimpleUploadedFile("p.png", photo_bytes())
    response = client.post(
        reverse("news:add_file", args=[item.pk, "image"]),
        {"image": image, "caption": "บรรยากาศ"},
        follow=True,
    )
    assert DISK_FULL_MESSAGE in response.content.decode()
    assert not NewsAttachment.objects.exists() and not NewsImage.objects.exists()
    assert files_under(tmp_path) == []


def test_a_cover_on_a_full_disk_keeps_the_typed_news_unsaved(client, people, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["recorder"])
    fail_on_write(monkeypatch, 1)
    data = {"title": "อำเภอจัดงานวันท้องถิ่นไทย", "summary": "สรุปข่าว", "category": "local",
            "body": "เนื้อหา", "publish_date": "",
            "cover_upload": SimpleUploadedFile("cover.png", photo_bytes())}  # fmt: skip
    response = client.post(reverse("news:create"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert DISK_FULL_MESSAGE in page and "อำเภอจัดงานวันท้องถิ่นไทย" in page
    assert not News.objects.exists()
    assert files_under(tmp_path) == []
