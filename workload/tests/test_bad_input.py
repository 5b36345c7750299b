"""Bad input on the workload forms and the coordination centre's pages, and the registry import:
a clear Thai message, what was typed kept, nothing changed."""

import datetime as dt
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from openpyxl import load_workbook

from accounts.models import District, OrgUnit, Province
from accounts.roles import Role
from tracking.tests.badinput import (
    BILLION_LAUGHS,
    CHOICE,
    DATE,
    DECIMAL_PLACES,
    EMAIL,
    EUROPEAN,
    HTML_PAGE,
    IMG_ONERROR,
    MAX_DIGITS,
    MAX_VALUE,
    MIN_VALUE,
    NOT_A_VALID_VALUE,
    NUMBER,
    REQUIRED,
    SCRIPT,
    SQL,
    TOO_LONG,
    URL,
    Msg,
    assign,
    big_bytes,
    changed_tables,
    database_state,
    form_data,
    handmade_xlsx,
    refused,
    round_ids,
    workbook_bytes,
    zip_bomb,
)
from workload.centre.registry_file import COLUMNS
from workload.models import (
    Aspect,
    CentrePage,
    ExtraItem,
    FaqEntry,
    KnowledgeLink,
    Question,
    Questionnaire,
    StaffMember,
)

pytestmark = pytest.mark.django_db

PHONE = Msg("กรุณากรอกหมายเลขโทรศัพท์")
WINDOW = Msg("วันปิดต้องไม่ก่อนวันเปิด")
DUPLICATE_NAME = Msg("ชื่อนี้มีอยู่ในทะเบียนของจังหวัดนี้แล้ว")
ALREADY_THIS_YEAR = Msg("มีแบบบันทึกของปีงบประมาณนี้แล้ว")
TOO_MANY_ROWS = Msg("ส่งได้ไม่เกิน", "Please submit at most 200 forms")


@pytest.fixture
def office(db):
    """FY 2570 open today, 8 aspects (the first of 6 questions, the others of 2), the submission of
    one district office only."""
    today = timezone.localdate()
    questionnaire = Questionnaire.objects.create(
        fiscal_year=2570, opens_on=today - dt.timedelta(days=10), closes_on=today + dt.timedelta(days=30)
    )
    for number in range(1, 9):
        aspect = Aspect.objects.create(questionnaire=questionnaire, number=number, title=f"ด้านที่ {number}")
        for order in range(1, 7 if number == 1 else 3):
            Question.objects.create(aspect=aspect, order=order, text=f"งาน {number}.{order}", unit="ครั้ง")
    return questionnaire.submissions.create(office=OrgUnit.objects.get(code="DLA-D5001"))


@pytest.fixture
def forms_of(client, make_user, office):
    recorder = make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001")
    dla = make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD")
    item = ExtraItem.objects.create(
        submission=office, description="งานพิเศษ", unit="ครั้ง", volume=1, days=1, hours=1
    )
    faq = FaqEntry.objects.create(category="ทั่วไป", question="คำถาม", answer="คำตอบ")
    link = KnowledgeLink.objects.create(category="laws", title="กฎหมาย", url="https://www.krisdika.go.th/")
    staff = StaffMember.objects.create(
        province=Province.objects.get(code="50"), name="นายหนึ่ง", position="ท้องถิ่น"
    )
    StaffMember.objects.create(province=staff.province, name="นายสอง", position="ท้องถิ่น")
    # A year that has not opened yet, whose aspects and questions may still change freely.
    later = Questionnaire.objects.create(
        fiscal_year=2572,
        opens_on=timezone.localdate() + dt.timedelta(days=60),
        closes_on=timezone.localdate() + dt.timedelta(days=90),
    )
    aspect = Aspect.objects.create(questionnaire=later, number=1, title="ด้านที่ 1")
    for order in (1, 2):
        Question.objects.create(aspect=aspect, order=order, text=f"งาน 1.{order}", unit="ครั้ง")
    office_url = [2570, "DLA-D5001"]
    contact = {
        "office_address": "ที่ว่าการอำเภอ", "office_phone": "053-112233", "contact_name": "อนุชา ดวงแก้ว",
        "contact_mobile": "0812345678", "contact_email": "sto@example.go.th",
    }  # fmt: skip
    pages = {
        "contact": (recorder, reverse("workload:contact", args=office_url), "form", contact),
        "aspect": (recorder, reverse("workload:aspect", args=[*office_url, 1]), "form", {}),
        "extra": (recorder, reverse("workload:extra_edit", args=[*office_url, item.pk]), "form", {}),
        "questionnaire": (dla, reverse("workload:questionnaire", args=[2570]), "form", {}),
        "copy": (
            dla,
            reverse("workload:questionnaires"),
            "form",
            {"fiscal_year": "2571", "opens_on": "1/3/2571", "closes_on": "31/3/2571"},
        ),
        "questions": (dla, reverse("workload:questionnaire_aspect", args=[2572, 1]), "formset", {}),
        "frozen_questions": (dla, reverse("workload:questionnaire_aspect", args=[2570, 1]), "formset", {}),
        "staff": (dla, reverse("workload:registry_edit", args=[staff.pk]), "form", {}),
        "link": (dla, reverse("workload:link_edit", args=[link.pk]), "form", {}),
        "faq": (dla, reverse("workload:faq_edit", args=[faq.pk]), "form", {}),
        "about": (dla, reverse("workload:about_edit"), "form", {}),
    }

    def get(name):
        user, url, key, extra = pages[name]
        client.force_login(user)
        page = client.get(url)
        assert page.status_code == 200
        data = {**form_data(page.context[key]), **extra}
        if name in ("questions", "frozen_questions"):
            data.update(form_data(page.context["form"]))
        if name == "aspect":
            data.update({n: "1" for n in data if n.startswith("q")})
        return url, key, data

    return get


