"""News: writing, sanitising, uploads, the province approval flow and who may do what."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from news.models import News, NewsAttachment

pytestmark = pytest.mark.django_db


def photo_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 800), (30, 90, 160)).save(buffer, format="PNG")
    return buffer.getvalue()


def write(client, user, **extra):
    client.force_login(user)
    data = {"title": "อบต.ดอนแก้วจัดกิจกรรมวันท้องถิ่นไทย", "summary": "สรุปข่าว", "category": "local",
            "body": "เนื้อหา **สำคัญ**\n\n<script>alert('x')</script> [ลิงก์](javascript:evil())",
            "publish_date": ""}  # fmt: skip
    data.update(extra)
    response = client.post(reverse("news:create"), data)
    assert response.status_code == 302, response.content.decode()
    return News.objects.latest("pk")


def test_body_is_plain_text_shown_formatted_and_without_scripts(client, people):
    item = write(client, people["recorder"])
    page = client.get(reverse("news:detail", args=[item.pk])).content.decode()
    body = page.split('<div class="news-body">', 1)[1].split("</div>", 1)[0]
    assert "<p>เนื้อหา <strong>สำคัญ</strong></p>" in body
    assert "<script" not in body and "&lt;script&gt;" in body and "javascript:" not in body


def test_district_news_waits_for_its_province_then_is_public(client, people):
    item = write(client, people["recorder"])
    client.post(reverse("news:submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == "pending"
    client.logout()
    assert client.get(reverse("news:detail", args=[item.pk])).status_code == 404
    assert item.title not in client.get(reverse("news:index")).content.decode()
    # Another province's confirmer neither sees it in the queue nor can approve it.
    client.force_login(people["confirmer_b"])
    assert item.title not in client.get(reverse("news:queue")).content.decode()
    assert client.post(reverse("news:decide", args=[item.pk, "approve"])).status_code == 404
    # The province's confirmer approves.
    client.force_login(people["confirmer"])
    assert item.title in client.get(reverse("news:queue")).content.decode()
    client.post(reverse("news:decide", args=[item.pk, "approve"]))
    item.refresh_from_db()
    assert item.status == "published" and item.publish_date
    client.logout()
    assert item.title in client.get(reverse("news:index")).content.decode()
    assert item.title in client.get(reverse("home")).content.decode()


def test_sending_back_needs_a_reason_and_the_author_sees_it(client, people):
    item = write(client, people["recorder"])
    client.post(reverse("news:submit", args=[item.pk]))
    client.force_login(people["confirmer"])
    client.post(reverse("news:decide", args=[item.pk, "send-back"]), {"reason": ""})
    item.refresh_from_db()
    assert item.status == "pending"
    client.post(reverse("news:decide", args=[item.pk, "send-back"]), {"reason": "กรุณาเพิ่มภาพกิจกรรม"})
    item.refresh_from_db()
    assert item.status == "rejected"
    client.force_login(people["recorder"])
    assert "กรุณาเพิ่มภาพกิจกรรม" in client.get(reverse("news:mine")).content.decode()


def test_alro_admin_publishes_directly(client, people):
    item = write(client, people["admin_all"], category="press", pinned="on")
    client.post(reverse("news:submit", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == "published" and item.pinned


def test_others_cannot_edit_or_delete(client, people):
    item = write(client, people["recorder"])
    # A draft is its author's alone until it is sent: nobody else sees it.
    for name in ("confirmer", "confirmer_b", "admin_all", "viewer"):
        client.force_login(people[name])
        assert client.get(reverse("news:edit", args=[item.pk])).status_code == 404, name
        assert client.post(reverse("news:delete", args=[item.pk])).status_code == 404, name
    assert News.objects.filter(pk=item.pk).exists()
    client.force_login(people["viewer"])
    assert client.get(reverse("news:create")).status_code == 403


def test_uploads_are_checked(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    item = write(client, people["recorder"])
    url = reverse("news:add_file", args=[item.pk, "attachment"])
    good = SimpleUploadedFile(
        "กำหนดการ.pdf", b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n", content_type="application/pdf"
    )
    client.post(url, {"file": good})
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 an exe", content_type="application/pdf")
    response = client.post(url, {"file": fake}, follow=True)
    assert "ไม่ตรงกับชื่อไฟล์" in response.content.decode()
    script = SimpleUploadedFile("run.sh", b"#!/bin/sh", content_type="text/plain")
    client.post(url, {"file": script})
    assert list(NewsAttachment.objects.values_list("name", flat=True)) == ["กำหนดการ.pdf"]
    image_url = reverse("news:add_file", args=[item.pk, "image"])
    client.post(image_url, {"image": SimpleUploadedFile("p.png", photo_bytes()), "caption": "บรรยากาศ"})
    assert item.images.count() == 1


def test_public_list_query_count_is_fixed(client, people, django_assert_num_queries):
    for index in range(6):
        item = write(client, people["admin_all"], title=f"ข่าวที่ {index}")
        client.post(reverse("news:submit", args=[item.pk]))
    client.logout()
    with django_assert_num_queries(2):
        client.get(reverse("news:index"))


def test_archiving_takes_news_off_the_public_list(client, people):
    item = write(client, people["admin_all"], title="ข่าวที่จะเก็บถาวร")
    client.post(reverse("news:submit", args=[item.pk]))
    client.force_login(people["viewer"])
    assert client.post(reverse("news:archive", args=[item.pk])).status_code == 403
    client.force_login(people["admin_all"])
    client.post(reverse("news:archive", args=[item.pk]))
    item.refresh_from_db()
    assert item.status == "archived"
    client.logout()
    assert "ข่าวที่จะเก็บถาวร" not in client.get(reverse("news:index")).content.decode()


def test_approvers_find_the_waiting_news_from_the_news_pages(client, people):
    item = write(client, people["recorder"])
    client.post(reverse("news:submit", args=[item.pk]))
    queue = reverse("news:queue")
    client.force_login(people["confirmer"])
    for page in ("news:index", "news:mine"):
        body = client.get(reverse(page)).content.decode()
        assert f'href="{queue}"' in body and "รออนุมัติ (1)" in body
    client.force_login(people["confirmer_b"])  # another province: nothing waits for them
    assert "รออนุมัติ (0)" in client.get(reverse("news:index")).content.decode()
    client.force_login(people["admin_all"])  # writes news, approves none
    assert f'href="{queue}"' not in client.get(reverse("news:mine")).content.decode()


def test_a_super_admins_queue_holds_only_news_waiting_for_a_decision(client, people, make_user):
    waiting = write(client, people["recorder"], title="ข่าวที่รออนุมัติ")
    client.post(reverse("news:submit", args=[waiting.pk]))
    write(client, people["recorder"], title="ร่างที่ยังไม่ส่ง")  # a draft: nobody's decision yet
    published = write(client, people["admin_all"], title="ข่าวที่เผยแพร่แล้ว")
    client.post(reverse("news:submit", args=[published.pk]))
    client.force_login(make_user("super", roles=["super_admin"], unit="ALRO-ICT"))
    body = client.get(reverse("news:queue")).content.decode()
    assert "ข่าวที่รออนุมัติ" in body
    assert "ร่างที่ยังไม่ส่ง" not in body and "ข่าวที่เผยแพร่แล้ว" not in body
    assert "รออนุมัติ (1)" in client.get(reverse("news:index")).content.decode()
