"""A unit's monthly report: handed in, accepted or sent back, who may do each, and the month's lock."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from accounts.models import Notification
from accounts.notifications import message_of
from accounts.roles import Role
from progress import services
from progress.models import Disbursement, MonthReport, PerformanceResult
from progress.tests.data import flush_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(make_user):
    """A user of the bureau that owns the test projects (make_project: ALRO-SPP)."""
    return make_user("owner_bureau", roles=[Role.BUREAU_USER], unit="ALRO-SPP")


def _result(people, assignment, month=1, quantity=2):
    return services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=month, version=None,
        fields={"quantity": quantity},
    )  # fmt: skip


def _status(assignment, month=1):
    return MonthReport.objects.get(activity_unit=assignment, month=month).status


# --- the steps and who may take them ---------------------------------------------------------


def test_unit_hands_in_and_owner_bureau_accepts(people, assignment, owner):
    _result(people, assignment)
    report = services.submit_report(people["province_user"], assignment, 1)
    assert (report.status, report.submitted_by) == ("submitted", people["province_user"])
    report = services.accept_report(owner, assignment, 1)
    assert (report.status, report.decided_by) == ("accepted", owner)
    assert report.decided_at is not None


def test_sent_back_report_carries_the_reason_and_can_be_handed_in_again(people, assignment):
    services.submit_report(people["province_user"], assignment, 1)
    report = services.send_back_report(people["admin_all"], assignment, 1, "  ผลผลิตไม่ตรงกับเอกสาร  ")
    assert (report.status, report.reason, report.decided_by) == (
        "sent_back",
        "ผลผลิตไม่ตรงกับเอกสาร",
        people["admin_all"],
    )
    _result(people, assignment, quantity=3)  # the month is open again
    report = services.submit_report(people["province_user"], assignment, 1)
    assert (report.status, report.reason, report.decided_by) == ("submitted", "", None)


def test_an_accepted_report_may_be_sent_back_while_the_month_is_open(people, assignment):
    services.submit_report(people["province_user"], assignment, 1)
    services.accept_report(people["admin_all"], assignment, 1)
    assert (
        services.send_back_report(people["admin_all"], assignment, 1, "ตรวจพบยอดเบิกจ่ายผิด").status
        == "sent_back"
    )


def test_sending_back_needs_a_reason(people, assignment):
    services.submit_report(people["province_user"], assignment, 1)
    with pytest.raises(ValidationError):
        services.send_back_report(people["admin_all"], assignment, 1, "   ")
    with pytest.raises(ValidationError):
        services.send_back_report(people["admin_all"], assignment, 1, "ก" * 2001)
    assert _status(assignment) == "submitted"


def test_illegal_steps_are_refused(people, assignment):
    with pytest.raises(ValidationError):
        services.accept_report(people["admin_all"], assignment, 1)  # nothing handed in
    with pytest.raises(ValidationError):
        services.send_back_report(people["admin_all"], assignment, 1, "แก้ไข")
    services.submit_report(people["province_user"], assignment, 1)
    with pytest.raises(ValidationError):
        services.submit_report(people["province_user"], assignment, 1)  # twice
    services.accept_report(people["admin_all"], assignment, 1)
    with pytest.raises(ValidationError):
        services.accept_report(people["admin_all"], assignment, 1)
    with pytest.raises(ValidationError):
        services.submit_report(people["province_user"], assignment, 1)


def test_a_month_to_come_cannot_be_handed_in(people, assignment):
    with pytest.raises(ValidationError):
        services.submit_report(people["province_user"], assignment, 3, today=dt.date(2026, 11, 30))
    assert services.submit_report(people["province_user"], assignment, 3, today=dt.date(2026, 12, 1))


def test_a_closed_month_report_cannot_change(people, assignment):
    services.submit_report(people["province_user"], assignment, 1)
    services.submit_report(people["province_user"], assignment, 2)
    services.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    services.month_close(by=people["admin_all"], fiscal_year=2570, month=2)
    with pytest.raises(ValidationError):
        services.accept_report(people["admin_all"], assignment, 1)
    with pytest.raises(ValidationError):
        services.send_back_report(people["admin_all"], assignment, 2, "แก้")
    assert _status(assignment, 1) == _status(assignment, 2) == "submitted"


@pytest.mark.parametrize(
    "name", ["finance_budget", "admin_all", "report_viewer", "province_user_b", "bureau_user"]
)
def test_only_the_units_own_users_hand_in(people, assignment, name):
    with pytest.raises(PermissionDenied):
        services.submit_report(people[name], assignment, 1)
    assert not MonthReport.objects.exists()


@pytest.mark.parametrize(
    "name", ["province_user", "finance_budget", "admin_fund", "report_viewer", "bureau_user"]
)
def test_only_the_projects_owners_review(people, assignment, name):
    services.submit_report(people["province_user"], assignment, 1)
    with pytest.raises(PermissionDenied):
        services.accept_report(people[name], assignment, 1)
    with pytest.raises(PermissionDenied):
        services.send_back_report(people[name], assignment, 1, "แก้ไข")
    assert _status(assignment) == "submitted"


def test_fund_admin_reviews_fund_projects(people, fund_assignment):
    services.submit_report(people["province_user"], fund_assignment, 1)
    assert services.accept_report(people["admin_fund"], fund_assignment, 1).status == "accepted"


def test_reports_are_visible_to_who_sees_the_project(people, assignment, owner):
    services.submit_report(people["province_user"], assignment, 1)
    for name, count in {"province_user": 1, "province_user_b": 0, "finance_budget": 1, "finance_fund": 0,
                        "report_viewer": 1, "bureau_user": 0, "recorder": 0}.items():  # fmt: skip
        assert MonthReport.objects.visible_to(people[name]).count() == count, name
    assert MonthReport.objects.visible_to(owner).count() == 1
    assert not MonthReport.objects.visible_to(people["admin_all"], "change").exists()


# --- the lock in the database ------------------------------------------------------------------


def test_a_handed_in_month_is_locked_in_the_database(people, assignment):
    result = _result(people, assignment)
    services.disbursement_save(
        by=people["finance_budget"], activity_unit=assignment, month=1,
        lines=[services.LineFigures("operating", False, 0, 0)],
    )  # fmt: skip
    services.submit_report(people["province_user"], assignment, 1)
    for sql in (
        "UPDATE progress_performanceresult SET quantity = 9 WHERE id = %s",
        "DELETE FROM progress_performanceresult WHERE id = %s",
        "UPDATE progress_performanceresult SET month = 2 WHERE id = %s",
    ):
        with pytest.raises(IntegrityError, match="handed in"), transaction.atomic(), connection.cursor() as c:
            c.execute(sql, [result.pk])
    with pytest.raises(IntegrityError, match="handed in"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO progress_stepprogress (activity_unit_id, step_id, month, percent)"
            " VALUES (%s, %s, 1, 10)",
            [assignment.pk, assignment.activity.steps.first().pk],
        )
    with pytest.raises(IntegrityError, match="handed in"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "INSERT INTO progress_disbursement (activity_unit_id, month, category, carried_over, committed,"
            " disbursed, override_reason, version, updated_at)"
            " VALUES (%s, 1, 'investment', false, 0, 0, '', 1, now())",
            [assignment.pk],
        )
    # the service says so before it writes, in words
    with pytest.raises(ValidationError):
        services.performance_save(
            by=people["province_user"], activity_unit=assignment, month=1, version=result.version,
            fields={"quantity": 3},
        )  # fmt: skip
    _result(people, assignment, month=2)  # another month is open
    services.send_back_report(people["admin_all"], assignment, 1, "แก้ผลผลิต")
    with connection.cursor() as c:
        c.execute("UPDATE progress_performanceresult SET quantity = 9 WHERE id = %s", [result.pk])
    assert PerformanceResult.objects.get(pk=result.pk).quantity == 9
    assert Disbursement.objects.filter(activity_unit=assignment, month=1).count() == 0


def test_the_database_refuses_illegal_report_steps(people, assignment):
    with pytest.raises(IntegrityError, match="must be submitted"), transaction.atomic():
        MonthReport.objects.create(
            activity_unit=assignment, month=1, status="accepted",
            submitted_at=dt.datetime(2026, 11, 3, tzinfo=dt.UTC),
            submitted_by=people["province_user"], decided_at=dt.datetime(2026, 11, 4, tzinfo=dt.UTC),
            decided_by=people["admin_all"],
        )  # fmt: skip
    report = services.submit_report(people["province_user"], assignment, 1)
    for sql in (
        "UPDATE progress_monthreport SET month = 2 WHERE id = %s",
        "UPDATE progress_monthreport SET submitted_at = now() - interval '1 day' WHERE id = %s",
        "DELETE FROM progress_monthreport WHERE id = %s",
    ):
        with (
            pytest.raises(IntegrityError, match="monthly report"),
            transaction.atomic(),
            connection.cursor() as c,
        ):
            c.execute(sql, [report.pk])
    services.accept_report(people["admin_all"], assignment, 1)
    with pytest.raises(IntegrityError, match="cannot become"), transaction.atomic(), connection.cursor() as c:
        c.execute("UPDATE progress_monthreport SET status = 'submitted' WHERE id = %s", [report.pk])
    services.month_close(by=people["admin_all"], fiscal_year=2570, month=1)
    with pytest.raises(IntegrityError, match="closed"), transaction.atomic(), connection.cursor() as c:
        c.execute(
            "UPDATE progress_monthreport SET status = 'sent_back', reason = 'x' WHERE id = %s", [report.pk]
        )


# --- the pages --------------------------------------------------------------------------------


def test_submit_accept_and_send_back_by_post(client, people, assignment):
    _result(people, assignment)
    url = reverse("progress:report_submit", args=[assignment.pk, 1])
    client.force_login(people["province_user"])
    assert client.get(url).status_code == 405
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == reverse(
        "progress:report", args=[assignment.pk, 1]
    )
    assert _status(assignment) == "submitted"
    client.force_login(people["admin_all"])
    send_back = reverse("progress:report_send_back", args=[assignment.pk, 1])
    response = client.post(send_back, {"reason": ""})
    assert response.status_code == 200 and _status(assignment) == "submitted"  # the form again
    assert client.post(send_back, {"reason": "ยอดผลผลิตสูงกว่าเอกสารแนบ"}).status_code == 302
    assert _status(assignment) == "sent_back"
    client.force_login(people["province_user"])
    page = client.get(reverse("progress:performance", args=[assignment.pk, 1])).content.decode()
    assert "สิ่งที่ต้องแก้ไข" in page and "ยอดผลผลิตสูงกว่าเอกสารแนบ" in page
    client.post(url)
    client.force_login(people["admin_all"])
    client.post(reverse("progress:report_accept", args=[assignment.pk, 1]))
    assert _status(assignment) == "accepted"


def test_another_units_report_is_404_and_a_visible_one_not_mine_403(client, people, make_project, assignment):
    other = make_project(code="O-1", units=("ALRO-P30",)).activities.first().units.first()
    client.force_login(people["province_user"])
    for name in ("report_submit", "report_accept"):
        assert client.post(reverse(f"progress:{name}", args=[other.pk, 1])).status_code == 404
    assert client.get(reverse("progress:report", args=[other.pk, 1])).status_code == 404
    # Chiang Rai's assignment of the same project: visible to Chiang Mai, not Chiang Mai's to hand in
    rai = assignment.activity.units.get(unit__code="ALRO-P57")
    assert client.get(reverse("progress:report", args=[rai.pk, 1])).status_code == 200
    assert client.post(reverse("progress:report_submit", args=[rai.pk, 1])).status_code == 403
    assert client.post(reverse("progress:report_accept", args=[assignment.pk, 1])).status_code == 403
    assert client.get(reverse("progress:report_send_back", args=[assignment.pk, 1])).status_code == 403
    assert not MonthReport.objects.exists()
    assert client.post(reverse("progress:report_submit", args=[assignment.pk, 13])).status_code == 404


def test_a_handed_in_month_shows_read_only_before_typing(client, people, assignment):
    _result(people, assignment)
    services.submit_report(people["province_user"], assignment, 1)
    client.force_login(people["province_user"])
    url = reverse("progress:performance", args=[assignment.pk, 1])
    body = client.get(url).content.decode()
    assert "readonly-reason" in body and '<fieldset class="plain" disabled>' in body
    assert "data-draft" not in body and ">บันทึก</button>" not in body
    response = client.post(url, {"version": "1", "quantity": "5"})
    assert response.status_code == 403 and "ส่งรายงาน" in response.content.decode()
    assert PerformanceResult.objects.get().quantity == 2
    client.force_login(people["finance_budget"])
    url = reverse("progress:disbursement", args=[assignment.pk, 1])
    assert '<fieldset class="plain" disabled>' in client.get(url).content.decode()
    assert client.post(url, {"operating-false-disbursed": "5"}).status_code == 403
    assert not Disbursement.objects.exists()


def test_an_open_month_form_is_editable(client, people, assignment):
    client.force_login(people["province_user"])
    body = client.get(reverse("progress:performance", args=[assignment.pk, 1])).content.decode()
    assert "readonly-reason" not in body and "data-draft" in body and "disabled>" not in body


def test_report_steps_show_in_the_month_history(client, people, assignment):
    services.submit_report(people["province_user"], assignment, 1)
    services.send_back_report(people["admin_all"], assignment, 1, "แนบภาพถ่ายเพิ่ม")
    client.force_login(people["province_user"])
    body = client.get(reverse("progress:history", args=[assignment.pk, 1])).content.decode()
    assert "แนบภาพถ่ายเพิ่ม" in body and "ส่งกลับให้แก้ไข" in body


def test_status_on_list_project_page_and_drill_down_with_fixed_queries(
    client, people, make_project, assignment, django_assert_num_queries
):
    for index in range(3):
        make_project(code=f"C-{index}", units=("ALRO-P50", "ALRO-P57"), activities=2)
    services.submit_report(people["province_user"], assignment, 1)
    services.send_back_report(people["admin_all"], assignment, 1, "ระบุเลขที่หนังสือ")
    flush_figures()
    client.force_login(people["province_user"])
    with django_assert_num_queries(6):  # the same pin as without reports
        body = client.get(reverse("progress:index"), {"fy": 2570, "month": 1}).content.decode()
    assert "ส่งกลับแก้ไข" in body and "ระบุเลขที่หนังสือ" in body
    project_url = reverse("progress:project_tab", args=[assignment.activity.project_id, "performance"])
    body = client.get(project_url, {"month": 1}).content.decode()
    assert "ส่งกลับแก้ไข" in body and "ยังไม่ส่ง" in body  # Chiang Rai's has not been handed in
    client.force_login(people["admin_all"])
    body = client.get(reverse("reports:assignment", args=[assignment.pk]), {"month": 1}).content.decode()
    assert "ส่งกลับแก้ไข" in body


def test_bureau_sees_and_reviews_the_projects_it_owns(client, people, assignment, owner):
    client.force_login(owner)
    project = assignment.activity.project
    assert client.get(reverse("progress:project", args=[project.pk])).status_code == 200
    services.submit_report(people["province_user"], assignment, 1)
    page = client.get(reverse("progress:report", args=[assignment.pk, 1])).content.decode()
    assert reverse("progress:report_accept", args=[assignment.pk, 1]) in page
    client.post(reverse("progress:report_accept", args=[assignment.pk, 1]))
    assert _status(assignment) == "accepted"


def test_the_unit_is_told_once_of_each_decision(people, assignment, make_user):
    colleague = make_user("cm_colleague", roles=[Role.PROVINCE_USER], unit=assignment.unit.code)
    services.submit_report(people["province_user"], assignment, 1)
    services.send_back_report(people["admin_all"], assignment, 1, "แนบภาพถ่ายผลงานด้วย")
    told = Notification.objects.filter(kind=Notification.Kind.REPORT_SENT_BACK)
    assert set(told.values_list("recipient", flat=True)) == {people["province_user"].pk, colleague.pk}
    assert "แนบภาพถ่ายผลงานด้วย" in message_of(told.first())
    assert told.first().url == reverse("progress:report", args=[assignment.pk, 1])
    services.submit_report(people["province_user"], assignment, 1)
    services.accept_report(people["admin_all"], assignment, 1)
    assert Notification.objects.filter(kind=Notification.Kind.REPORT_ACCEPTED).count() == 2
    assert not Notification.objects.filter(recipient=people["admin_all"]).exists()