@pytest.mark.parametrize(
    "name", ["contact", "aspect", "extra", "questionnaire", "questions", "staff", "link", "faq", "about"]
)
def test_the_page_data_itself_is_accepted(client, forms_of, name):
    url, _key, data = forms_of(name)
    assert client.post(url, data).status_code == 302


# A question answered in part: all three numbers, or none (the aspect is then saved incomplete).
PARTLY_ANSWERED = Msg("กรุณากรอกปริมาณงาน จำนวนวัน และจำนวนชั่วโมงให้ครบทั้งสามช่อง")


def other_province_district():
    return str(District.objects.get(code="5701").pk)


ROUNDS = [
    ("contact", [
        ("office_address", " ", REQUIRED), ("office_phone", "abc", Msg("กรุณากรอกหมายเลขโทรศัพท์ที่ขึ้นต้นด้วย 0")),
        ("contact_name", "", REQUIRED), ("contact_mobile", "๐๘๑๒๓๔๕๖๗๘", PHONE),
        ("contact_email", "not-an-email", EMAIL),
    ]),
    ("contact", [("contact_mobile", "+66812345678", PHONE), ("covered_districts", "OTHER", CHOICE)]),
    ("contact", [("contact_mobile", "08123456789012", PHONE), ("contact_email", SCRIPT, EMAIL)]),
    ("aspect", [
        ("q*_volume", "abc", NUMBER), ("q*_volume", "1.5", NUMBER), ("q*_volume", "1.000", EUROPEAN),
        ("q*_volume", "-1", MIN_VALUE), ("q*_days", "NaN", NUMBER), ("q*_days", "366", MAX_VALUE),
        ("q*_days", "-0.5", MIN_VALUE), ("q*_hours", "24", MAX_VALUE), ("q*_hours", "", PARTLY_ANSWERED),
        ("q*_hours", "2.5", NUMBER), ("q*_volume", "99999999999999999999", MAX_VALUE),
    ]),
    ("extra", [
        ("description", "", REQUIRED), ("unit", " ", REQUIRED), ("volume", "1e3", NUMBER),
        ("days", "Infinity", NUMBER), ("hours", "-1", MIN_VALUE),
    ]),
    ("questionnaire", [
        ("opens_on", "30/2/2570", DATE), ("closes_on", "1/1/2027", DATE), ("hours_per_day", "25", MAX_VALUE),
        ("yearly_hours", "0", MIN_VALUE),
    ]),
    ("questionnaire", [("closes_on", "1/1/2500", WINDOW)]),
    ("questionnaire", [("hours_per_day", "abc", NUMBER), ("yearly_hours", "-1", MIN_VALUE)]),
    ("copy", [
        ("fiscal_year", "2026", MIN_VALUE), ("opens_on", "", REQUIRED), ("closes_on", "32/1/2571", DATE),
    ]),
    ("copy", [("fiscal_year", "2570", ALREADY_THIS_YEAR), ("closes_on", "1/2/2571", WINDOW)]),
    ("copy", [("fiscal_year", "99999", MAX_VALUE)]),
    ("questions", [
        ("aspect-title", "", REQUIRED), ("questions-0-text", "", REQUIRED),
        ("questions-0-order", "x", NUMBER), ("questions-1-unit", "", REQUIRED),
    ]),
    ("frozen_questions", [("questions-0-text", "", REQUIRED), ("questions-1-unit", "", REQUIRED)]),
    ("staff", [("name", "", REQUIRED), ("email", "a@b", EMAIL), ("districts", "OTHER", CHOICE)]),
    ("staff", [("name", "นายสอง", DUPLICATE_NAME)]),  # another entry of the province has this name
    # Text of invisible characters only is not filled in.
    ("contact", [("office_address", "\u200b", REQUIRED), ("contact_name", "\u2060\ufeff", REQUIRED)]),
    ("extra", [("description", "\u00a0\u200b", REQUIRED), ("unit", "\u200c\u200d", REQUIRED)]),
    ("faq", [("question", "\u200b\u200b", REQUIRED), ("answer", "\ufeff", REQUIRED)]),
    ("staff", [("name", " \u200b\u3164 ", REQUIRED)]),
    ("link", [
        ("url", "javascript:alert(1)", URL), ("category", "warez", CHOICE), ("title", "", REQUIRED),
        ("order", "-1", MIN_VALUE),
    ]),
    ("link", [("url", "data:text/html,<script>alert(1)</script>", URL)]),
    ("link", [("url", "file:///etc/passwd", URL)]),
    ("faq", [("question", "", REQUIRED), ("answer", " ", REQUIRED), ("order", "abc", NUMBER)]),
    ("about", [("title", "", REQUIRED), ("body", "", REQUIRED)]),
    # Still in English until the Thai of Django's own message is added.
    ("contact", [("office_address", "ก" * 501, TOO_LONG), ("contact_name", "ข" * 201, TOO_LONG)]),
    ("contact", [("covered_districts", "abc", NOT_A_VALID_VALUE)]),
    ("aspect", [("q*_days", "0.001", DECIMAL_PLACES), ("q*_days", "0.125", DECIMAL_PLACES)]),
    ("extra", [("description", "ค" * 501, TOO_LONG), ("unit", "ง" * 51, TOO_LONG)]),
    ("questionnaire", [
        ("hours_per_day", "7.125", DECIMAL_PLACES), ("yearly_hours", "1380.05", DECIMAL_PLACES),
    ]),
    ("questionnaire", [("yearly_hours", "1000000", MAX_DIGITS)]),
    ("staff", [("name", "จ" * 201, TOO_LONG), ("phone", "0" * 31, TOO_LONG)]),
    ("faq", [("answer", "ฉ" * 5001, TOO_LONG), ("question", "ช" * 501, TOO_LONG)]),
]  # fmt: skip


