"""Reminders to incomplete district offices (the province's button and the cron command) and the
notifications of a reopened district: every office covered, each person told once per event."""

import datetime as dt
import io

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notification, User
from workload import services
from workload.models import Submission
from workload.tests.conftest import CONTACT, complete

pytestmark = pytest.mark.django_db


def verified(user, email):
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    User.objects.filter(pk=user.pk).update(email=email)


def remind(client, code="50"):
    """Press the button; the e-mail goes after commit, so the callbacks are run."""
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        return client.post(reverse("workload:remind", args=[2570, code]), follow=True)


def run_command(*args):
    out = io.StringIO()
    call_command("send_workload_reminders", *args, stdout=out)
    return out.getvalue()


# --- the province's button ------------------------------------------------------------------


def test_offices_that_never_started_are_reminded_too(client, people, questionnaire):
    """สถอ.เมืองเชียงใหม่ never opened its forms: its recorder still hears of it, in the site and by e-mail."""
    verified(people["recorder"], "recorder@example.go.th")
    client.force_login(people["confirmer"])
    remind(client)
    [item] = Notification.objects.filter(recipient=people["recorder"])
    assert item.kind == "workload_due"
    assert item.url == reverse("workload:status", args=[2570, "DLA-D5001"])
    assert [m.to for m in mail.outbox] == [["recorder@example.go.th"]]


def test_the_province_page_lists_the_offices_no_email_can_reach(client, people, questionnaire):
    verified(people["recorder"], "recorder@example.go.th")
    client.force_login(people["confirmer"])
    page = remind(client).content.decode()
    # Chiang Mai has 25 district offices: 5001 has a verified recorder, 5002 a recorder without an
    # address, the other 23 no recorder account at all.
    warning = page.split("ส่งอีเมลถึงหน่วยงานต่อไปนี้ไม่ได้", 1)[1].split("</li>", 1)[0]
    assert "ผู้บันทึกข้อมูลไม่มีอีเมลที่ยืนยันแล้ว" in warning
    assert warning.count("ไม่มีบัญชีผู้บันทึกข้อมูล") == 23
    assert "เมืองเชียงใหม่" not in warning


def test_a_complete_or_confirmed_office_is_not_reminded(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    client.force_login(people["confirmer"])
    remind(client)
    assert not Notification.objects.filter(recipient=people["recorder"]).exists()
    assert Notification.objects.filter(recipient=people["recorder_same_province"]).count() == 1


def test_pressing_twice_a_day_reminds_once(client, people, questionnaire):
    verified(people["recorder"], "recorder@example.go.th")
    client.force_login(people["confirmer"])
    remind(client)
    page = remind(client).content.decode()
    assert Notification.objects.filter(recipient=people["recorder"]).count() == 1
    assert len(mail.outbox) == 1
    assert "แจ้งเตือนไปแล้ววันนี้" in page


def test_the_typed_contact_email_is_not_mailed(client, people, questionnaire, submission):
    """Nobody verified it: reminders go to the recorders' verified addresses only."""
    services.contact_save(submission=submission, by=people["recorder"], fields=dict(CONTACT), districts=[])
    client.force_login(people["confirmer"])
    remind(client)
    assert mail.outbox == []


def test_only_the_province_confirmer_reminds(client, people, questionnaire):
    # A district office does not see its province's review page; the DLA centre sees it and may not remind.
    client.force_login(people["recorder"])
    assert client.post(reverse("workload:remind", args=[2570, "50"])).status_code == 404
    client.force_login(people["dla_admin"])
    assert client.post(reverse("workload:remind", args=[2570, "50"])).status_code == 403
    client.force_login(people["confirmer_b"])
    assert client.post(reverse("workload:remind", args=[2570, "50"])).status_code == 404
    assert not Notification.objects.exists()


# --- the cron command -----------------------------------------------------------------------


def test_the_command_waits_until_recording_closes_soon(people, questionnaire):
    out = run_command("--days", "7")
    assert "in 30 days: no reminders yet" in out
    assert not Notification.objects.exists()


def test_the_command_reminds_every_incomplete_office_once_per_closing_date(
    people, questionnaire, submission, django_capture_on_commit_callbacks
):
    verified(people["recorder"], "recorder@example.go.th")
    other = Submission.objects.get(questionnaire=questionnaire, office__code="DLA-D5002")
    complete(other, people["recorder_same_province"])
    with django_capture_on_commit_callbacks(execute=True):
        out = run_command("--days", "30")
    assert Notification.objects.filter(recipient=people["recorder"], kind="workload_due").count() == 1
    assert Notification.objects.filter(recipient=people["recorder_b"]).count() == 1
    assert not Notification.objects.filter(recipient=people["recorder_same_province"]).exists()  # complete
    assert [m.to for m in mail.outbox] == [["recorder@example.go.th"]]
    assert "2 reminded now" in out
    # Every office without an account or an address is named, with its province.
    assert "Not reachable by e-mail" in out
    # 878 offices, 877 incomplete: 5001's recorder has an address, 5701's has none, 875 have no recorder.
    assert "877 district offices not complete" in out
    assert out.count("\tno recorder account\t") == 875
    assert "no recorder with a verified e-mail address" in out
    # Cron runs it again the next day: nobody is told twice.
    with django_capture_on_commit_callbacks(execute=True):
        out = run_command(
            "--days", "30", "--today", (timezone.localdate() + dt.timedelta(days=1)).isoformat()
        )
    assert "0 reminded now, 2 reminded before" in out
    assert Notification.objects.filter(recipient=people["recorder"]).count() == 1
    assert len(mail.outbox) == 1
    # The window extended: a new closing date is a new reminder.
    questionnaire.closes_on += dt.timedelta(days=5)
    questionnaire.save()
    run_command("--days", "40")
    assert Notification.objects.filter(recipient=people["recorder"]).count() == 2


def test_the_command_says_when_nothing_is_open(people, questionnaire):
    out = run_command("--today", (questionnaire.closes_on + dt.timedelta(days=1)).isoformat())
    assert "No workload recording is open" in out


# --- a district reopened ----------------------------------------------------------------------


def test_a_reopening_notifies_the_district_and_its_province_once(people, questionnaire, submission):
    complete(submission, people["recorder"])
    services.submission_confirm(submission=submission, by=people["confirmer"])
    services.submission_reopen(submission=submission, by=people["dla_admin"], reason="แก้ไขด้านที่ 3")
    told = Notification.objects.filter(kind="district_reopened")
    assert set(told.values_list("recipient__username", flat=True)) == {"recorder", "confirmer"}
    assert all(n.params["reason"] == "แก้ไขด้านที่ 3" for n in told)
    # A second reopening (after another confirmation) is another event.
    services.submission_confirm(submission=submission, by=people["confirmer"])
    services.submission_reopen(submission=submission, by=people["dla_admin"], reason="แก้ไขอีกครั้ง")
    assert Notification.objects.filter(kind="district_reopened").count() == 4
    assert not Notification.objects.filter(
        recipient__in=[people["recorder_b"], people["confirmer_b"], people["dla_admin"]]
    )


def test_reopened_notification_opens_the_district_status_page(client, people, questionnaire, submission):
    complete(submission, people["recorder"])
    services.submission_confirm(submission=submission, by=people["confirmer"])
    services.submission_reopen(submission=submission, by=people["dla_admin"], reason="แก้ไข")
    item = Notification.objects.get(recipient=people["confirmer"])
    client.force_login(people["confirmer"])
    response = client.get(reverse("accounts:notification_open", args=[item.pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == reverse("workload:status", args=[2570, "DLA-D5001"])
