import pytest
from django.core.management import call_command
from django.urls import reverse

from accounts.models import User
from news.models import News

pytestmark = pytest.mark.django_db


def test_demo_news_shows_both_agencies_and_fills_the_province_queue(settings, client):
    settings.DEMO = True
    call_command("seed_demo", "--password", "demo-pass-1")
    call_command("seed_demo", "--password", "demo-pass-1")  # a second run adds nothing
    published = News.objects.filter(status=News.Status.PUBLISHED)
    assert {n.unit.agency for n in published} == {"alro", "dla"}
    local = published.get(category=News.Category.LOCAL)
    assert local.decided_by.username == "province_confirmer"
    waiting = News.objects.get(status=News.Status.PENDING)
    assert waiting.author.username == "district_recorder" and "<script" not in waiting.body
    assert News.objects.count() == 5
    client.force_login(User.objects.get(username="province_confirmer"))
    assert waiting.title in client.get(reverse("news:queue")).content.decode()
    assert "รออนุมัติ (1)" in client.get(reverse("news:index")).content.decode()