@pytest.mark.parametrize("round_", ROUNDS, ids=round_ids(ROUNDS))
def test_bad_values_are_refused_in_thai_and_nothing_changes(client, forms_of, round_):
    name, items = round_
    url, key, data = forms_of(name)
    items = [(p, other_province_district() if v == "OTHER" else v, m) for p, v, m in items]
    refused(client, url, data, assign(data, items), form_key=key)


def test_a_tampered_question_list_is_refused_without_an_error_page(client, forms_of):
    url, _key, data = forms_of("questions")
    refused(
        client, url, {**data, "questions-TOTAL_FORMS": "100000"}, message=TOO_MANY_ROWS, form_key="formset"
    )


def test_hostile_text_is_stored_as_typed_and_shown_escaped(client, forms_of, office):
    url, _key, data = forms_of("extra")
    assert client.post(url, {**data, "description": SCRIPT, "unit": IMG_ONERROR[:50]}).status_code == 302
    body = client.get(reverse("workload:extras", args=[2570, "DLA-D5001"])).content.decode()
    assert escape(SCRIPT) in body and SCRIPT not in body and IMG_ONERROR[:20] not in body
    url, _key, data = forms_of("faq")
    assert client.post(url, {**data, "question": SQL, "answer": SCRIPT}).status_code == 302
    body = client.get(reverse("workload:faq")).content.decode()
    assert escape(SQL) in body and SCRIPT not in body
    url, _key, data = forms_of("about")
    assert (
        client.post(url, {**data, "body": f"<p onclick='x()'>ศูนย์</p>{SCRIPT}{IMG_ONERROR}"}).status_code
        == 302
    )
    page = CentrePage.objects.get(slug="about")
    for gone in ("<script", "onclick", "onerror", "<img"):
        assert gone not in page.body


