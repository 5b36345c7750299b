"""Notifications: the service (once per event, e-mail on, off and opted out), the bell and its list."""

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.db import IntegrityError, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccessRequest, Notification, OrgUnit, User
from accounts.notifications import Kind, message_of, notify
from accounts.roles import Role
from accounts.services import access_request_approve

pytestmark = pytest.mark.django_db

LIST = reverse("accounts:notifications")


def verified(user, email):
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    User.objects.filter(pk=user.pk).update(email=email)
    user.email = email
    return user


def reopened(recipients, key="district_reopened:1", url="/workload/"):
    return notify(
        recipients,
        Kind.DISTRICT_REOPENED,
        url=url,
        params={"office": "สถอ.เมืองเชียงใหม่", "fy": 2570, "reason": "แก้ไขด้านที่ 3"},
        event_key=key,
    )


def open_link(notification):
    return reverse("accounts:notification_open", args=[notification.pk])


# --- the service ---------------------------------------------------------------------------


def test_the_same_event_notifies_each_person_once(member, make_user):
    other = make_user("other")
    assert {u.pk for u in reopened([member, other])} == {member.pk, other.pk}
    assert reopened([member, other]) == []
    assert reopened([member, member]) == []
    assert Notification.objects.count() == 2
    # Another event is another notification.
    assert reopened([member], key="district_reopened:2") == [member]


def test_the_database_refuses_a_second_row_for_one_event(member):
    reopened([member])
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=member, kind="district_reopened", url="/", event_key="district_reopened:1",
            created_at=timezone.now(),
        )  # fmt: skip


@pytest.mark.parametrize(
    "url", ["//evil.example", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "evil", ""]
)
def test_a_notification_links_inside_the_site_only(member, url):
    with pytest.raises(ValueError):
        reopened([member], url=url)
    assert not Notification.objects.exists()


@pytest.mark.parametrize("url", ["//evil.example", "/\\evil.example", "https://evil.example"])
def test_the_database_refuses_a_link_off_the_site(member, url):
    with pytest.raises(IntegrityError), transaction.atomic():
        Notification.objects.create(
            recipient=member, kind="district_reopened", url=url, event_key="x", created_at=timezone.now()
        )


def test_inactive_people_are_not_notified(member):
    member.is_active = False
    assert reopened([member]) == []


def test_the_message_is_written_in_the_readers_language(member):
    reopened([member])
    item = Notification.objects.get()
    from django.utils import translation

    with translation.override("th"):
        assert message_of(item) == (
            "ข้อมูลปริมาณงานของ สถอ.เมืองเชียงใหม่ ปีงบประมาณ 2570 ถูกเปิดให้แก้ไขอีกครั้ง: แก้ไขด้านที่ 3"
        )
    with translation.override("en"):
        assert message_of(item).startswith(
            "The workload of สถอ.เมืองเชียงใหม่ for fiscal year 2570 was reopened"
        )


def test_months_and_dates_are_shown_in_the_buddhist_era(member):
    notify(
        [member], Kind.REPORT_DUE, url="/progress/", params={"unit": "สปก.เชียงใหม่", "month": "2026-11",
        "due": "2026-12-05"}, event_key="due",
    )  # fmt: skip
    from django.utils import translation

    with translation.override("th"):
        assert message_of(Notification.objects.get()) == (
            "รายงานของ สปก.เชียงใหม่ ประจำเดือน พฤศจิกายน 2569 ต้องส่งภายในวันที่ 5 ธ.ค. 2569"
        )


def test_a_verified_address_gets_an_email_after_commit(member, django_capture_on_commit_callbacks, settings):
    settings.SITE_URL = "https://tracking.example.go.th"
    verified(member, "member@example.go.th")
    with django_capture_on_commit_callbacks(execute=True):
        reopened([member])
    [message] = mail.outbox
    assert message.to == ["member@example.go.th"]
    assert "แก้ไขด้านที่ 3" in message.body
    assert "https://tracking.example.go.th/workload/" in message.body
    # The same event again: no second e-mail.
    with django_capture_on_commit_callbacks(execute=True):
        reopened([member])
    assert len(mail.outbox) == 1


def test_no_email_for_who_turned_it_off_or_has_no_verified_address(
    member, make_user, django_capture_on_commit_callbacks
):
    verified(member, "member@example.go.th")
    User.objects.filter(pk=member.pk).update(email_notifications=False)
    member.refresh_from_db()
    unverified = make_user("unverified")
    EmailAddress.objects.create(user=unverified, email="unverified@example.go.th", verified=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert len(reopened([member, unverified])) == 2
    assert mail.outbox == []


def test_no_email_when_the_site_has_no_mail_server(member, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    verified(member, "member@example.go.th")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reopened([member])
    assert callbacks == []
    assert Notification.objects.filter(recipient=member).count() == 1


def test_my_account_switches_email_off_and_on(member_client, member):
    page = member_client.get(reverse("accounts:index")).content.decode()
    assert 'name="email_notifications" checked' in page
    member_client.post(reverse("accounts:notification_email"), {})
    member.refresh_from_db()
    assert member.email_notifications is False
    member_client.post(reverse("accounts:notification_email"), {"email_notifications": "on"})
    member.refresh_from_db()
    assert member.email_notifications is True


def test_the_email_switch_is_post_only(member_client, member):
    assert member_client.get(reverse("accounts:notification_email")).status_code == 405


# --- the bell and the list ------------------------------------------------------------------


def test_the_bell_shows_the_unread_count(member_client, member):
    reopened([member], key="a")
    reopened([member], key="b")
    Notification.objects.filter(event_key="b").update(read_at=timezone.now())
    page = member_client.get(reverse("home")).content.decode()
    assert 'class="bell bell-unread"' in page
    assert 'class="bell-count" aria-hidden="true">1<' in page
    assert "ยังไม่ได้อ่าน 1 รายการ" in page


def test_the_bell_costs_no_query_of_its_own(client, member):
    """The count comes with the user (accounts/backends.py): a page costs the same with 0 or 40 unread."""
    from django.db import connection

    client.force_login(member)
    counts = []
    for extra in (0, 40):
        for n in range(extra):
            reopened([member], key=f"k{n}")
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("accounts:index"))
        assert page.status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert "40" in page.content.decode()
    # The one query that reads notifications is the user's own.
    [query] = [q["sql"] for q in ctx.captured_queries if "accounts_notification" in q["sql"]]
    assert '"accounts_user"."org_unit_id"' in query


def test_anonymous_pages_do_not_ask_for_notifications(client):
    from django.db import connection

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("account_login")).status_code == 200
    assert not any("accounts_notification" in q["sql"] for q in ctx.captured_queries)


