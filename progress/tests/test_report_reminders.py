"""send_report_reminders: the units with nothing handed in for the month just due, once each."""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command

from accounts.models import Notification
from accounts.notifications import message_of
from accounts.roles import Role
from progress.models import MonthReport, ReportReminder
from progress.reminders import month_just_due
from projects.models import Project

NOV_5 = "2026-11-05"  # October 2569's (FY 2570, month 1) due day


def active_project(make_project, units=("ALRO-P50", "ALRO-P57")):
    project = make_project(code="R-1", fy=2570, units=units)
    Project.objects.filter(pk=project.pk).update(status=Project.Status.ACTIVE)
    return project


def run(date=NOV_5):
    out = io.StringIO()
    call_command("send_report_reminders", "--date", date, stdout=out)
    return out.getvalue()


def test_the_month_just_due_turns_over_on_the_due_day(db):
    assert month_just_due(dt.date(2026, 11, 4))[:2] == (2569, 12)  # September's, due 5 October
    assert month_just_due(dt.date(2026, 11, 5))[:2] == (2570, 1)  # October's
    assert month_just_due(dt.date(2026, 12, 31))[:2] == (2570, 2)


def test_reached_units_get_mail_and_the_others_are_listed(
    make_project, make_user, django_capture_on_commit_callbacks
):
    active_project(make_project)
    make_user("cm", roles=[Role.PROVINCE_USER], unit="ALRO-P50", email="cm@alro.go.th", first_name="สมชาย")
    make_user("cm_off", roles=[Role.PROVINCE_USER], unit="ALRO-P50", email="off@alro.go.th", is_active=False)
    make_user("cr", roles=[Role.PROVINCE_USER], unit="ALRO-P57")  # no address
    make_user("viewer", roles=[Role.REPORT_VIEWER], unit="ALRO-P57", email="v@alro.go.th")  # hands nothing in
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert [m.to for m in mail.outbox] == [["cm@alro.go.th"]]
    assert "ต.ค. 69" in mail.outbox[0].subject and "สมชาย" in mail.outbox[0].body
    assert "NOT REACHED ALRO-P57" in out
    reminders = {r.unit.code: r for r in ReportReminder.objects.select_related("unit")}
    assert (reminders["ALRO-P50"].emailed, reminders["ALRO-P57"].emailed) == (1, 0)
    assert (reminders["ALRO-P50"].fiscal_year, reminders["ALRO-P50"].month) == (2570, 1)


def test_running_again_reminds_nobody_twice_but_still_lists_the_unreached(
    make_project, make_user, django_capture_on_commit_callbacks
):
    active_project(make_project)
    make_user("cm", roles=[Role.PROVINCE_USER], unit="ALRO-P50", email="cm@alro.go.th")
    with django_capture_on_commit_callbacks(execute=True):
        run()
        out = run("2026-11-06")
    assert len(mail.outbox) == 1
    assert "NOT REACHED ALRO-P57" in out and "1 reminded before" in out
    assert ReportReminder.objects.count() == 2
    # Once Chiang Rai has an address, the next run reaches it, and only it.
    make_user("cr", roles=[Role.PROVINCE_USER], unit="ALRO-P57", email="cr@alro.go.th")
    with django_capture_on_commit_callbacks(execute=True):
        run("2026-11-07")
    assert [m.to for m in mail.outbox[1:]] == [["cr@alro.go.th"]]


def test_a_unit_that_handed_its_report_in_is_not_reminded(
    make_project, make_user, django_capture_on_commit_callbacks
):
    project = active_project(make_project)
    cm = make_user("cm", roles=[Role.PROVINCE_USER], unit="ALRO-P50", email="cm@alro.go.th")
    au = project.activities.get().units.get(unit__code="ALRO-P50")
    MonthReport.objects.create(
        activity_unit=au, month=1, status="submitted", submitted_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
        submitted_by=cm,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        out = run()
    assert mail.outbox == []
    assert set(ReportReminder.objects.values_list("unit__code", flat=True)) == {"ALRO-P57"}
    assert "ALRO-P50" not in out


def test_projects_being_prepared_send_no_reminders(make_project, db):
    make_project(code="D-1", fy=2570)  # a draft
    run()
    assert not ReportReminder.objects.exists()


def test_a_date_that_is_not_a_date_is_refused(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        run("5/11/2569")


def test_each_unit_person_is_told_in_the_site_once_and_e_mailed_only_by_the_reminder(
    make_project, make_user, django_capture_on_commit_callbacks, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # mail "configured"
    active_project(make_project)
    cm = make_user("cm", roles=[Role.PROVINCE_USER], unit="ALRO-P50", email="cm@alro.go.th")
    cr = make_user("cr", roles=[Role.PROVINCE_USER], unit="ALRO-P57")  # no address: still told in the site
    with django_capture_on_commit_callbacks(execute=True):
        run()
        run("2026-11-06")
    notes = Notification.objects.filter(kind=Notification.Kind.REPORT_DUE)
    assert sorted(notes.values_list("recipient__username", flat=True)) == ["cm", "cr"]
    assert [m.to for m in mail.outbox] == [["cm@alro.go.th"]]  # the reminder's own e-mail, not a second one
    note = notes.get(recipient=cr)
    assert note.url == "/progress/?fy=2570&month=1"
    assert "5 พ.ย. 2569" in message_of(note) and cm.pk != cr.pk