# --- the registry import ---------------------------------------------------------------------


@pytest.fixture
def importer(client, make_user):
    client.force_login(make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))

    def post(data, name="registry.xlsx"):
        return client.post(reverse("workload:registry_import"), {"file": SimpleUploadedFile(name, data)})

    return post


GOOD_ROW = ["50", "นายหนึ่ง ทดสอบ", "ท้องถิ่นอำเภอเมืองเชียงใหม่", "0811111111", "one@example.go.th", "เมืองเชียงใหม่"]
NOT_XLSX = Msg("ไม่ใช่ไฟล์ .xlsx")
UNREADABLE = Msg("อ่านไฟล์นี้เป็นไฟล์ตารางคำนวณ")
BOMB = Msg("ถูกปฏิเสธ")
# The upload check itself is tested with every kind of file in tracking/tests/test_bad_input.py and
# through the project import; here, one of each refusal through this page.
HOSTILE_FILES = [
    ("zip-bomb", lambda: zip_bomb(80), "registry.xlsx", BOMB),
    ("billion-laughs", lambda: handmade_xlsx(BILLION_LAUGHS), "registry.xlsx", UNREADABLE),
    (
        "sheet-cut-off",
        lambda: handmade_xlsx("<sst/>", sheet="<worksheet><sheetData><row><c"),
        "r.xlsx",
        UNREADABLE,
    ),
    ("html-renamed", lambda: HTML_PAGE, "registry.xlsx", NOT_XLSX),
    ("csv", lambda: b"a,b\n", "registry.csv", Msg("กรุณาอัปโหลดไฟล์ Excel (.xlsx)")),
    ("6-MB", lambda: big_bytes(6, b"PK\x03\x04"), "registry.xlsx", Msg("ไฟล์มีขนาดใหญ่เกินไป")),
    ("no-header", lambda: workbook_bytes([GOOD_ROW]), "registry.xlsx", Msg("แถวหัวตาราง")),
]


@pytest.mark.parametrize(
    ("make", "name", "message"), [c[1:] for c in HOSTILE_FILES], ids=[c[0] for c in HOSTILE_FILES]
)
def test_hostile_registry_files_are_refused_in_thai_and_change_nothing(importer, make, name, message):
    before = database_state()
    response = importer(make(), name)
    assert response.status_code == 200
    message.check(response.content.decode())
    assert changed_tables(before) == []


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(importer, monkeypatch):
    calls = []
    monkeypatch.setattr("tracking.workbooks.load_workbook", lambda *a, **k: calls.append(a) or 1 / 0)
    BOMB.check(importer(zip_bomb(80)).content.decode())
    assert calls == []


def test_a_post_without_a_file_is_told_to_choose_one(importer, client):
    response = client.post(reverse("workload:registry_import"), {})
    assert response.status_code == 200 and "กรุณาเลือกไฟล์" in response.content.decode()


FORMULAS = ['=HYPERLINK("http://evil.example","คลิก")', "=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(1)"]


def test_formula_like_cells_are_loaded_as_text(importer, client):
    rows = [COLUMNS] + [["50", text, text, "", "", ""] for text in FORMULAS]
    book = load_workbook(io.BytesIO(workbook_bytes(rows)))
    for row in book.active.iter_rows(min_row=2):
        row[1].data_type = row[2].data_type = "s"  # typed text that starts with "=", not a formula
    out = io.BytesIO()
    book.save(out)
    assert importer(out.getvalue()).status_code == 302
    assert sorted(StaffMember.objects.values_list("name", flat=True)) == sorted(FORMULAS)
    assert all(s.name == s.position for s in StaffMember.objects.all())
    body = client.get(reverse("workload:registry"), {"province": "50"}).content.decode()
    assert escape(FORMULAS[0]) in body


