"""The project workbook: export, template, import with preview, every problem at once, bad files."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from projects.models import BudgetCategory, MonthlyPlan, Project
from tracking.tests.ods import ods_bytes, xlsx_to_ods
from tracking.uploads import ODS_MIMETYPE

pytestmark = pytest.mark.django_db


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def upload(client, data, name="projects.xlsx"):
    return client.post(reverse("projects:import"), {"file": SimpleUploadedFile(name, data)})


def edit(data, sheet_title, cell, value):
    workbook = load_workbook(io.BytesIO(data))
    workbook[sheet_title][cell] = value
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_export_has_thai_headers_frozen_rows_and_numbers(client, people, make_project):
    make_project(code="F-1", source="land_reform_fund")
    client.force_login(people["admin_fund"])
    workbook = load_workbook(io.BytesIO(download(client, reverse("projects:export") + "?fy=2570")))
    assert workbook.sheetnames == [
        "โครงการ",
        "กิจกรรม",
        "หน่วยงาน",
        "ขั้นตอนการดำเนินงาน",
        "แผนงานรายเดือน",
        "งบประมาณ",
        "ตัวชี้วัด",
    ]
    projects = workbook["โครงการ"]
    assert projects["A1"].value == "ปีงบประมาณ" and projects.freeze_panes == "A2"
    plan = workbook["แผนงานรายเดือน"]
    assert plan["F1"].value == "ต.ค." and isinstance(plan["F2"].value, int | float)


def test_reimporting_an_export_changes_nothing(client, people, make_project):
    make_project(code="F-1", source="land_reform_fund")
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    response = upload(client, data)
    assert response.status_code == 200
    assert response.context["result"].changes == []
    assert not response.context["result"].problems


def test_a_changed_number_is_previewed_then_applied(client, people, make_project):
    project = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    changed = edit(data, "แผนงานรายเดือน", "F3", "๒,๕๐๐.๕๐")  # spending in October, Thai digits
    response = upload(client, changed)
    result = response.context["result"]
    assert not result.problems and result.changed_count == 1
    assert "2,500.50" in response.content.decode()  # with separators, as pages show money
    plan = MonthlyPlan.objects.get(activity_unit__activity__project=project, month=1)
    assert plan.spending == Decimal(1000)  # not yet
    response = client.post(reverse("projects:import_apply"), {"token": response.context["token"]})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.spending == Decimal("2500.50")


def test_the_preview_names_units_and_budget_categories_in_thai(client, people, make_project):
    from accounts.models import OrgUnit
    from projects.models import BudgetAllocation

    project = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    budgets = load_workbook(io.BytesIO(data))["งบประมาณ"]
    amount_cell = next(c for c in budgets[2] if isinstance(c.value, int | float) and c.column > 5)
    data = edit(data, "งบประมาณ", amount_cell.coordinate, 1234567.5)
    response = upload(client, data)
    assert response.context["result"].changed_count == 1
    body = response.content.decode()
    allocation = BudgetAllocation.objects.get(activity_unit__activity__project=project)
    assert OrgUnit.objects.get(code="ALRO-P50").name_th in body
    assert str(BudgetCategory(allocation.category).label) in body
    assert "ALRO-P50 /" not in body and f"/ {allocation.category}" not in body
    assert "1,234,567.50" in body


def test_a_broken_file_lists_every_problem_and_changes_nothing(client, people, make_project):
    project = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    data = edit(data, "แผนงานรายเดือน", "F3", "สองพัน")
    data = edit(data, "หน่วยงาน", "D2", "ALRO-NOPE")
    data = edit(data, "ขั้นตอนการดำเนินงาน", "F2", 10)
    data = edit(data, "โครงการ", "C2", "ชื่อใหม่ที่ไม่ควรถูกบันทึก")
    response = upload(client, data)
    problems = response.context["result"].problems
    sheets = {p.sheet for p in problems}
    assert {"แผนงานรายเดือน", "หน่วยงาน", "ขั้นตอนการดำเนินงาน"} <= sheets
    assert all(p.row >= 2 for p in problems)
    assert "ไม่เป็นตัวเลข" in response.content.decode() or "Not a number" in response.content.decode()
    project.refresh_from_db()
    assert project.name == "โครงการ F-1"


def test_admin_fund_cannot_import_a_budget_act_project(client, people, make_project):
    make_project(code="B-1", source="budget_act")
    client.force_login(people["admin_all"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    client.force_login(people["admin_fund"])
    data = edit(data, "โครงการ", "C2", "เปลี่ยนชื่อโดยผู้ไม่มีสิทธิ์")
    response = upload(client, data)
    assert response.context["result"].problems
    assert Project.objects.get(code="B-1").name == "โครงการ B-1"


def test_template_imports_new_projects(client, people):
    client.force_login(people["admin_fund"])
    template = download(client, reverse("projects:template"))
    workbook = load_workbook(io.BytesIO(template))
    workbook["โครงการ"].append(
        [
            2570,
            "F70-50",
            "โครงการใหม่จากแม่แบบ",
            "เงินกองทุนการปฏิรูปที่ดินเพื่อเกษตรกรรม",
            "ALRO-SBT",
            "",
            "",
            "1/10/2569",
            "30/9/2570",
            "",
        ]
    )
    workbook["กิจกรรม"].append([2570, "F70-50", 1, "ให้กู้ยืมเงิน", ""])
    workbook["หน่วยงาน"].append([2570, "F70-50", 1, "ALRO-P50", "", "ใช่", "ใช่", "ราย"])
    workbook["ขั้นตอนการดำเนินงาน"].append([2570, "F70-50", 1, 1, "ดำเนินการ", 100])
    workbook["งบประมาณ"].append([2570, "F70-50", 1, "ALRO-P50", "งบรายจ่ายอื่น", "ไม่", "1,000,000"])
    out = io.BytesIO()
    workbook.save(out)
    response = upload(client, out.getvalue())
    assert not response.context["result"].problems, response.context["result"].problems
    client.post(reverse("projects:import_apply"), {"token": response.context["token"]})
    project = Project.objects.get(code="F70-50")
    assert project.start_date.isoformat() == "2026-10-01"
    assert project.activities.get().units.get().allocations.get().amount == Decimal(1000000)


def test_fake_and_oversized_and_bomb_files_are_refused(client, people):
    client.force_login(people["admin_fund"])
    response = upload(client, b"not a spreadsheet at all", "projects.xlsx")
    assert "ไม่ใช่ไฟล์ .xlsx" in response.content.decode()
    response = upload(client, b"%PDF-1.4 ...", "projects.pdf")
    assert response.status_code == 200 and "token" not in response.context
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", "0" * (70 * 1024 * 1024))
    response = upload(client, bomb.getvalue())
    assert "ถูกปฏิเสธ" in response.content.decode()
    response = upload(client, b"x" * (6 * 1024 * 1024))
    assert "ไฟล์มีขนาดใหญ่เกินไป" in response.content.decode()


def test_text_that_looks_like_a_formula_is_exported_as_text(client, people, make_project):
    project = make_project(code="F-1", source="land_reform_fund")
    project.name = '=HYPERLINK("http://evil.example","click")'
    project.save()
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = "".join(archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/"))
    assert "<f>" not in xml


def test_only_managers_import(client, people):
    client.force_login(people["province_user"])
    assert client.get(reverse("projects:import")).status_code == 403
    wb = Workbook()
    out = io.BytesIO()
    wb.save(out)
    assert upload(client, out.getvalue()).status_code == 403


def test_unchanged_rows_of_projects_one_may_only_read_pass_through(client, people, make_project):
    make_project(code="B-1", source="budget_act")
    fund = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")  # both projects: admin_fund reads all
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["โครงการ"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[1].value == "F-1")
    row[2].value = "ชื่อใหม่ของโครงการกองทุน"
    out = io.BytesIO()
    workbook.save(out)
    response = upload(client, out.getvalue())
    result = response.context["result"]
    assert not result.problems and result.changed_count == 1
    client.post(reverse("projects:import_apply"), {"token": response.context["token"]})
    fund.refresh_from_db()
    assert fund.name == "ชื่อใหม่ของโครงการกองทุน"
    assert Project.objects.get(code="B-1").name == "โครงการ B-1"


def test_a_second_click_while_the_import_is_applied_imports_nothing_twice(
    client, people, make_project, monkeypatch
):
    from projects.imports import ProjectImport

    project = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    response = upload(client, edit(data, "แผนงานรายเดือน", "F3", "2,500.50"))
    token = response.context["token"]
    apply = ProjectImport.apply
    applied, second = [], {}

    def apply_while_clicked_again(importer):
        applied.append(importer)
        if len(applied) == 1:  # the same preview sent again while the first is being applied
            second["page"] = client.post(reverse("projects:import_apply"), {"token": token}, follow=True)
        return apply(importer)

    monkeypatch.setattr(ProjectImport, "apply", apply_while_clicked_again)
    assert client.post(reverse("projects:import_apply"), {"token": token}).status_code == 302
    assert len(applied) == 1
    assert "การนำเข้านี้หมดอายุแล้ว" in second["page"].content.decode()
    assert MonthlyPlan.objects.get(activity_unit__activity__project=project, month=1).spending == Decimal(
        "2500.50"
    )


# --- typed cells, filters and names; .ods as well as .xlsx ---------------------------------------


def test_export_cells_are_typed_filtered_and_the_file_is_named_by_fiscal_year(client, people, make_project):
    project = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    project.start_date, project.end_date = dt.date(2026, 10, 1), dt.date(2027, 9, 30)
    project.save()
    client.force_login(people["admin_fund"])
    response = client.get(reverse("projects:export") + "?fy=2570")
    disposition = response["Content-Disposition"]
    assert 'filename="Projects-FY2570.xlsx"' in disposition
    assert "filename*=UTF-8''" + quote("โครงการ-ปีงบ2570.xlsx") in disposition
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
    row = next(workbook["โครงการ"].iter_rows(min_row=2, max_row=2))
    assert (row[0].value, row[0].number_format) == (2570, "0")
    start = row[7]
    assert start.is_date and start.value == dt.datetime(2026, 10, 1)
    assert start.number_format == "[$-107041E]d mmm yyyy"  # shown 1 ต.ค. 2569
    budget = next(workbook["งบประมาณ"].iter_rows(min_row=2, max_row=2))
    assert (budget[6].value, budget[6].data_type, budget[6].number_format) == (12000, "n", "#,##0.00")
    plan = next(workbook["แผนงานรายเดือน"].iter_rows(min_row=2, max_row=2))
    assert (plan[2].value, plan[2].number_format) == (1, "#,##0")
    assert all(c.data_type == "n" and c.number_format == "#,##0.00" for c in plan[5:])


def test_template_is_named_as_a_template(client, people):
    client.force_login(people["admin_fund"])
    response = client.get(reverse("projects:template") + "?fy=2570")
    assert 'filename="Project-template-FY2570.xlsx"' in response["Content-Disposition"]


def test_an_ods_of_the_export_previews_and_applies_like_the_xlsx(client, people, make_project):
    project = make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    project.start_date = dt.date(2026, 10, 1)
    project.save()
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    unchanged = upload(client, xlsx_to_ods(data), "projects.ods").context["result"]
    assert not unchanged.problems and unchanged.changes == []
    changed = edit(data, "แผนงานรายเดือน", "F3", 2500.5)
    as_xlsx = upload(client, changed).context["result"]
    response = upload(client, xlsx_to_ods(changed), "projects.ods")
    as_ods = response.context["result"]
    assert as_ods.problems == as_xlsx.problems == []
    assert as_ods.changes == as_xlsx.changes and as_ods.changed_count == 1
    client.post(reverse("projects:import_apply"), {"token": response.context["token"]})
    plan = MonthlyPlan.objects.get(activity_unit__activity__project=project, month=1)
    assert plan.spending == Decimal("2500.50")
    project.refresh_from_db()
    assert project.start_date == dt.date(2026, 10, 1)


def test_a_broken_ods_lists_the_same_problems_as_the_xlsx(client, people, make_project):
    make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    data = edit(data, "แผนงานรายเดือน", "F3", "สองพัน")
    data = edit(data, "หน่วยงาน", "D2", "ALRO-NOPE")
    as_xlsx = upload(client, data).context["result"].problems
    as_ods = upload(client, xlsx_to_ods(data), "projects.ods").context["result"].problems
    assert len(as_xlsx) >= 2 and as_ods == as_xlsx


BILLION_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
    '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
    ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"'
    ' xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"><office:body><office:spreadsheet>'
    '<table:table table:name="โครงการ"><table:table-row><table:table-cell office:value-type="string">'
    "<text:p>&lol3;</text:p></table:table-cell></table:table-row></table:table>"
    "</office:spreadsheet></office:body></office:document-content>"
)


def _ods_bomb():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), ODS_MIMETYPE, compress_type=zipfile.ZIP_STORED)
        archive.writestr("content.xml", "0" * (70 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: b"not a spreadsheet at all", "ไม่ใช่ไฟล์ .ods"),
        (
            lambda: ods_bytes({"a": [["x"]]}, mimetype="application/vnd.oasis.opendocument.text"),
            "ไม่ใช่ไฟล์ .ods",
        ),
        (lambda: xlsx_bytes(), "ไม่ใช่ไฟล์ .ods"),
        (_ods_bomb, "ถูกปฏิเสธ"),
        (lambda: ods_bytes(content=BILLION_LAUGHS), "อ่านไฟล์นี้เป็นไฟล์ตารางคำนวณ"),
        (lambda: ods_bytes(content="<office:document-content"), "อ่านไฟล์นี้เป็นไฟล์ตารางคำนวณ"),
    ],
    ids=["not-a-zip", "text-document", "xlsx-renamed", "zip-bomb", "entities", "broken-xml"],
)
def test_a_bad_ods_is_refused_in_thai_and_changes_nothing(client, people, make_project, make, message):
    make_project(code="F-1", source="land_reform_fund")
    client.force_login(people["admin_fund"])
    response = upload(client, make(), "projects.ods")
    assert response.status_code == 200 and "token" not in response.context
    assert message in response.content.decode()
    assert Project.objects.get(code="F-1").name == "โครงการ F-1"


def xlsx_bytes():
    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


def test_a_buddhist_year_typed_into_a_date_cell_is_read_as_the_buddhist_era(client, people, make_project):
    make_project(code="F-1", source="land_reform_fund", units=("ALRO-P50",))
    client.force_login(people["admin_fund"])
    data = download(client, reverse("projects:export") + "?fy=2570")
    data = edit(data, "โครงการ", "H2", dt.datetime(2569, 10, 1))  # what a spreadsheet makes of 1/10/2569
    response = upload(client, data)
    assert not response.context["result"].problems
    client.post(reverse("projects:import_apply"), {"token": response.context["token"]})
    assert Project.objects.get(code="F-1").start_date == dt.date(2026, 10, 1)
