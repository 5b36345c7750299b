"""Progress pages for unit users, finance users and others, with another unit's rows tried by URL."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from progress import services
from progress.models import Disbursement, PerformanceResult, Photo, Procurement, Transfer
from progress.tests.data import flush_figures

pytestmark = pytest.mark.django_db


def jpeg(width=640, height=480, exif_date=None):
    image = Image.new("RGB", (width, height), (40, 120, 60))
    buffer = io.BytesIO()
    kwargs = {}
    if exif_date:
        exif = Image.Exif()
        exif.get_ifd(0x8769)[36867] = exif_date
        exif[0x0112] = 6  # rotated: stored sideways
        kwargs["exif"] = exif
    image.save(buffer, format="JPEG", **kwargs)
    return buffer.getvalue()


def test_unit_list_shows_own_assignments_with_figures(client, people, assignment):
    flush_figures()  # the list finds a unit's assignments of the year through their figures
    client.force_login(people["province_user"])
    response = client.get(reverse("progress:index"), {"fy": 2570, "month": 1})
    assert response.status_code == 200
    body = response.content.decode()
    assert "B-1" in body and "เชียงราย" not in body  # only Chiang Mai's assignment


def test_unit_list_query_count_is_fixed(client, people, make_project, django_assert_num_queries):
    for index in range(4):
        make_project(code=f"B-{index}", units=("ALRO-P50", "ALRO-P57"), activities=2)
    flush_figures()
    client.force_login(people["province_user"])
    # session, user with their unit, roles, the data's version, count, page
    with django_assert_num_queries(6):
        response = client.get(reverse("progress:index"), {"fy": 2570, "month": 1})
    assert len(response.context["page"].object_list) == 8  # Chiang Mai's, of 4 projects × 2 activities
    # Again, nothing changed: the table from the cache (session, user, roles, version)
    with django_assert_num_queries(4):
        again = client.get(reverse("progress:index"), {"fy": 2570, "month": 1})
    table = response.content.decode().split("<table")[1].split("</table>")[0]
    assert table in again.content.decode()


@pytest.mark.parametrize("tab", ["detail", "performance", "disbursement"])
def test_project_page_figures_follow_the_figures_rule(client, people, assignment, tab):
    """A province user sees the project's figures of their own province's units, as on the
    dashboards and the project's management page; an admin sees every unit's."""
    flush_figures()
    project = assignment.activity.project
    url = reverse("progress:project_tab", args=[project.pk, tab])
    client.force_login(people["province_user"])
    units = {row.unit.code for row in client.get(url, {"month": 1}).context["figures"]}
    assert units == {"ALRO-P50"}
    client.force_login(people["admin_all"])
    units = {row.unit.code for row in client.get(url, {"month": 1}).context["figures"]}
    assert units == {"ALRO-P50", "ALRO-P57"}


def test_project_tabs_render_with_a_fixed_number_of_queries(client, people, assignment):
    client.force_login(people["admin_all"])
    project = assignment.activity.project
    for tab in ("detail", "performance", "disbursement", "procurement", "transfers", "photos"):
        assert client.get(reverse("progress:project_tab", args=[project.pk, tab])).status_code == 200, tab
    assert client.get(reverse("progress:project_tab", args=[project.pk, "nope"])).status_code == 404


def test_province_user_reports_a_month(client, people, assignment):
    client.force_login(people["province_user"])
    url = reverse("progress:performance", args=[assignment.pk, 2])
    step = assignment.activity.steps.first()
    data = {
        "version": "",
        "quantity": "๑๒",
        "narrative": "สำรวจแล้ว 12 แปลง",
        "obstacles": "",
        f"step_{step.pk}": "50",
    }
    assert client.post(url, data).status_code == 302
    result = PerformanceResult.objects.get(activity_unit=assignment, month=2)
    assert result.quantity == 12 and result.version == 1
    assert result.activity_unit.step_progress.get().percent == 50


def test_month_form_reads_and_saves_with_a_fixed_number_of_queries(
    client, people, assignment, django_assert_num_queries
):
    client.force_login(people["province_user"])
    url = reverse("progress:performance", args=[assignment.pk, 2])
    client.get(url)  # the session's first request reads more
    # session, user, roles; the assignment with the user's report rights, the month's closure and
    # report; steps and indicators each with the month's value; the month's result; the plan
    with django_assert_num_queries(10):
        assert client.get(url).status_code == 200
    step = assignment.activity.steps.first()
    data = {"version": "", "quantity": "3", "narrative": "", "obstacles": "", f"step_{step.pk}": "20"}
    # session, user; assignment, closure, report, steps, indicators (the form's fields; the plan is
    # read only for a page that is shown); the service checks the month against the closure and
    # report read above; then the writes of a first save, a step's included, in their transaction
    # and savepoints
    with django_assert_num_queries(20):
        assert client.post(url, data).status_code == 302


def test_two_people_saving_the_same_month_the_second_is_told(client, people, assignment):
    client.force_login(people["province_user"])
    url = reverse("progress:performance", args=[assignment.pk, 3])
    client.post(url, {"version": "", "quantity": "5", "narrative": "ครั้งแรก", "obstacles": ""})
    # Both opened version 1; one saves, then the other.
    client.post(url, {"version": "1", "quantity": "6", "narrative": "คนที่หนึ่ง", "obstacles": ""})
    response = client.post(url, {"version": "1", "quantity": "9", "narrative": "คนที่สอง", "obstacles": ""})
    assert response.status_code == 200
    body = response.content.decode()
    assert "บันทึกเดือนนี้ไปก่อนแล้ว" in body
    assert 'value="9"' in body  # what the second person typed is kept
    assert PerformanceResult.objects.get(activity_unit=assignment, month=3).quantity == 6


@pytest.mark.parametrize("name", ["province_user_b", "bureau_user"])
def test_another_units_user_cannot_report_or_see(client, people, assignment, name):
    client.force_login(people[name])
    url = reverse("progress:performance", args=[assignment.pk, 1])
    assert client.post(url, {"version": "", "quantity": "1"}).status_code == 404
    assert client.get(reverse("progress:project", args=[assignment.activity.project_id])).status_code == 404
    assert not PerformanceResult.objects.exists()


def test_finance_records_money_and_a_too_large_return_is_refused(client, people, assignment):
    client.force_login(people["finance_budget"])
    new = reverse("progress:transfer_new", args=[assignment.pk])
    base = {"date": "15/10/2569", "document_no": "กษ 1201/55", "note": "", "override_reason": ""}
    assert client.post(new, {**base, "kind": "transfer", "amount": "100,000"}).status_code == 302
    response = client.post(new, {**base, "kind": "return", "amount": "150000"})
    assert response.status_code == 200
    assert "ยอดโอนคืนมากกว่าเงินที่หน่วยงานคงเหลือ" in response.content.decode()
    assert Transfer.objects.filter(kind="return").count() == 0
    url = reverse("progress:disbursement", args=[assignment.pk, 1])
    assert client.post(url, {"operating_committed": "0", "operating_disbursed": "40000"}).status_code == 302
    assert Disbursement.objects.get(activity_unit=assignment).disbursed == Decimal(40000)


# The unit reads its assignment but records no money (403); the fund's finance user does not see a
# budget-act project (404); the report viewer has no progress section (403).
@pytest.mark.parametrize(
    ("name", "status"), [("province_user", 403), ("finance_fund", 404), ("report_viewer", 403)]
)
def test_only_the_right_finance_user_records_money(client, people, assignment, name, status):
    client.force_login(people[name])
    response = client.post(
        reverse("progress:transfer_new", args=[assignment.pk]),
        {"kind": "transfer", "date": "1/10/2569", "amount": "1", "document_no": "x"},
    )
    assert response.status_code == status
    assert not Transfer.objects.exists()


def test_procurement_by_unit_and_by_finance(client, people, assignment):
    data = {
        "item": "จ้างเหมาสำรวจรังวัด",
        "method": "specific",
        "status": "planned",
        "contract_amount": "465,000",
    }
    for name in ("province_user", "finance_budget"):
        client.force_login(people[name])
        assert client.post(reverse("progress:procurement_new", args=[assignment.pk]), data).status_code == 302
    assert Procurement.objects.count() == 2


def test_photos_are_cleaned_thumbnailed_and_served_by_rule(client, people, assignment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["province_user"])
    url = reverse("progress:photo_new", args=[assignment.pk])
    upload = SimpleUploadedFile("site.jpg", jpeg(exif_date="2026:11:02 09:30:00"), content_type="image/jpeg")
    assert client.post(url, {"image": upload, "caption": "สำรวจแปลง"}).status_code == 302
    photo = Photo.objects.get()
    assert photo.taken_on.isoformat() == "2026-11-02"
    with Image.open(photo.image.path) as stored:
        assert stored.size == (480, 640)  # turned upright from its EXIF orientation
        assert not stored.getexif()  # metadata stripped
    with Image.open(photo.thumbnail.path) as thumb:
        assert max(thumb.size) <= 400
    assert client.get(reverse("progress:photo_file", args=[photo.pk, "thumb"])).status_code == 200
    client.force_login(people["province_user_b"])
    assert client.get(reverse("progress:photo_file", args=[photo.pk, "full"])).status_code == 404


def test_fake_images_are_refused_with_a_thai_message(client, people, assignment, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(people["province_user"])
    url = reverse("progress:photo_new", args=[assignment.pk])
    fake = SimpleUploadedFile("virus.jpg", b"MZ\x90\x00 not an image", content_type="image/jpeg")
    response = client.post(url, {"image": fake, "caption": "ภาพ"})
    assert response.status_code == 200
    assert "ไม่ใช่ภาพถ่าย" in response.content.decode()
    assert not Photo.objects.exists()
    assert not list(tmp_path.rglob("*.jpg"))


def test_closing_a_month_makes_it_read_only(client, people, assignment):
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 1}
    )
    url = reverse("progress:close_month", args=[2570, 1])
    client.force_login(people["province_user"])
    assert client.post(url, {"confirm": "on"}).status_code == 403
    client.force_login(people["admin_all"])
    client.post(url, {"confirm": "on"})
    client.force_login(people["province_user"])
    url = reverse("progress:performance", args=[assignment.pk, 1])
    # read-only before anyone types: the reason, disabled inputs, no save button
    body = client.get(url).content.decode()
    assert "readonly-reason" in body and "ปิดรับรายงาน" in body and '<fieldset class="plain" disabled>' in body
    # a crafted POST is refused with the reason, and nothing is saved
    response = client.post(url, {"version": "1", "quantity": "5"})
    assert response.status_code == 403 and "ปิดรับรายงาน" in response.content.decode()
    assert PerformanceResult.objects.get().quantity == 1


def test_project_tab_query_counts_do_not_grow(client, people, make_project):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = make_project(code="S-1", activities=1, units=("ALRO-P50",))
    big = make_project(code="S-2", activities=3, units=("ALRO-P50", "ALRO-P57", "ALRO-P30"))
    for au in big.activities.first().units.all():
        services.performance_save(
            by=people["super"], activity_unit=au, month=1, version=None, fields={"quantity": 1}
        )
        # rows for the list tabs, so that a column they show but do not read shows up as a query per row
        Transfer.objects.create(
            activity_unit=au, kind="transfer", date=dt.date(2026, 12, 1), amount=Decimal(500),
            document_no="กษ 0001/1", note="งวดที่ 1", created_by=people["super"],
        )  # fmt: skip
        Procurement.objects.create(
            activity_unit=au, item="จ้างเหมารังวัดแปลง", method="specific", contract_amount=Decimal(90000),
            vendor="หจก. ตัวอย่าง", contract_no="12/2570", contract_date=dt.date(2026, 12, 5),
        )  # fmt: skip
        Photo.objects.create(
            activity_unit=au, image="progress/photos/x.jpg", thumbnail="progress/thumbs/x.jpg",
            caption="ลงพื้นที่รังวัด", taken_on=dt.date(2026, 12, 6), uploaded_by=people["super"],
        )  # fmt: skip
    client.force_login(people["admin_all"])
    shown = {"procurement": "จ้างเหมารังวัดแปลง", "transfers": "กษ 0001/1", "photos": 'alt="ลงพื้นที่รังวัด"'}
    for tab in ("detail", "performance", "disbursement", "procurement", "transfers", "photos"):
        counts = []
        for project in (small, big):
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(reverse("progress:project_tab", args=[project.pk, tab]))
            counts.append(len(ctx.captured_queries))
        assert counts[0] == counts[1], tab
        if tab in shown:
            assert response.content.decode().count(shown[tab]) == 3, tab


def test_project_structure_with_results_cannot_be_deleted(client, people, assignment):
    from projects.models import ActivityUnit, Project

    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 1}
    )
    project = assignment.activity.project
    client.force_login(people["admin_all"])
    response = client.post(reverse("projects:delete", args=[project.pk]), follow=True)
    assert "มีการรายงานผลแล้ว" in response.content.decode()
    assert Project.objects.filter(pk=project.pk).exists()
    activity = assignment.activity
    units = list(activity.units.order_by("pk"))
    data = {"units-TOTAL_FORMS": str(len(units)), "units-INITIAL_FORMS": str(len(units)),
            "units-MIN_NUM_FORMS": "0", "units-MAX_NUM_FORMS": "1000"}  # fmt: skip
    for index, au in enumerate(units):
        prefix = f"units-{index}-"
        data.update({prefix + "id": au.pk, prefix + "unit": au.unit_id, prefix + "is_executing": "on",
                     prefix + "output_unit": au.output_unit})  # fmt: skip
        if au.pk == assignment.pk:
            data[f"units-{index}-DELETE"] = "on"
    response = client.post(reverse("projects:activity_rows", args=[project.pk, activity.pk, "units"]), data)
    assert response.status_code == 200
    assert "บางรายการมีการรายงานผลแล้ว" in response.content.decode()
    assert ActivityUnit.objects.filter(pk=assignment.pk).exists()


def test_indicator_results_against_targets(client, people, assignment):
    from projects.models import Indicator

    indicator = Indicator.objects.create(
        activity=assignment.activity, name="พื้นที่ที่สำรวจแล้ว", unit_of_measure="ไร่", target=100
    )
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 1},
        indicators={indicator.pk: Decimal(40)},
    )  # fmt: skip
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=2, version=None, fields={"quantity": 1},
        indicators={indicator.pk: Decimal(120)},
    )  # fmt: skip
    client.force_login(people["province_user"])
    url = reverse("progress:project_tab", args=[assignment.activity.project_id, "performance"])
    assert "ยังไม่บรรลุ" in client.get(url, {"month": 1}).content.decode()
    body = client.get(url, {"month": 2}).content.decode()
    assert ">120</td>" in body and "120.00" not in body and "บรรลุ" in body


def test_spending_form_has_a_row_per_budget_line(client, people, assignment):
    from projects.models import BudgetAllocation

    BudgetAllocation.objects.create(activity_unit=assignment, category="investment", amount=Decimal(5000))
    BudgetAllocation.objects.create(
        activity_unit=assignment, category="operating", carried_over=True, amount=Decimal(3000)
    )
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 5),
        amount=Decimal(3000), document_no="กษ 1", carried_over=True,
    )  # fmt: skip
    client.force_login(people["finance_budget"])
    url = reverse("progress:disbursement", args=[assignment.pk, 2])
    body = client.get(url).content.decode()
    assert body.count('name="operating_disbursed"') == 1
    assert 'name="investment_disbursed"' in body and 'name="operating_carried_disbursed"' in body
    assert "เงินกันเหลื่อมปี" in body
    response = client.post(url, {"operating_carried_disbursed": "2,500", "operating_carried_committed": ""})
    assert response.status_code == 302
    row = Disbursement.objects.get(activity_unit=assignment)
    assert (row.category, row.carried_over, row.disbursed, row.month) == ("operating", True, Decimal(2500), 2)


def test_spending_form_keeps_typing_on_bad_input_and_conflict(client, people, assignment):
    services.transfer_add(
        by=people["finance_budget"], activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 5),
        amount=Decimal(50000), document_no="กษ 1",
    )  # fmt: skip
    client.force_login(people["finance_budget"])
    url = reverse("progress:disbursement", args=[assignment.pk, 1])
    response = client.post(url, {"operating_disbursed": "-5", "operating_committed": "abc"})
    assert response.status_code == 200
    assert 'value="abc"' in response.content.decode()
    assert not Disbursement.objects.exists()
    # Two people open the empty month; the first saves, the second is told and keeps their figures.
    assert client.post(url, {"operating_disbursed": "1000"}).status_code == 302
    response = client.post(url, {"operating_version": "", "operating_disbursed": "7777"})
    body = response.content.decode()
    assert response.status_code == 200 and "1,000.00" in body and 'value="7777"' in body
    assert Disbursement.objects.get().disbursed == Decimal(1000)


def test_unit_list_figures_come_from_the_summary(client, people, assignment):
    finance = people["finance_budget"]
    services.transfer_add(
        by=finance, activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 5),
        amount=Decimal(8000), document_no="กษ 1",
    )  # fmt: skip
    line = services.LineFigures(
        category="operating", carried_over=False, committed=Decimal(0), disbursed=Decimal(2000)
    )
    services.disbursement_save(by=finance, activity_unit=assignment, month=1, lines=[line])
    services.performance_save(
        by=people["province_user"], activity_unit=assignment, month=1, version=None, fields={"quantity": 1}
    )
    flush_figures()
    client.force_login(people["province_user"])
    [row] = client.get(reverse("progress:index"), {"fy": 2570, "month": 1}).context["page"].object_list
    assert (row.shown.received, row.shown.disbursed, row.allocated) == (
        Decimal(8000),
        Decimal(2000),
        Decimal(12000),
    )
    assert (row.shown.planned_in, row.shown.done_in, row.shown.planned_spending) == (1, 1, Decimal(1000))
    assert (row.shown.of_received, row.shown.of_allocated) == (Decimal("25.00"), Decimal("16.67"))
    # each month's list has that month's figures (the table is cached per month)
    [row] = client.get(reverse("progress:index"), {"fy": 2570, "month": 2}).context["page"].object_list
    assert (row.shown.planned_in, row.shown.done_in, row.shown.planned_spending) == (1, 0, Decimal(2000))
    # back to month 1: the same table, from the cache
    body = client.get(reverse("progress:index"), {"fy": 2570, "month": 1}).content.decode()
    assert '<td class="num">25.00</td>' in body and '<td class="num">16.67</td>' in body


def test_the_result_form_shows_the_months_plan_beside_the_result(client, people, assignment):
    from decimal import Decimal

    from projects.models import Indicator, MonthlyPlan

    MonthlyPlan.objects.filter(activity_unit=assignment, month=3).update(quantity=Decimal("1250"))
    Indicator.objects.create(activity=assignment.activity, name="เกษตรกร", unit_of_measure="ราย", target=1500)
    client.force_login(people["province_user"])
    body = client.get(reverse("progress:performance", args=[assignment.pk, 3])).content.decode()
    assert "แผนของเดือนนี้: 1,250" in body
    assert "แผนสะสมถึงสิ้นเดือนนี้: 1,252" in body  # October and November: 1 each
    assert "ค่าเป้าหมาย: 1,500 ราย" in body
    assert 'type="number"' not in body


def test_rows_coloured_behind_plan_have_a_legend_and_counts_no_satang(client, people, assignment):
    flush_figures()
    client.force_login(people["province_user"])
    body = client.get(reverse("progress:index"), {"fy": "๒๕๗๐", "month": 1}).content.decode()
    assert '<tr class="behind">' in body  # planned 1, nothing done yet
    assert '<span class="swatch behind"></span></dt><dd>ต่ำกว่าแผน' in body
    assert ">1 " in body and "1.00 " not in body  # a count of output, not money
    assert 'type="number"' not in body and 'inputmode="numeric"' in body
    project = assignment.activity.project
    body = client.get(reverse("progress:project_tab", args=[project.pk, "performance"]), {"month": 1})
    assert '<span class="swatch behind"></span></dt><dd>ต่ำกว่าแผน' in body.content.decode()


def test_unit_list_keeps_carried_over_money_apart_as_the_drill_down_does(client, people, assignment):
    """The same unit and month show the same % disbursed on the list and on the assignment's
    drill-down: money carried over from last year is counted apart on both."""
    finance = people["finance_budget"]
    for carried, amount in ((False, Decimal(8000)), (True, Decimal(5000))):
        services.transfer_add(
            by=finance, activity_unit=assignment, kind="transfer", date=dt.date(2026, 10, 5),
            amount=amount, document_no="กษ 1", carried_over=carried,
        )  # fmt: skip
    lines = [
        services.LineFigures(
            category="operating", carried_over=carried, committed=Decimal(0), disbursed=amount
        )
        for carried, amount in ((False, Decimal(2000)), (True, Decimal(4000)))
    ]
    services.disbursement_save(by=finance, activity_unit=assignment, month=1, lines=lines)
    flush_figures()
    client.force_login(people["province_user"])
    response = client.get(reverse("progress:index"), {"fy": 2570, "month": 1})
    [row] = response.context["page"].object_list
    assert (row.shown.received, row.shown.disbursed) == (Decimal(8000), Decimal(2000))
    assert (row.shown.received_carried, row.shown.disbursed_carried) == (Decimal(5000), Decimal(4000))
    assert row.shown.of_received == Decimal("25.00")  # 2,000 of 8,000, not 6,000 of 13,000
    assert "4,000.00 / 5,000.00" in response.content.decode()  # carried over, under this year's money
    drill = client.get(reverse("reports:assignment", args=[assignment.pk]), {"month": 1})
    [month_row] = drill.context["table"].rows
    assert (month_row["disbursed_to_date"], month_row["received_to_date"]) == (
        row.shown.disbursed,
        row.shown.received,
    )
    assert month_row["carried_to_date"] == row.shown.disbursed_carried
    assert month_row["of_allocated"] == row.shown.of_allocated
    assert month_row["of_received"] == row.shown.of_received