def test_every_bad_row_is_listed_at_once_and_nothing_is_saved(importer):
    rows = [
        COLUMNS,
        GOOD_ROW,
        ["99", "นายสอง", "ท้องถิ่น", "", "", ""],  # no such province
        ["50", "", "", "0" * 31, "x@", ""],  # name, position, phone, e-mail
        ["50", "นายสาม", "ท้องถิ่น", "", "", "อำเภอที่ไม่มีจริง, " + SCRIPT],
        ["50", "นายหนึ่ง ทดสอบ", "ท้องถิ่น", "", "", ""],  # the second row again
        ["", "นายสี่", "ท้องถิ่น", "", "", ""],
        ["5" * 3, "ก" * 201, "ข" * 201, "", "", ""],
    ]
    before = database_state()
    response = importer(workbook_bytes(rows))
    body = response.content.decode()
    assert response.status_code == 200
    problems = {(p.row, p.column) for p in response.context["problems"]}
    assert problems >= {
        (3, COLUMNS[0]), (4, COLUMNS[1]), (4, COLUMNS[2]), (4, COLUMNS[3]), (4, COLUMNS[4]), (5, COLUMNS[5]),
        (6, COLUMNS[1]), (7, COLUMNS[0]), (8, COLUMNS[0]), (8, COLUMNS[1]), (8, COLUMNS[2]),
    }, problems  # fmt: skip
    assert SCRIPT not in body and escape(SCRIPT) in body
    assert changed_tables(before) == []


def test_a_broken_sheet_is_refused_even_after_good_rows(importer):
    good = workbook_bytes([COLUMNS, GOOD_ROW, [*GOOD_ROW[:1], "นายห้า", *GOOD_ROW[2:]]])
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(good)) as old, zipfile.ZipFile(out, "w") as new:
        for name in old.namelist():
            content = old.read(name)
            if name == "xl/worksheets/sheet1.xml":
                content = content.replace(b"</sheetData>", b"<row><c")[: content.index(b"</sheetData>") + 8]
            new.writestr(name, content)
    before = database_state()
    response = importer(out.getvalue())
    UNREADABLE.check(response.content.decode())
    assert changed_tables(before) == []


# --- property: random cells in every column of the registry -----------------------------------

REGISTRY_CELL = st.one_of(
    st.sampled_from(["50", 50, "57", "5", "นายสอง", "ท้องถิ่นอำเภอ", "0811111111", "two@example.go.th", "สารภี",
                     "เมืองเชียงใหม่, อำเภอสารภี", "", " ", "=1+1", "x@", "ก" * 201]),
    st.none(),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(),
    st.booleans(),
)  # fmt: skip


@hsettings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=st.lists(st.lists(REGISTRY_CELL, min_size=6, max_size=6), min_size=1, max_size=4))
def test_random_registry_rows_are_loaded_whole_or_every_problem_is_listed(importer, rows):
    savepoint = transaction.savepoint()
    try:
        before = database_state()
        response = importer(workbook_bytes([COLUMNS, *rows]))
        if response.status_code == 302:
            assert StaffMember.objects.count() >= 1 or all(not any(r) for r in rows)
        else:
            assert response.status_code == 200
            assert response.context["problems"]
            assert all(p.message for p in response.context["problems"])
            assert changed_tables(before) == []
    finally:
        transaction.savepoint_rollback(savepoint)


def test_a_reopening_reason_too_long_is_named_as_such(client, make_user, office):
    from workload import services
    from workload.tests.conftest import complete

    complete(office, make_user("recorder", roles=[Role.DISTRICT_RECORDER], unit="DLA-D5001"))
    services.submission_confirm(
        submission=office, by=make_user("confirmer", roles=[Role.PROVINCE_CONFIRMER], unit="DLA-P50")
    )
    client.force_login(make_user("dla_admin", roles=[Role.DLA_ADMIN], unit="DLA-PSD"))
    url = reverse("workload:reopen", args=[2570, "DLA-D5001"])
    before = database_state()
    body = client.post(url, {"reason": "เหตุผล" * 400}, follow=True).content.decode()
    assert changed_tables(before) == []
    assert "กรุณาระบุเหตุผลที่เปิดให้แก้ไข" not in body  # a reason was given: it is too long
    TOO_LONG.check(body)
