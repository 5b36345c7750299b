"""Report tables defined once: the page shows them and the .xlsx export writes the same numbers.

A ``Table`` is a title, columns and rows. Each ``Column`` says how to read
its value from a row and what kind of number it is; the page formats the
value for Thai readers (``1,234.50``, ``85.25``, ``–``) and the workbook keeps
it as a number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.functional import Promise

from tracking import thaicalendar
from tracking.xlsx import workbook_response

TEXT, MONEY, PERCENT, NUMBER, COUNT = "text", "money", "percent", "number", "count"
QUANTITY = "quantity"  # outputs and hours: separators, decimals only where there are any (12, 12.5)


@dataclass
class Column:
    header: str
    value: Callable
    kind: str = TEXT
    link: Callable | None = None
    width: int = 16

    @property
    def css(self) -> str:
        """num: right-aligned figures; wide: names that need room; nowrap: short labels and codes."""
        if self.kind != TEXT:
            return "num"
        return "wide" if self.width >= 30 else "nowrap"

    def text(self, value) -> str:
        if value is None:
            return "–" if self.kind == PERCENT else ""
        if self.kind == MONEY:
            return thaicalendar.format_baht(value)
        if self.kind in (PERCENT, NUMBER):
            return thaicalendar.format_number(value, 2)
        if self.kind == COUNT:
            return thaicalendar.format_number(value, 0)
        if self.kind == QUANTITY:
            return thaicalendar.format_quantity(value)
        return str(value)


@dataclass
class Cell:
    text: str
    css: str
    link: str = ""


@dataclass
class Line:
    cells: list[Cell]
    css: str = ""


@dataclass
class Table:
    key: str
    title: str
    columns: list[Column]
    rows: list
    footer: object = None
    row_css: Callable | None = None
    legend: tuple = ()  # (css, label) of each colour row_css gives, shown under the table
    note: str = ""
    empty: str = ""
    sheet: str = ""
    extra: dict = field(default_factory=dict)

    def _line(self, row, links=True) -> Line:
        cells = []
        for column in self.columns:
            value = column.value(row)
            link = column.link(row) if (links and column.link) else ""
            cells.append(Cell(text=column.text(value), css=column.css, link=link or ""))
        return Line(cells=cells, css=self.row_css(row) if self.row_css else "")

    @property
    def body(self) -> list[Line]:
        return [self._line(row) for row in self.rows]

    @property
    def foot(self) -> Line | None:
        return self._line(self.footer, links=False) if self.footer is not None else None

    def sheet_rows(self):
        for row in [*self.rows, *([self.footer] if self.footer is not None else [])]:
            yield [_plain(column.value(row)) for column in self.columns]


def _plain(value):
    """Numbers stay numbers; translated labels become text."""
    return str(value) if isinstance(value, Promise) else value


def workbook(filename: str, tables: list[Table]):
    """One sheet per table, headers bold, numbers as numbers, the footer (totals) as the last row."""
    sheets = [
        (
            table.sheet or table.title,
            [column.header for column in table.columns],
            [column.width for column in table.columns],
            table.sheet_rows(),
        )
        for table in tables
    ]
    return workbook_response(filename=filename, sheets=sheets)
