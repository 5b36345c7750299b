"""Published news: corrected or withdrawn by whoever approved or published it and by the agency's
admins, deleted by admins after a confirmation page, every change on the history page."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from news.models import News

pytestmark = pytest.mark.django_db


@pytest.fixture
def more(make_user):
    return {
        "dla_admin": make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD"),
        "confirmer_2": make_user("confirmer_2", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50"),
    }


def published_by_province(client, people):
    """A district's item approved by its province's confirmer."""
    client.force_login(people["recorder"])
    data = {
        "title": "ข่าวอำเภอ",
        "summary": "สรุป",
        "category": "local",
        "body": "ย่อหน้าแรก",
        "publish_date": "",
    }
    client.post(reverse("news:create"), data)
    item = News.objects.latest("pk")
    client.post(reverse("news:submit", args=[item.pk]))
    client.force_login(people["confirmer"])
    client.post(reverse("news:decide", args=[item.pk, "approve"]))
    item.refresh_from_db()
    assert item.status == "published"
    return item


def correct(client, item, body):
    data = {"title": item.title, "summary": item.summary, "category": item.category, "body": body,
            "publish_date": "1/12/2569"}  # fmt: skip
    return client.post(reverse("news:edit", args=[item.pk]), data)


def test_the_approver_corrects_a_published_item_and_it_stays_published(client, people):
    item = published_by_province(client, people)
    client.force_login(people["confirmer"])
    page = client.get(reverse("news:detail", args=[item.pk])).content.decode()
    assert reverse("news:edit", args=[item.pk]) in page
    assert correct(client, item, "ย่อหน้าที่แก้แล้ว\n\nย่อหน้าที่สอง").status_code == 302
    item.refresh_from_db()
    assert item.status == "published" and item.body == "ย่อหน้าที่แก้แล้ว\n\nย่อหน้าที่สอง"
    client.logout()
    public = client.get(reverse("news:detail", args=[item.pk])).content.decode()
    assert "<p>ย่อหน้าที่แก้แล้ว</p>\n<p>ย่อหน้าที่สอง</p>" in public  # two paragraphs, not one


def test_who_may_correct_a_published_item(client, people, more):
    item = published_by_province(client, people)
    # The agency's admin may; the author (a district) and another province's confirmer may not.
    client.force_login(more["dla_admin"])
    assert correct(client, item, "แก้โดยกรม").status_code == 302
    client.force_login(people["recorder"])
    assert correct(client, item, "แก้เอง").status_code == 403  # sees it, may not change it
    client.force_login(people["confirmer_b"])
    assert correct(client, item, "แก้ข้ามจังหวัด").status_code == 403  # published: visible to all
    client.force_login(more["confirmer_2"])  # same province, but did not approve it
    assert correct(client, item, "แก้โดยคนอื่น").status_code == 403
    client.force_login(people["admin_all"])  # an ALRO admin: not their agency's news
    assert correct(client, item, "แก้ข้ามหน่วยงาน").status_code == 403
    item.refresh_from_db()
    assert item.body == "แก้โดยกรม"


def test_withdrawing_by_the_approver_and_not_by_others(client, people, more):
    item = published_by_province(client, people)
    client.force_login(more["confirmer_2"])
    assert client.post(reverse("news:archive", args=[item.pk])).status_code == 403
    client.force_login(people["confirmer"])
    assert client.post(reverse("news:archive", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.status == "archived"


def test_only_the_agencys_admins_delete_and_only_after_confirming(client, people, more):
    item = published_by_province(client, people)
    url = reverse("news:delete", args=[item.pk])
    client.force_login(people["confirmer"])
    assert client.get(url).status_code == 403  # the approver corrects and withdraws; admins delete
    client.force_login(people["admin_all"])
    assert client.post(url).status_code == 403
    client.force_login(more["dla_admin"])
    page = client.get(url)
    assert page.status_code == 200 and "ข่าวอำเภอ" in page.content.decode()
    assert News.objects.filter(pk=item.pk).exists()  # asking deletes nothing
    assert client.post(url).status_code == 302
    assert not News.objects.filter(pk=item.pk).exists()


def test_a_draft_of_another_unit_is_not_found(client, people, more):
    client.force_login(people["recorder"])
    data = {"title": "ร่าง", "summary": "สรุป", "category": "local", "body": "ร่าง", "publish_date": ""}
    client.post(reverse("news:create"), data)
    item = News.objects.latest("pk")
    client.force_login(more["dla_admin"])
    assert client.get(reverse("news:delete", args=[item.pk])).status_code == 404
    assert client.get(reverse("news:history", args=[item.pk])).status_code == 404


def test_history_shows_who_changed_what_with_thai_field_names(client, people, django_assert_max_num_queries):
    item = published_by_province(client, people)
    client.force_login(people["confirmer"])
    correct(client, item, "ข้อความใหม่")
    url = reverse("news:history", args=[item.pk])
    page = client.get(url).content.decode()
    assert "ประวัติการแก้ไข" in page
    assert "ข้อความใหม่" in page and "ย่อหน้าแรก" in page
    assert "1 ธ.ค. 2569" in page  # the corrected publish date, in the Buddhist era
    assert people["confirmer"].username in page or people["confirmer"].get_full_name() in page
    for _ in range(30):
        correct(client, item, f"แก้ครั้งที่ {_}")
    with django_assert_max_num_queries(12):
        second = client.get(url, {"page": 2})
    assert second.status_code == 200
    client.force_login(people["viewer"])
    assert client.get(url).status_code == 403  # sees the published item, not its history
