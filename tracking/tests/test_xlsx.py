"""The one spreadsheet writer: kinds become number formats, tables get filters and frozen headers."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tracking.thaicalendar import fiscal_months
from tracking.xlsx import (
    COUNT,
    DATE,
    DATETIME,
    MONEY,
    NUMBER,
    PERCENT,
    TEXT,
    YEAR,
    Column,
    Sheet,
    content_disposition,
    download_names,
    workbook_response,
)


def written(*sheets):
    response = workbook_response(filename="ทดสอบ.xlsx", fallback="test.xlsx", sheets=list(sheets))
    return response, load_workbook(io.BytesIO(b"".join(response.streaming_content)))


COLUMNS = [
    Column("ชื่อ", TEXT),
    Column("เงิน", MONEY),
    Column("ร้อยละ", PERCENT),
    Column("จำนวน", COUNT),
    Column("ปีงบประมาณ", YEAR),
    Column("วันที่", DATE),
    Column("เวลา", DATETIME),
    Column("ปริมาณ", NUMBER),
]


def test_each_kind_is_a_typed_cell_with_its_number_format():
    row = ["ก", Decimal("1234.50"), Decimal("85.25"), 12, 2570, dt.date(2026, 12, 31),
           dt.datetime(2026, 12, 31, 9, 30), Decimal("2.5")]  # fmt: skip
    _response, book = written(Sheet("แผ่น", COLUMNS, [row]))
    cells = next(book.active.iter_rows(min_row=2))
    assert [c.value for c in cells] == [
        "ก",
        1234.5,
        pytest.approx(0.8525),
        12,
        2570,
        dt.datetime(2026, 12, 31),
        dt.datetime(2026, 12, 31, 9, 30),
        2.5,
    ]
    assert [c.data_type for c in cells] == ["s", "n", "n", "n", "n", "d", "d", "n"]
    assert [c.number_format for c in cells[1:]] == [
        "#,##0.00",
        "0.00%",
        "#,##0",
        "0",
        "[$-107041E]d mmm yyyy",
        "[$-107041E]d mmm yyyy hh:mm",
        "#,##0.00",
    ]


def test_every_table_has_a_filter_and_a_frozen_header_and_totals_stay_below_the_filter():
    rows = [["ข", 2, 50, 1], ["ก", 1, 25, 2]]
    _response, book = written(Sheet("แผ่น", COLUMNS[:4], rows, footer=["รวม", 3, 37.5, 3]))
    sheet = book.active
    assert sheet.auto_filter.ref == "A1:D3"
    assert sheet.freeze_panes == "A2"
    assert sheet["A4"].value == "รวม" and sheet["A4"].font.b and sheet["B4"].number_format == "#,##0.00"


def test_an_empty_table_still_has_its_filter_and_formatted_columns():
    _response, book = written(Sheet("แผ่น", COLUMNS, []))
    assert book.active.auto_filter.ref == "A1:H1"
    assert book.active.column_dimensions["B"].width > 10


def test_a_number_in_a_text_column_is_still_a_number():
    _response, book = written(Sheet("แผ่น", [Column("ข้อความ")], [[5], [Decimal("1.5")], ["5"]]))
    assert [(c.value, c.data_type) for (c,) in book.active.iter_rows(min_row=2)] == [
        (5, "n"),
        (1.5, "n"),
        ("5", "s"),
    ]


def test_sheet_names_are_legal_and_distinct():
    long = "ตารางที่มีชื่อยาวมากเกินกว่าที่ Excel จะยอมรับได้"
    _response, book = written(
        Sheet("ก/ข:ค?", [Column("x")], []), Sheet(long, [Column("x")], []), Sheet(long, [Column("x")], [])
    )
    names = book.sheetnames
    assert names[0] == "ก ข ค"
    assert all(len(name) <= 31 for name in names) and len(set(names)) == 3


def test_the_download_has_a_thai_name_and_an_ascii_fallback():
    response, _book = written(Sheet("แผ่น", [Column("x")], []))
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="test.xlsx"; ')
    assert "filename*=UTF-8''%E0%B8%97" in header
    with pytest.raises(ValueError):
        content_disposition("ก.xlsx", "ก.xlsx")


def test_file_names_name_the_month_and_fiscal_year():
    december = fiscal_months(2570)[2]
    with translation.override("th"):
        names = download_names("งบประมาณ", 2570, december)
    assert names == {"filename": "งบประมาณ-ปีงบ2570-ถึงธ.ค.2569.xlsx", "fallback": "FY2570-to-Dec-2026.xlsx"}


def test_file_names_fall_back_to_english_ascii():
    from django.utils.translation import gettext_lazy

    december = fiscal_months(2570)[2]
    with translation.override("th"):
        names = download_names(gettext_lazy("Budget disbursement"), 2570, december, extra="F-1")
    assert names == {
        "filename": "การเบิกจ่ายงบประมาณ-ปีงบ2570-ถึงธ.ค.2569-F-1.xlsx",
        "fallback": "Budget-disbursement-FY2570-to-Dec-2026-F-1.xlsx",
    }
    assert names["fallback"].isascii()