def test_the_list_shows_newest_first_in_a_fixed_number_of_queries(client, member):
    from django.db import connection

    client.force_login(member)
    reopened([member], key="old")
    notify([member], Kind.NEWS_APPROVED, url="/news/1/", params={"title": "ข่าวใหม่"}, event_key="new")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(LIST).content.decode()
    few = len(ctx.captured_queries)
    assert page.index("ข่าวใหม่") < page.index("สถอ.เมืองเชียงใหม่")
    for n in range(35):
        reopened([member], key=f"more{n}")
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(LIST).content.decode()
    assert len(ctx.captured_queries) == few
    assert page.count('class="notification ') == 30
    assert "หน้า 1 จาก 2" in page


def test_opening_a_notification_marks_it_read_and_goes_to_its_link(member_client, member):
    reopened([member])
    item = Notification.objects.get()
    response = member_client.get(open_link(item))
    assert response.status_code == 302 and response["Location"] == "/workload/"
    item.refresh_from_db()
    assert item.read_at is not None
    assert 'class="bell-count"' not in member_client.get(LIST).content.decode()


def test_another_persons_notification_is_not_found(client, member, make_user):
    reopened([member])
    item = Notification.objects.get()
    client.force_login(make_user("other"))
    assert client.get(open_link(item)).status_code == 404
    item.refresh_from_db()
    assert item.read_at is None
    assert "สถอ.เมืองเชียงใหม่" not in client.get(LIST).content.decode()


def test_opening_is_get_only_and_needs_sign_in(client, member):
    reopened([member])
    item = Notification.objects.get()
    response = client.get(open_link(item))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))
    client.force_login(member)
    assert client.post(open_link(item)).status_code == 405


def test_mark_all_read_is_a_post_and_touches_only_ones_own(client, member, make_user):
    other = make_user("other")
    reopened([member, other], key="a")
    reopened([member], key="b")
    client.force_login(member)
    assert client.get(reverse("accounts:notifications_read_all")).status_code == 405
    response = client.post(reverse("accounts:notifications_read_all"))
    assert response.status_code == 302 and response["Location"] == LIST
    assert not Notification.objects.filter(recipient=member, read_at__isnull=True).exists()
    assert Notification.objects.filter(recipient=other, read_at__isnull=True).count() == 1


def test_the_list_on_a_phone_has_the_bell_in_reach(member_client, member):
    """The bell sits in the header tools, which stay visible when the menu folds away at 390 px."""
    reopened([member])
    page = member_client.get(LIST).content.decode()
    tools = page.split('<div class="header-tools">', 1)[1].split("</header>", 1)[0]
    assert 'class="bell bell-unread"' in tools


# --- events ---------------------------------------------------------------------------------


def test_an_approved_access_request_notifies_the_new_account_once(make_user):
    reviewer = make_user("reviewer", roles=[Role.SUPER_ADMIN], unit="ALRO-ICT")
    request = AccessRequest.objects.create(
        username="somsri", first_name="สมศรี", last_name="มีสุข", position="นักวิชาการ", phone="0812345678",
        org_unit=OrgUnit.objects.get(code="DLA-D5001"), role="district_recorder", password_hash="!",
    )  # fmt: skip
    user = access_request_approve(access_request=request, by=reviewer)
    [item] = Notification.objects.filter(recipient=user)
    assert item.kind == Kind.ACCESS_REQUEST_DECIDED
    from django.utils import translation

    with translation.override("th"):
        assert message_of(item) == (
            "คำขอเข้าใช้ระบบของท่านได้รับการอนุมัติแล้ว: ผู้ใช้งานระดับอำเภอ " + request.org_unit.name_th
        )
    assert Notification.objects.count() == 1


@pytest.mark.parametrize("value", ["", "off", "ON", "1", "<script>", "' OR 1=1 --", "ใช่" * 500])
def test_anything_but_a_ticked_box_turns_email_off_and_changes_nothing_else(member_client, member, value):
    before = User.objects.filter(pk=member.pk).values().get()
    response = member_client.post(reverse("accounts:notification_email"), {"email_notifications": value})
    assert response.status_code == 302
    after = User.objects.filter(pk=member.pk).values().get()
    assert after.pop("email_notifications") is False
    before.pop("email_notifications")
    assert after == before


@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1e9", "๑", "<script>"])
def test_a_bad_page_number_shows_a_page_of_the_list(member_client, member, page):
    reopened([member])
    response = member_client.get(LIST, {"page": page})
    assert response.status_code == 200
    assert "สถอ.เมืองเชียงใหม่" in response.content.decode()
