import pytest
from django.urls import reverse

from accounts.models import User
from news.models import News

pytestmark = pytest.mark.django_db


def test_demo_news_shows_both_agencies_and_fills_the_province_queue(demo_rows, tmp_path, client):
    """The demo as seed_demo made it (run twice: accounts/tests/test_seed_demo.py)."""
    with demo_rows.loaded(tmp_path):
        _check_demo_news(client)


def _check_demo_news(client):
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
