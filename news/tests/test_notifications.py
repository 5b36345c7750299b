"""A district's news decided by its province: the author is notified once per decision."""

import pytest
from django.urls import reverse

from accounts.models import Notification
from news import services
from news.models import News

pytestmark = pytest.mark.django_db


@pytest.fixture
def pending(people):
    item = services.news_save(
        by=people["recorder"], news=None,
        fields={"title": "อำเภอประชุมประจำเดือน", "summary": "สรุป", "body": "ข่าว", "category": "activity"},
    )  # fmt: skip
    return services.news_submit(by=people["recorder"], news=item)


def test_approval_notifies_the_author_once(client, people, pending):
    client.force_login(people["confirmer"])
    client.post(reverse("news:decide", args=[pending.pk, "approve"]))
    client.post(reverse("news:decide", args=[pending.pk, "approve"]))  # a second click
    [item] = Notification.objects.all()
    assert item.recipient == people["recorder"]
    assert item.kind == "news_approved"
    assert item.url == reverse("news:detail", args=[pending.pk])


def test_sending_back_notifies_the_author_with_the_reason(people, pending):
    services.news_decide(by=people["confirmer"], news=pending, approve=False, reason="แก้ไขชื่อเรื่อง")
    [item] = Notification.objects.filter(recipient=people["recorder"])
    assert item.kind == "news_rejected"
    assert item.params["reason"] == "แก้ไขชื่อเรื่อง"
    # Corrected, sent again and approved: a new decision, a new notification.
    services.news_submit(by=people["recorder"], news=News.objects.get(pk=pending.pk))
    services.news_decide(by=people["confirmer"], news=pending, approve=True)
    assert list(Notification.objects.order_by("pk").values_list("kind", flat=True)) == [
        "news_rejected",
        "news_approved",
    ]


def test_a_refused_decision_notifies_nobody(people, pending):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.news_decide(by=people["confirmer_b"], news=pending, approve=True)
    assert not Notification.objects.exists()
